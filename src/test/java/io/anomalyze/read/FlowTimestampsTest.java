package io.anomalyze.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FlowTimestampsTest {

    private static long micros(String iso) {
        Instant t = Instant.parse(iso);
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void dayFirstFormsOfTheCicToolsAreUtc() {
        assertEquals(micros("2017-07-07T03:56:00Z"), FlowTimestamps.parse("7/7/2017 3:56"));
        assertEquals(micros("2018-02-14T08:31:01Z"), FlowTimestamps.parse("14/02/2018 08:31:01"));
        assertEquals(micros("2020-07-23T02:05:24Z"), FlowTimestamps.parse("23/07/2020 02:05:24 AM"));
        assertEquals(micros("2024-11-27T17:45:16Z"), FlowTimestamps.parse("27/11/2024 05:45:16 PM"));
        assertEquals(micros("2024-11-27T00:10:00Z"), FlowTimestamps.parse("27/11/2024 12:10:00 am"));
        assertEquals(micros("2024-11-27T12:10:00Z"), FlowTimestamps.parse("27/11/2024 12:10:00 PM"));
        assertEquals(micros("2016-02-29T00:00:00Z"), FlowTimestamps.parse("29/02/2016"));
    }

    @Test
    void isoFormsWithAndWithoutFractionAndZone() {
        assertEquals(micros("2017-07-05T11:47:39.396088Z"), FlowTimestamps.parse("2017-07-05 11:47:39.396088"));
        assertEquals(micros("2017-07-05T11:47:39Z"), FlowTimestamps.parse("2017-07-05T11:47:39"));
        assertEquals(micros("2017-07-05T11:47:39Z"), FlowTimestamps.parse("2017-07-05T11:47:39Z"));
        assertEquals(micros("2017-07-05T11:47:39.5Z"), FlowTimestamps.parse("2017-07-05T13:47:39.5+02:00"));
        assertEquals(micros("2017-07-05T11:47:39.123456Z"), FlowTimestamps.parse("2017-07-05T08:47:39.123456789-0300"));
        assertEquals(micros("2017-07-05T11:47:00Z"), FlowTimestamps.parse("2017-07-05T12:47+01"));
        assertEquals(micros("2017-07-05T00:00:00Z"), FlowTimestamps.parse("2017-07-05"));
    }

    @Test
    void anythingElseIsInvalid() {
        for (String bad : new String[] {"181", "", "31/02/2018 10:00", "2017-13-01 00:00:00", "27/11/2024 13:00:00 PM",
                "7/7/17 3:56", "2017-07-05 24:00:00", "2017-07-05T11:47:39.", "2017-07-05 11:47:39 +25:00", "7/7/2017 3:5",
                "2017-07-05T11:47:39Zulu", "07/07/2017 03:56 XM", "1961-01-01"}) {
            assertEquals(FlowTimestamps.INVALID, FlowTimestamps.parse(bad), bad);
        }
    }
}
