package io.anomalyze.read;

/**
 * Reads the timestamps of one column row after row, in the forms of {@link FlowTimestamps}, with
 * the same results. Consecutive flows of a file almost always start in the same minute, so the
 * date, hour and minute of the last timestamp read (and any AM/PM or zone after its seconds) are
 * kept: a timestamp that repeats them costs a compare and the parse of its seconds and fraction.
 * One reader per column; not shared between threads.
 */
public final class FlowTimestampReader {

    private static final int MAX_KEPT = 48;

    /** The text up to the end of the minutes of the last timestamp read, and what follows its seconds. */
    private final byte[] minute = new byte[MAX_KEPT];
    private int minuteLength = -1;
    private final byte[] suffix = new byte[MAX_KEPT];
    private int suffixLength;
    /** Microseconds of {@code minute} with the suffix applied, seconds and fraction zero. */
    private long minuteMicros;

    /** Microseconds since the epoch of the timestamp in {@code t[from, to)}, or {@link FlowTimestamps#INVALID}. */
    public long parse(byte[] t, int from, int to) {
        int colon = indexOf(t, from, to, (byte) ':');
        int minuteEnd = colon + 3;
        if (colon < 0 || minuteEnd > to || minuteEnd - from > MAX_KEPT) {
            return FlowTimestamps.parse(t, from, to);
        }
        int length = minuteEnd - from;
        if (length == minuteLength && java.util.Arrays.equals(minute, 0, length, t, from, minuteEnd)) {
            long seconds = secondsAndSuffix(t, minuteEnd, to);
            if (seconds >= 0) {
                return minuteMicros + seconds;
            }
        }
        long full = FlowTimestamps.parse(t, from, to);
        remember(t, from, minuteEnd, to, full);
        return full;
    }

    /**
     * The seconds and fraction in microseconds at {@code t[i, to)} ({@code [:ss[.fraction]]}) when
     * what follows them is the kept suffix; else -1, and the whole text is parsed afresh.
     */
    private long secondsAndSuffix(byte[] t, int i, int to) {
        long micros = 0;
        if (i < to && t[i] == ':') {
            if (i + 3 > to || !digit(t[i + 1]) || !digit(t[i + 2])) {
                return -1;
            }
            int second = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
            if (second > 59) {
                return -1;
            }
            micros = second * 1_000_000L;
            i += 3;
            if (i < to && (t[i] == '.' || t[i] == ',')) {
                i++;
                int start = i;
                int scale = 100_000;
                while (i < to && digit(t[i])) {
                    micros += (t[i] - '0') * (long) scale;
                    scale /= 10;
                    i++;
                }
                if (i == start) {
                    return -1;
                }
            }
        }
        return to - i == suffixLength && java.util.Arrays.equals(suffix, 0, suffixLength, t, i, to) ? micros : -1;
    }

    /** Keeps the minute and suffix of a timestamp just parsed in full, when it was valid. */
    private void remember(byte[] t, int from, int minuteEnd, int to, long full) {
        minuteLength = -1;
        if (full == FlowTimestamps.INVALID) {
            return;
        }
        int i = minuteEnd;
        long seconds = 0;
        if (i < to && t[i] == ':') {
            seconds = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
            i += 3;
            if (i < to && (t[i] == '.' || t[i] == ',')) {
                i++;
                while (i < to && digit(t[i])) {
                    i++;
                }
            }
        }
        if (to - i > MAX_KEPT) {
            return;
        }
        // the seconds and fraction add to the minute's microseconds (a zone or AM/PM shifts both alike)
        long fraction = Math.floorMod(full, 1_000_000L);
        minuteMicros = full - fraction - seconds * 1_000_000L;
        System.arraycopy(t, from, minute, 0, minuteEnd - from);
        minuteLength = minuteEnd - from;
        System.arraycopy(t, i, suffix, 0, to - i);
        suffixLength = to - i;
    }

    private static int indexOf(byte[] t, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (t[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
