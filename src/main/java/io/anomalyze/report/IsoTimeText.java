package io.anomalyze.report;

import java.time.Instant;

/**
 * Writes moments as ISO-8601 UTC text ({@code 2017-07-07T02:51:34.167189Z}) with integer
 * arithmetic only. Flow and verdict CSVs write one or two timestamps per row; the date-time
 * formatter behind {@link Instant#toString()} allocates several objects per call, and its code,
 * inlined into a row writer, made that writer slow to compile.
 */
public final class IsoTimeText {

    /** Length of {@code yyyy-MM-ddTHH:mm:ss}. */
    public static final int SECOND_LENGTH = 19;

    private static final long SECONDS_PER_DAY = 86_400L;
    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
    private static final long DAYS_0000_03_01_TO_EPOCH = 719_468L;
    private static final long DAYS_PER_400_YEARS = 146_097L;

    private IsoTimeText() {
    }

    /**
     * Writes {@code yyyy-MM-ddTHH:mm:ss} of {@code epochSecond} into {@code b} at {@code p}.
     *
     * @return the position after it, or -1 (nothing written) for a year before 0 or after 9999
     */
    public static int writeSecond(long epochSecond, byte[] b, int p) {
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // Civil date from a day count, counting years from March so that the leap day is last.
        long z = days + DAYS_0000_03_01_TO_EPOCH;
        long era = Math.floorDiv(z, DAYS_PER_400_YEARS);
        int dayOfEra = (int) (z - era * DAYS_PER_400_YEARS);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return -1;
        }
        int y = (int) year;
        b[p] = (byte) ('0' + y / 1000);
        b[p + 1] = (byte) ('0' + y / 100 % 10);
        b[p + 2] = (byte) ('0' + y / 10 % 10);
        b[p + 3] = (byte) ('0' + y % 10);
        b[p + 4] = '-';
        twoDigits(month, b, p + 5);
        b[p + 7] = '-';
        twoDigits(day, b, p + 8);
        b[p + 10] = 'T';
        twoDigits(secondOfDay / 3600, b, p + 11);
        b[p + 13] = ':';
        twoDigits(secondOfDay / 60 % 60, b, p + 14);
        b[p + 16] = ':';
        twoDigits(secondOfDay % 60, b, p + 17);
        return p + SECOND_LENGTH;
    }

    /**
     * Appends {@code t} as {@link Instant#toString()} writes it: the fraction in as many groups
     * of three digits as it needs, none when it is zero.
     */
    public static void append(StringBuilder out, Instant t, byte[] scratch) {
        if (writeSecond(t.getEpochSecond(), scratch, 0) < 0) {
            out.append(t);
            return;
        }
        for (int i = 0; i < SECOND_LENGTH; i++) {
            out.append((char) scratch[i]);
        }
        int nano = t.getNano();
        if (nano != 0) {
            int digits = nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
            int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1000 : nano;
            out.append('.');
            for (int d = digits - 1; d >= 0; d--) {
                out.append((char) ('0' + value / POWERS[d] % 10));
            }
        }
        out.append('Z');
    }

    private static final int[] POWERS = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private static void twoDigits(int v, byte[] b, int p) {
        b[p] = (byte) ('0' + v / 10);
        b[p + 1] = (byte) ('0' + v % 10);
    }
}
