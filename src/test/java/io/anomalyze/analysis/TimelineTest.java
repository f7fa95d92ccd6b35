package io.anomalyze.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline's buckets widen as the span grows, and no record is lost or moved to the wrong bucket. */
class TimelineTest {

    private static final long T0 = 1_499_389_860_000_000L;

    private static Verdict at(long micros, Severity s) {
        return new Verdict(1, s != Severity.NORMAL, s, 0, 0, "x", null, List.of(), null, null,
                new FlowIdentity(null, "a", 1, "b", 2, 6, micros, micros, null, null));
    }

    private static long total(Timeline.Result r, int severity) {
        long n = 0;
        for (long[] bucket : r.counts()) {
            n += bucket[severity];
        }
        return n;
    }

    @Test
    void secondsBucketsWhileTheSpanIsShort() {
        Timeline t = new Timeline();
        t.add(at(T0 + 1_500_000, Severity.NORMAL));
        t.add(at(T0 + 3_200_000, Severity.HIGH));
        t.add(at(T0 + 3_900_000, Severity.HIGH));
        t.add(at(T0 - 2_000_000, Severity.LOW)); // out of order, earlier than the first
        Timeline.Result r = t.result();
        assertEquals(1_000_000L, r.widthMicros());
        assertEquals(T0 - 2_000_000, r.startMicros());
        assertEquals(6, r.counts().length);
        assertEquals(1, r.counts()[0][Severity.LOW.ordinal()]);
        assertEquals(1, r.counts()[3][Severity.NORMAL.ordinal()]);
        assertEquals(2, r.counts()[5][Severity.HIGH.ordinal()]);
        assertEquals(4, r.records());
    }

    @Test
    void aLongSpanWidensTheBucketsAndKeepsEveryRecord() {
        Timeline t = new Timeline();
        long day = 86_400_000_000L;
        for (int i = 0; i < 10_000; i++) {
            t.add(at(T0 + (i * 7919L % 10_000) * (day / 10_000), i % 10 == 0 ? Severity.CRITICAL : Severity.NORMAL));
        }
        Timeline.Result r = t.result();
        assertTrue(r.counts().length <= Timeline.MAX_BUCKETS, r.counts().length + " buckets");
        assertEquals(1_000L, total(r, Severity.CRITICAL.ordinal()));
        assertEquals(9_000L, total(r, Severity.NORMAL.ordinal()));
        assertEquals(0, r.startMicros() % r.widthMicros(), "buckets start on multiples of their width");
        assertTrue(r.startMicros() <= T0 && r.startMicros() + r.counts().length * r.widthMicros() > T0 + day - day / 10_000);
        assertEquals(64_000_000L, r.widthMicros(), "one second doubled until a day fits in 2,048 buckets");
    }

    @Test
    void recordsWithoutTimesMakeNoTimeline() {
        Timeline t = new Timeline();
        t.add(new Verdict(1, false, Severity.NORMAL, 0, 0, "x", null, List.of(), null, null));
        assertNull(t.result());
        assertNull(TimelineJson.of(t.result()));
        assertEquals(FlowIdentity.NO_TIME, FlowIdentity.EMPTY.startMicros());
    }
}
