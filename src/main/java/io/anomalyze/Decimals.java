package io.anomalyze;

/** Rounding of figures for display: metrics, z-scores and rates do not need 17 digits. */
public final class Decimals {

    private Decimals() {
    }

    /** {@code value} rounded half up to {@code decimals} digits after the point; NaN and infinities as they are. */
    public static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double p = Math.pow(10, decimals);
        double scaled = value * p;
        // Past 2^53 a double holds no digits after the point to round away (and Math.round
        // would clamp the value to the long range).
        return Math.abs(scaled) < 0x1p53 ? Math.round(scaled) / p : value;
    }
}
