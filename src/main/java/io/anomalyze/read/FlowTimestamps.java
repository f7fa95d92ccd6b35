package io.anomalyze.read;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads the timestamps flow files carry, straight from the bytes of a line (no formatter and no
 * allocation per row), into microseconds since 1970-01-01T00:00Z. Forms read:
 *
 * <ul>
 *   <li>day first, as CICFlowMeter and the CIC datasets write them: {@code dd/MM/yyyy hh:mm:ss a}
 *       ({@code 23/07/2020 02:05:24 AM}), {@code dd/MM/yyyy HH:mm:ss} and {@code d/M/yyyy H:mm}
 *       ({@code 7/7/2017 3:56}); one- or two-digit day, month and hour; an optional fraction of a second;</li>
 *   <li>ISO-8601: {@code yyyy-MM-dd}, then {@code T} or a space and {@code HH:mm[:ss[.fraction]]},
 *       then optionally {@code Z} or an offset ({@code +02:00}, {@code +0200}, {@code +02}).</li>
 * </ul>
 *
 * A time without a zone or offset is taken as UTC: the files do not say which zone they were
 * written in (the CIC datasets used the capture site's local time, the corrected CICFlowMeter
 * writes UTC), and UTC at least never shifts with the machine reading them. Fractions beyond
 * microseconds are cut.
 */
public final class FlowTimestamps {

    /** What {@link #parse} returns for text that is not a timestamp in a known form. */
    public static final long INVALID = Long.MIN_VALUE;

    private FlowTimestamps() {
    }

    /** The moment of {@code micros} since the epoch (as {@link #parse} gives it). */
    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** ISO-8601 in UTC of {@code micros} since the epoch, with as many fraction digits as it needs ({@code 2017-07-07T02:51:34.167189Z}). */
    public static String iso(long micros) {
        return instant(micros).toString();
    }

    /** {@link #parse(byte[], int, int)} of a String. */
    public static long parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length);
    }

    /** Microseconds since the epoch of the timestamp in {@code t[from, to)}, or {@link #INVALID}. */
    public static long parse(byte[] t, int from, int to) {
        int i = from;
        int year;
        int month;
        int day;
        int n1 = digits(t, i, to, 4);
        if (n1 == 4 && i + 4 < to && t[i + 4] == '-') {
            year = number(t, i, 4);
            i += 5;
            int m = digits(t, i, to, 2);
            if (m != 2 || i + 2 >= to || t[i + 2] != '-') {
                return INVALID;
            }
            month = number(t, i, 2);
            i += 3;
            if (digits(t, i, to, 2) != 2) {
                return INVALID;
            }
            day = number(t, i, 2);
            i += 2;
            if (i == to) {
                return micros(year, month, day, 0, 0, 0, 0);
            }
            if (t[i] != 'T' && t[i] != 't' && t[i] != ' ') {
                return INVALID;
            }
            i++;
        } else {
            int d = digits(t, i, to, 2);
            if (d == 0 || i + d >= to || t[i + d] != '/') {
                return INVALID;
            }
            day = number(t, i, d);
            i += d + 1;
            int m = digits(t, i, to, 2);
            if (m == 0 || i + m >= to || t[i + m] != '/') {
                return INVALID;
            }
            month = number(t, i, m);
            i += m + 1;
            if (digits(t, i, to, 4) != 4) {
                return INVALID;
            }
            year = number(t, i, 4);
            i += 4;
            if (i == to) {
                return micros(year, month, day, 0, 0, 0, 0);
            }
            if (t[i] != ' ') {
                return INVALID;
            }
            i++;
        }
        // time of day: H[H]:mm[:ss[.fraction]]
        int h = digits(t, i, to, 2);
        if (h == 0 || i + h >= to || t[i + h] != ':') {
            return INVALID;
        }
        int hour = number(t, i, h);
        i += h + 1;
        if (digits(t, i, to, 2) != 2) {
            return INVALID;
        }
        int minute = number(t, i, 2);
        i += 2;
        int second = 0;
        long fraction = 0;
        if (i < to && t[i] == ':') {
            i++;
            if (digits(t, i, to, 2) != 2) {
                return INVALID;
            }
            second = number(t, i, 2);
            i += 2;
            if (i < to && (t[i] == '.' || t[i] == ',')) {
                i++;
                int scale = 100_000;
                int start = i;
                while (i < to && t[i] >= '0' && t[i] <= '9') {
                    fraction += (t[i] - '0') * (long) scale;
                    scale /= 10;
                    i++;
                }
                if (i == start) {
                    return INVALID;
                }
            }
        }
        long offsetSeconds = 0;
        if (i < to && t[i] == ' ' && i + 3 == to) {
            // AM / PM
            byte a = (byte) (t[i + 1] | 0x20);
            byte m = (byte) (t[i + 2] | 0x20);
            if ((a != 'a' && a != 'p') || m != 'm' || hour < 1 || hour > 12) {
                return INVALID;
            }
            hour = hour % 12 + (a == 'p' ? 12 : 0);
            i = to;
        } else if (i < to && (t[i] == 'Z' || t[i] == 'z') && i + 1 == to) {
            i = to;
        } else if (i < to && (t[i] == '+' || t[i] == '-')) {
            int sign = t[i] == '-' ? -1 : 1;
            i++;
            if (digits(t, i, to, 2) != 2) {
                return INVALID;
            }
            int oh = number(t, i, 2);
            i += 2;
            int om = 0;
            if (i < to && t[i] == ':') {
                i++;
            }
            if (i < to) {
                if (digits(t, i, to, 2) != 2) {
                    return INVALID;
                }
                om = number(t, i, 2);
                i += 2;
            }
            if (oh > 18 || om > 59) {
                return INVALID;
            }
            offsetSeconds = sign * (oh * 3600L + om * 60L);
        }
        if (i != to) {
            return INVALID;
        }
        long local = micros(year, month, day, hour, minute, second, fraction);
        return local == INVALID ? INVALID : local - offsetSeconds * 1_000_000L;
    }

    /** How many ASCII digits (at most {@code max}) start at {@code i}. */
    private static int digits(byte[] t, int i, int to, int max) {
        int n = 0;
        while (n < max && i + n < to && t[i + n] >= '0' && t[i + n] <= '9') {
            n++;
        }
        return n;
    }

    private static int number(byte[] t, int i, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            v = v * 10 + (t[i + k] - '0');
        }
        return v;
    }

    private static long micros(int year, int month, int day, int hour, int minute, int second, long fraction) {
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59 || year < 1970 || year > 9999) {
            return INVALID;
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000_000L + second * 1_000_000L + fraction;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse, by eras of 400 years). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        int era = y / 400;
        int yoe = y - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097L + doe - 719468;
    }
}
