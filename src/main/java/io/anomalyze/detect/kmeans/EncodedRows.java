package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;

/**
 * Encoded connection records in their sparse form: the 38 standardised numbers of each row
 * and, for each of the three one-hot blocks, the one dimension that is set. Distances are
 * computed from this form, so the ~80 one-hot zeros of a row cost nothing.
 */
public final class EncodedRows {

    public static final int HOT = 3;

    final int capacity;
    /** {@code capacity * NUMERIC_COUNT} standardised values, row-major. */
    final double[] numeric;
    /** {@code capacity * HOT} absolute dimensions of the set one-hot slots. */
    final int[] hot;

    public EncodedRows(int capacity) {
        this.capacity = capacity;
        this.numeric = new double[capacity * ConnectionLayout.NUMERIC_COUNT];
        this.hot = new int[capacity * HOT];
    }

    /** Writes row {@code r} as a dense vector of {@code dimension} values into {@code out}. */
    public void toDense(int r, double hotValue, double[] out, int offset, int dimension) {
        int p = ConnectionLayout.NUMERIC_COUNT;
        System.arraycopy(numeric, r * p, out, offset, p);
        java.util.Arrays.fill(out, offset + p, offset + dimension, 0.0);
        for (int h = 0; h < HOT; h++) {
            out[offset + hot[r * HOT + h]] = hotValue;
        }
    }
}
