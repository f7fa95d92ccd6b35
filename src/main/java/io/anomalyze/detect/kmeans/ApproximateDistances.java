package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;
import java.util.List;

/**
 * Single-precision copies of every centroid, laid out so that the JIT compiles the distance
 * loops to SIMD instructions: for a row x it gives {@code |c|^2 - 2 x.c} for all centroids of
 * all members at once, to within a known rounding error (see {@link #errorBound}).
 *
 * <p>Most numeric features of most records sit at one common value (a count or rate of 0), so
 * values are computed around a baseline record z: |c|^2 - 2 x.c = (|c|^2 - 2 z.c) - 2 (x - z).c,
 * and only the dimensions where x differs from z cost a pass (about 12 of 38 on KDDTest+).
 *
 * <p>Centroids are grouped in blocks of {@link #BLOCK}. Each block holds one short array per
 * vector dimension ("row"), indexed by centroid: row 0 is {@code |c|^2 - 2 z.c}, row 1 + j is
 * {@code -2 c_j} for a numeric dimension and {@code -2 w c_j} for a one-hot slot set to w. A
 * record's value is then row 0 plus its three one-hot rows plus the numeric rows where it
 * leaves the baseline, scaled by how far. Each member starts on a fresh block; padding lanes
 * hold +infinity so they never look near.
 *
 * <p>The loops take separate arrays at offset 0 and at most two terms per statement: that is
 * the shape C2 vectorises without flags.
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
    /** The baseline record z over the numeric dimensions, and its length. */
    private final double[] baseline;
    private final double baselineLength;
    private final double hotValue;

    /**
     * @param norms    per member, each centroid's squared length as the exact search computes it
     * @param baseline the numeric values most records share; any values give the same
     *                 results, only the speed depends on them
     */
    ApproximateDistances(List<KMeansMember> members, double[][] norms, int dimension, double hotValue, double[] baseline) {
        this.baseline = baseline.clone();
        this.baselineLength = Math.sqrt(java.util.Arrays.stream(baseline).map(v -> v * v).sum());
        this.hotValue = hotValue;
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
                double shifted = norms[m][lane];
                for (int j = 0; j < P; j++) {
                    shifted -= 2 * baseline[j] * centroid[j];
                }
                block[0][c] = (float) shifted;
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
     * double precision, for a row whose numeric values lie {@code deviation} (Euclidean) from
     * the baseline and centroids no longer than {@code centroidLength}.
     *
     * <p>Each value sums at most 42 terms: row 0, three one-hot rows and one per numeric
     * dimension. Their magnitudes add up to at most |c|^2 + 2|z||c| (row 0), 2|x - z||c| (the
     * numeric passes, by Cauchy-Schwarz) and 2 sqrt(3) w |c| (the one-hot rows). Rounding the
     * inputs to float costs at most 3 units in the last place (2^-24) of each term, and each of
     * the 42 additions one more of the running sum; 64 units covers both with room to spare,
     * and the double-precision reference errs by less than a millionth of that.
     */
    double errorBound(double deviation, double centroidLength) {
        double magnitude = centroidLength * centroidLength
                + 2 * centroidLength * (baselineLength + deviation + Math.sqrt(3) * hotValue);
        return 64 * 0x1p-24 * magnitude + 0x1p-100;
    }

    /** How far (Euclidean) the numeric values of a row, from {@code offset} on, lie from the baseline. */
    double deviation(double[] numeric, int offset) {
        double sum = 0;
        for (int j = 0; j < P; j++) {
            double d = numeric[offset + j] - baseline[j];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** Per-record working memory for {@link #compute}: which dimensions each record moves off the baseline, and by how much. */
    static final class Deviations {
        final int[] dims;
        final float[] deltas;
        final int[] counts;

        Deviations(int records) {
            dims = new int[records * P];
            deltas = new float[records * P];
            counts = new int[records];
        }
    }

    /**
     * Fills {@code out[i][block][lane]} with the approximate {@code |c|^2 - 2 x.c} of rows
     * {@code from + i}, for {@code i < to - from <= out.length}; only the dimensions where a
     * row differs from the baseline cost anything.
     */
    void compute(EncodedRows x, int from, int to, float[][][] out, Deviations deviations) {
        int n = to - from;
        for (int i = 0; i < n; i++) {
            int o = (from + i) * P;
            int count = 0;
            // Appended without a branch: which dimensions differ changes from record to record.
            for (int j : varying) {
                double delta = x.numeric[o + j] - baseline[j];
                deviations.dims[i * P + count] = j;
                deviations.deltas[i * P + count] = (float) delta;
                count += delta != 0 ? 1 : 0;
            }
            deviations.counts[i] = count;
        }
        for (int b = 0; b < table.length; b++) {
            float[][] rows = table[b];
            for (int i = 0; i < n; i++) {
                float[] d = out[i][b];
                start(d, rows, x.hot, (from + i) * EncodedRows.HOT);
                int at = i * P;
                int end = at + deviations.counts[i];
                for (; at + 1 < end; at += 2) {
                    accumulate(d, rows[1 + deviations.dims[at]], rows[1 + deviations.dims[at + 1]],
                            deviations.deltas[at], deviations.deltas[at + 1]);
                }
                if (at < end) {
                    accumulate(d, rows[1 + deviations.dims[at]], deviations.deltas[at]);
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

    private static void accumulate(float[] d, float[] a0, float[] a1, float x0, float x1) {
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.fma(x1, a1[i], Math.fma(x0, a0[i], d[i]));
        }
    }

    private static void accumulate(float[] d, float[] a, float x) {
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.fma(x, a[i], d[i]);
        }
    }
}
