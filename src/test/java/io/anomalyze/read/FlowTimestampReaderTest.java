package io.anomalyze.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timestamps read row after row give what {@link FlowTimestamps#parse} gives each alone, whatever came before. */
class FlowTimestampReaderTest {

    private static long[] readInTurn(List<String> column) {
        FlowTimestampReader reader = new FlowTimestampReader();
        long[] out = new long[column.size()];
        for (int i = 0; i < out.length; i++) {
            // each value inside a longer line, as the CSV reader hands it over
            byte[] line = ("x," + column.get(i) + ",y").getBytes(StandardCharsets.ISO_8859_1);
            out[i] = reader.parse(line, 2, line.length - 2);
        }
        return out;
    }

    private static void assertSameAsAlone(List<String> column) {
        long[] read = readInTurn(column);
        for (int i = 0; i < read.length; i++) {
            assertEquals(FlowTimestamps.parse(column.get(i)), read[i], "row " + i + ": " + column.get(i));
        }
    }

    @Test
    void dayFirstWithAmPmWithinAndAcrossMinutes() {
        List<String> column = List.of("23/07/2020 02:05:24 AM", "23/07/2020 02:05:25 AM", "23/07/2020 02:05:59 AM",
                "23/07/2020 02:05:24 PM", "23/07/2020 02:06:00 PM", "23/07/2020 12:06:00 AM", "23/07/2020 12:06:01 am");
        assertSameAsAlone(column);
        long[] read = readInTurn(column);
        assertEquals(FlowTimestamps.parse("2020-07-23T02:05:25Z"), read[1]);
        assertEquals(FlowTimestamps.parse("2020-07-23T14:05:24Z"), read[3], "PM after AM in the same minute text");
        assertEquals(FlowTimestamps.parse("2020-07-23T00:06:01Z"), read[6]);
    }

    @Test
    void dayFirstToTheMinuteAndWithSeconds() {
        List<String> column = List.of("7/7/2017 3:56", "7/7/2017 3:56", "7/7/2017 3:56:07", "7/7/2017 3:57", "14/02/2018 08:31:01",
                "14/02/2018 08:31:02.5", "14/02/2018 08:31:02,25");
        assertSameAsAlone(column);
        assertEquals(FlowTimestamps.parse("2017-07-07T03:56:07Z"), readInTurn(column)[2]);
        assertEquals(FlowTimestamps.parse("2018-02-14T08:31:02.25Z"), readInTurn(column)[6]);
    }

    @Test
    void isoWithFractionsAndZones() {
        List<String> column = List.of("2017-07-05 11:47:39.396088", "2017-07-05 11:47:39.396089", "2017-07-05 11:47:40",
                "2017-07-05T11:47:41.5Z", "2017-07-05T11:47:42.123456789Z", "2017-07-05T13:47:39.5+02:00",
                "2017-07-05T13:47:40+02:00", "2017-07-05T13:47:40-03:00", "2017-07-05T12:47+01", "2017-07-05T12:47+02",
                "2017-07-05", "2017-07-05 11:47:39.000001");
        assertSameAsAlone(column);
        long[] read = readInTurn(column);
        assertEquals(FlowTimestamps.parse("2017-07-05T11:47:39.396089Z"), read[1]);
        assertEquals(FlowTimestamps.parse("2017-07-05T11:47:42.123456Z"), read[4], "fraction cut at microseconds");
        assertEquals(FlowTimestamps.parse("2017-07-05T16:47:40Z"), read[7], "another zone after the same minute");
        assertEquals(FlowTimestamps.parse("2017-07-05T10:47:00Z"), read[9]);
    }

    @Test
    void badSecondsOrEndingsAfterAGoodMinuteAreStillInvalid() {
        List<String> column = List.of("2017-07-05 11:47:39", "2017-07-05 11:47:60", "2017-07-05 11:47:39", "2017-07-05 11:47:3",
                "2017-07-05 11:47:39", "2017-07-05 11:47:39.", "2017-07-05 11:47:39", "2017-07-05 11:47:39Zulu",
                "23/07/2020 02:05:24 AM", "23/07/2020 02:05:24 XM", "23/07/2020 02:05:24", "23/07/2020 02:05:24 AM",
                "31/02/2017 10:00", "31/02/2017 10:00", "2017-07-05 11:47:395", "181", "");
        assertSameAsAlone(column);
        long[] read = readInTurn(column);
        for (int bad : new int[] {1, 3, 5, 7, 9, 12, 13, 14, 15, 16}) {
            assertEquals(FlowTimestamps.INVALID, read[bad], column.get(bad));
        }
        assertEquals(FlowTimestamps.parse("2020-07-23T02:05:24Z"), read[10]);
    }
}
