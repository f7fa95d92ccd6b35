package io.anomalyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void roundsToTheGivenDecimals() {
        assertEquals(0.123457, Decimals.round(0.1234567, 6));
        assertEquals(-2.5, Decimals.round(-2.46, 1));
    }

    /** Past 2^53 nothing is left to round; Math.round once clamped such values to 9.2e12 at 6 decimals. */
    @Test
    void largeValuesComeBackUnchanged() {
        assertEquals(1.7e308, Decimals.round(1.7e308, 6));
        assertEquals(-3.4e38, Decimals.round(-3.4e38, 6));
        assertEquals(1e13, Decimals.round(1e13, 6));
    }
}
