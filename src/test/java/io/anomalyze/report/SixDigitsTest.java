package io.anomalyze.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SixDigitsTest {

    private static void same(double v) {
        assertEquals(String.format(Locale.ROOT, "%.6g", v), SixDigits.format(v), "for " + v);
    }

    @Test
    void writesWhatTheFormatterWritesAtTheEdges() {
        double[] edges = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.7f, 1e-4, 9.99999e-5, 9.999995e-5, 9.9999949e-5, 1e-5, 0.000123456789,
                999999.0, 999999.5, 999999.4, 1e6, 123456.0, 12345.65, 1.0000005, 0.99999949, 0.99999950, 0.9999995, 1e300,
                Double.MIN_VALUE, Double.MAX_VALUE, 4.9e-324, 1.5e-10, 123.456, 100.0, 10.0, 0.001, 0.0012345650, 1e-300, 1e300,
                9.9999949999e-301, 1.0000005e300, 1e-5, 1e-4, 99999.95, 99999.949999, 1.33514e-05, 0.0001234565, 123456.5, 2.5, 0.25,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : edges) {
            same(v);
        }
        assertEquals("0.500000", SixDigits.format(0.5));
        assertEquals("1.00000e-05", SixDigits.format(1e-5));
        assertEquals("1.00000e+06", SixDigits.format(999999.5));
    }

    @Test
    void writesWhatTheFormatterWritesForManyNumbers() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // Scores and confidences (floats widened to doubles), numbers of any size, and
            // seven-digit decimals ending in 5, where rounding half up decides.
            same((double) random.nextFloat());
            same(random.nextDouble() * Math.pow(10, random.nextInt(-12, 12)));
            same((random.nextInt(1_000_000, 10_000_000) / 10 * 10 + 5) * Math.pow(10, random.nextInt(-12, 8)));
            // Next to a half after the sixth digit, on both sides, and numbers of every size.
            double tie = (random.nextInt(100_000, 1_000_000) + 0.5 + (random.nextInt(-3, 4) * 1e-7)) * Math.pow(10, random.nextInt(-20, 20));
            same(tie);
            same(Math.nextUp(tie));
            same(Math.nextDown(tie));
            same(Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE) * (random.nextBoolean() ? 1 : -1));
        }
    }
}
