package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;
import java.util.List;

/**
 * Single-precision copies of every centroid, laid out so that the JIT compiles the distance
 * loops to SIMD instructions: for a row x it gives {@code |c|^2 - 2 x.c} for all centroids of
 * all members at once, to within a known rounding error (see {@link #errorBound}).
 *
 * <p>Centroids are grouped in blocks of {@link #BLOCK}. Each block holds one short array per
 * vector dimension ("row"), indexed by centroid: row 0 is {@code |c|^2}, row 1 + j is
 * {@code -2 c_j} for a numeric dimension and {@code -2 w c_j} for a one-hot slot set to w. A
 * record's value is then row 0 plus its three one-hot rows plus the 38 numeric rows scaled by
 * its values. Each member starts on a fresh block; padding lanes hold +infinity so they never
 * look near.
 *
 * <p>The loops take separate arrays at offset 0 and at most two terms per statement: that is
 * the shape C2 vectorises without flags. Two records share each pass over a block, so each
 * centroid value loaded from cache serves both.
 */
final class ApproximateDistances {

    static final int BLOCK = 128;
    private static final int P = ConnectionLayout.NUMERIC_COUNT;

    /** [block][1 + dimension][BLOCK]: see the class comment. */
    private final float[][][] table;
    private final int[] firstBlock;
    /**
     * Numeric dimensions where centroids differ. A dimension where every centroid has the same
     * value shifts all of a row's values equally, so it cannot change which is nearest and is
     * left out (normal traffic never sets some features).
     */
    private final int[] varying;

    /** @param norms per member, each centroid's squared length as the exact search computes it */
    ApproximateDistances(List<KMeansMember> members, double[][] norms, int dimension, double hotValue) {
        this.firstBlock = new int[members.size() + 1];
        for (int m = 0; m < members.size(); m++) {
            firstBlock[m + 1] = firstBlock[m] + blocksFor(members.get(m).k());
        }
        this.table = new float[firstBlock[members.size()]][1 + dimension][BLOCK];
        this.varying = java.util.stream.IntStream.range(0, P)
                .filter(j -> members.stream().flatMap(m -> java.util.Arrays.stream(m.centroids()))
                        .mapToDouble(c -> c[j]).distinct().count() > 1)
                .toArray();
        for (int m = 0; m < members.size(); m++) {
            double[][] centroids = members.get(m).centroids();
            for (int lane = 0; lane < blocksFor(centroids.length) * BLOCK; lane++) {
                float[][] block = table[firstBlock[m] + lane / BLOCK];
                int c = lane % BLOCK;
                if (lane >= centroids.length) {
                    block[0][c] = Float.POSITIVE_INFINITY;
                    continue;
                }
                double[] centroid = centroids[lane];
                block[0][c] = (float) norms[m][lane];
                for (int j = 0; j < dimension; j++) {
                    block[1 + j][c] = (float) (j < P ? -2 * centroid[j] : -2 * hotValue * centroid[j]);
                }
            }
        }
    }

    static int blocksFor(int k) {
        return (k + BLOCK - 1) / BLOCK;
    }

    int blocks() {
        return table.length;
    }

    /** The first block of member {@code m}; its centroid i sits at block first + i / BLOCK, lane i % BLOCK. */
    int firstBlock(int m) {
        return firstBlock[m];
    }

    /**
     * The largest possible difference between an approximate value and the same quantity in
     * double precision, for a row of length {@code rowLength} and centroids no longer than
     * {@code centroidLength}.
     *
     * <p>Each value sums 42 terms whose magnitudes add up to at most
     * {@code |c|^2 + 2 |x| |c|} (Cauchy-Schwarz). Rounding the inputs to float costs at most 3
     * units in the last place (2^-24) of each term, and each of the 42 additions one more of the
     * running sum; 64 units covers both with room to spare, and the double-precision reference
     * errs by less than a millionth of that.
     */
    static double errorBound(double rowLength, double centroidLength) {
        return 64 * 0x1p-24 * (centroidLength * centroidLength + 2 * rowLength * centroidLength) + 0x1p-100;
    }

    /**
     * Fills {@code out[i][block][lane]} with the approximate {@code |c|^2 - 2 x.c} of rows
     * {@code from + i}, for {@code i < to - from <= out.length}.
     *
     * @param xs scratch of {@code out.length * P} floats
     */
    void compute(EncodedRows x, int from, int to, float[][][] out, float[] xs, float[] spare) {
        int n = to - from;
        for (int i = 0; i < n; i++) {
            int o = (from + i) * P;
            for (int j = 0; j < P; j++) {
                xs[i * P + j] = (float) x.numeric[o + j];
            }
        }
        for (int b = 0; b < table.length; b++) {
            float[][] rows = table[b];
            for (int i = 0; i < n; i += 2) {
                boolean pair = i + 1 < n;
                float[] d = out[i][b];
                float[] e = pair ? out[i + 1][b] : spare;
                start(d, rows, x.hot, (from + i) * EncodedRows.HOT);
                start(e, rows, x.hot, (pair ? from + i + 1 : from + i) * EncodedRows.HOT);
                int xo = i * P;
                int yo = pair ? xo + P : xo;
                int v = 0;
                for (; v + 1 < varying.length; v += 2) {
                    int j0 = varying[v];
                    int j1 = varying[v + 1];
                    accumulate(d, e, rows[1 + j0], rows[1 + j1], xs[xo + j0], xs[xo + j1], xs[yo + j0], xs[yo + j1]);
                }
                if (v < varying.length) {
                    int j = varying[v];
                    accumulate(d, e, rows[1 + j], xs[xo + j], xs[yo + j]);
                }
            }
        }
    }

    private static void start(float[] d, float[][] rows, int[] hot, int h) {
        float[] norm = rows[0];
        float[] a = rows[1 + hot[h]];
        float[] b = rows[1 + hot[h + 1]];
        float[] c = rows[1 + hot[h + 2]];
        for (int i = 0; i < d.length; i++) {
            d[i] = norm[i] + a[i] + b[i] + c[i];
        }
    }

    private static void accumulate(float[] d, float[] e, float[] a0, float[] a1, float x0, float x1, float y0, float y1) {
        for (int i = 0; i < d.length; i++) {
            float c0 = a0[i];
            float c1 = a1[i];
            d[i] = Math.fma(x1, c1, Math.fma(x0, c0, d[i]));
            e[i] = Math.fma(y1, c1, Math.fma(y0, c0, e[i]));
        }
    }

    private static void accumulate(float[] d, float[] e, float[] a, float x, float y) {
        for (int i = 0; i < d.length; i++) {
            float c = a[i];
            d[i] = Math.fma(x, c, d[i]);
            e[i] = Math.fma(y, c, e[i]);
        }
    }
}
