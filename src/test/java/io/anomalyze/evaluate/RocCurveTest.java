package io.anomalyze.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RocCurveTest {

    @Test
    void tiesCountHalf() {
        RocCurve roc = RocCurve.of(new float[] {0.9f, 0.5f, 0.5f, 0.1f}, new boolean[] {true, true, false, false}, 4, 10);
        // Pairs (positive above negative): 0.9 beats both, 0.5 ties one and beats one: 3.5 of 4.
        assertEquals(0.875, roc.auc(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, roc.falsePositiveRates(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 1, 1}, roc.truePositiveRates(), 1e-12);
    }

    /** A NaN score once made the tie scan compare NaN == NaN forever. */
    @Test
    void aNanScoreEndsTheScanAndRanksAboveEveryNumber() {
        RocCurve roc = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> RocCurve.of(
                new float[] {Float.NaN, Float.NaN, 0.5f, 0.2f}, new boolean[] {true, false, false, true}, 4, 10));
        // NaN positive ties the NaN negative (0.5) and beats 0.5 (1); 0.2 beats nothing: 1.5 of 4.
        assertEquals(0.375, roc.auc(), 1e-12);
    }

    @Test
    void infiniteScoresAreOneTieGroup() {
        RocCurve roc = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> RocCurve.of(
                new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, 1f}, new boolean[] {true, false, false}, 3, 10));
        assertEquals(0.75, roc.auc(), 1e-12);
    }
}
