package io.anomalyze.analysis;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import java.util.Arrays;

/**
 * Records per time bucket and severity, counted while an analysis streams, for the results
 * page's timeline. The time span is not known in advance, so buckets start at one second and
 * double in width, merging pairs, whenever more than {@link #MAX_BUCKETS} would be needed:
 * memory stays fixed whatever the input, and the result has at most that many buckets.
 */
public final class Timeline {

    public static final int MAX_BUCKETS = 2048;
    private static final int SEVERITIES = Severity.values().length;

    private long widthMicros = 1_000_000L;
    /** Bucket index (start / width) of slot 0; slots hold consecutive buckets. */
    private long origin = Long.MIN_VALUE;
    private long[] counts = new long[MAX_BUCKETS * SEVERITIES];
    private long timed;

    /** Counts a verdict at its record's start time; records without a time are not counted. */
    public void add(Verdict v) {
        long t = v.identity().startMicros();
        if (t == FlowIdentity.NO_TIME) {
            return;
        }
        long bucket = Math.floorDiv(t, widthMicros);
        if (origin == Long.MIN_VALUE) {
            origin = bucket;
        }
        while (bucket < origin || bucket >= origin + MAX_BUCKETS) {
            if (!fits(bucket)) {
                coarsen();
                bucket = Math.floorDiv(t, widthMicros);
            } else {
                shiftTo(bucket);
            }
        }
        counts[(int) (bucket - origin) * SEVERITIES + v.severity().ordinal()]++;
        timed++;
    }

    /** Whether the occupied range and {@code bucket} fit in the slots at this width. */
    private boolean fits(long bucket) {
        long[] range = occupied();
        long lo = range == null ? bucket : Math.min(range[0], bucket);
        long hi = range == null ? bucket : Math.max(range[1], bucket);
        return hi - lo < MAX_BUCKETS;
    }

    /** First and last occupied bucket index, or null when nothing is counted. */
    private long[] occupied() {
        int lo = -1;
        int hi = -1;
        for (int s = 0; s < MAX_BUCKETS; s++) {
            if (total(s) > 0) {
                if (lo < 0) {
                    lo = s;
                }
                hi = s;
            }
        }
        return lo < 0 ? null : new long[] {origin + lo, origin + hi};
    }

    private long total(int slot) {
        long n = 0;
        for (int k = 0; k < SEVERITIES; k++) {
            n += counts[slot * SEVERITIES + k];
        }
        return n;
    }

    /** Moves the window so that it holds {@code bucket} and everything counted. */
    private void shiftTo(long bucket) {
        long[] range = occupied();
        long lo = range == null ? bucket : Math.min(range[0], bucket);
        long[] moved = new long[counts.length];
        for (int s = 0; s < MAX_BUCKETS; s++) {
            long index = origin + s;
            long to = index - lo;
            if (to >= 0 && to < MAX_BUCKETS) {
                System.arraycopy(counts, s * SEVERITIES, moved, (int) to * SEVERITIES, SEVERITIES);
            }
        }
        counts = moved;
        origin = lo;
    }

    /** Doubles the bucket width, merging pairs of buckets. */
    private void coarsen() {
        long[] merged = new long[counts.length];
        long newOrigin = Math.floorDiv(origin, 2);
        for (int s = 0; s < MAX_BUCKETS; s++) {
            int to = (int) (Math.floorDiv(origin + s, 2) - newOrigin);
            for (int k = 0; k < SEVERITIES; k++) {
                merged[to * SEVERITIES + k] += counts[s * SEVERITIES + k];
            }
        }
        counts = merged;
        origin = newOrigin;
        widthMicros *= 2;
    }

    /** The counts so far, trimmed to the occupied buckets; null when no record had a time. */
    public Result result() {
        long[] range = occupied();
        if (range == null) {
            return null;
        }
        int from = (int) (range[0] - origin);
        int to = (int) (range[1] - origin) + 1;
        long[][] perBucket = new long[to - from][];
        for (int s = from; s < to; s++) {
            perBucket[s - from] = Arrays.copyOfRange(counts, s * SEVERITIES, (s + 1) * SEVERITIES);
        }
        return new Result(range[0] * widthMicros, widthMicros, perBucket, timed);
    }

    /**
     * Records per bucket and severity.
     *
     * @param startMicros start of the first bucket, microseconds since 1970-01-01T00:00Z
     * @param widthMicros bucket width
     * @param counts      per bucket, records per {@link Severity} ordinal
     * @param records     records counted (those with a time)
     */
    public record Result(long startMicros, long widthMicros, long[][] counts, long records) {
    }
}
