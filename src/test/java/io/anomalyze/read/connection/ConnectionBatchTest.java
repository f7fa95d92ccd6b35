package io.anomalyze.read.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feature texts read back as the numbers that were parsed, whichever formatting path they take. */
class ConnectionBatchTest {

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Test
    void formattedNumbersMatchJavasOwnTexts() {
        for (int k = -200; k <= 200; k++) {
            double v = k / 100.0;
            assertEquals(plain(v), ConnectionBatch.formatNumber(v), "value " + k + "/100");
            double parsed = Double.parseDouble(String.format("%.2f", v));
            assertEquals(plain(parsed), ConnectionBatch.formatNumber(parsed));
        }
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            double v = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> Math.nextUp(random.nextInt(100) / 100.0);
                case 2 -> random.nextInt(100) / 100.0 + 1e-12;
                default -> random.nextLong() / 1e3;
            };
            assertEquals(plain(v), ConnectionBatch.formatNumber(v), "value " + v);
        }
        assertEquals("0.07", ConnectionBatch.formatNumber(0.07));
        assertEquals("1", ConnectionBatch.formatNumber(1.0));
        assertEquals("0", ConnectionBatch.formatNumber(-0.0));
        for (int k = -5; k < 3000; k++) {
            assertEquals(Long.toString(k), ConnectionBatch.formatNumber(k));
        }
        assertEquals("NaN", ConnectionBatch.formatNumber(Double.NaN));
    }
}
