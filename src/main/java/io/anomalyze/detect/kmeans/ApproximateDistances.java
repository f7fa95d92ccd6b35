package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Single-precision copies of every centroid, laid out so that the JIT compiles the distance
 * loops to SIMD instructions: for a row x it gives {@code |c|^2 - 2 x.c} for all centroids of
 * all members at once, to within a known rounding error (see {@link #errorBound}).
 *
 * <p>Most numeric features of most records sit at a common value (a count or rate of 0, a
 * host count of 255), so values are computed around a baseline record z:
 * |c|^2 - 2 x.c = (|c|^2 - 2 z.c) - 2 (x - z).c, and only the dimensions where x differs from
 * z cost a pass. The default baseline is the record of all-zero counts; a scan can bring its
 * own {@link Baselines}, one per (protocol, flag) pair, with the pair's one-hot terms folded
 * in as well.
 *
 * <p>Each vector dimension has one array ("row") over all centroids of all members: row 0 is
 * {@code |c|^2 - 2 z.c} for the default baseline, row 1 + j is {@code -2 c_j} for a numeric
 * dimension and {@code -2 w c_j} for a one-hot slot set to w. A record's value is then a
 * starting row plus its one-hot rows plus the numeric rows where it leaves the baseline, scaled
 * by how far. Each member starts on a multiple of {@link #BLOCK} lanes; padding lanes hold
 * +infinity so they never look near.
 *
 * <p>The loops take separate arrays at offset 0 and at most two terms per statement: that is
 * the shape C2 vectorises without flags. Each loop runs over the lanes of all members at
 * once, because C2 adds a fixed cost (aligning, draining) around every vectorised loop, and
 * one long loop pays it once where a loop per member pays it per member. The speed design is
 * in docs/PERFORMANCE.md.
 */
final class ApproximateDistances {

    static final int BLOCK = 128;
    private static final int P = ConnectionLayout.NUMERIC_COUNT;

    /** [1 + dimension][lanes]: see the class comment. */
    private final float[][] table;
    private final int[] firstLane;
    private final List<KMeansMember> members;
    private final double[][] norms;
    private final int dimension;
    /**
     * Per numeric dimension, whether centroids differ in it. A dimension where every centroid
     * has the same value shifts all of a row's values equally, so it cannot change which is
     * nearest and costs no pass (normal traffic never sets some features).
     */
    private final boolean[] varies;
    /** The default baseline record z over the numeric dimensions, and its length. */
    private final double[] baseline;
    private final double baselineLength;
    private final double hotValue;

    /**
     * @param norms    per member, each centroid's squared length as the exact search computes it
     * @param baseline the default baseline; any values give the same results, only the speed
     *                 depends on them
     */
    ApproximateDistances(List<KMeansMember> members, double[][] norms, int dimension, double hotValue, double[] baseline) {
        this.members = members;
        this.norms = norms;
        this.dimension = dimension;
        this.baseline = baseline.clone();
        this.baselineLength = length(baseline);
        this.hotValue = hotValue;
        this.firstLane = new int[members.size() + 1];
        for (int m = 0; m < members.size(); m++) {
            firstLane[m + 1] = firstLane[m] + blocksFor(members.get(m).k()) * BLOCK;
        }
        this.table = new float[1 + dimension][firstLane[members.size()]];
        this.varies = new boolean[P];
        for (int j = 0; j < P; j++) {
            int dim = j;
            varies[j] = members.stream().flatMap(m -> Arrays.stream(m.centroids())).mapToDouble(c -> c[dim]).distinct().count() > 1;
        }
        table[0] = startRow(this.baseline, -1, -1);
        for (int m = 0; m < members.size(); m++) {
            double[][] centroids = members.get(m).centroids();
            for (int c = 0; c < centroids.length; c++) {
                for (int j = 0; j < dimension; j++) {
                    table[1 + j][firstLane[m] + c] = (float) (j < P ? -2 * centroids[c][j] : -2 * hotValue * centroids[c][j]);
                }
            }
        }
    }

    /**
     * Per lane, {@code |c|^2 - 2 z.c} for baseline z, minus {@code 2 w c_h} for the one-hot
     * dimensions h given (-1 for none); each value is computed in double and rounded once.
     */
    private float[] startRow(double[] z, int hotA, int hotB) {
        float[] row = new float[lanes()];
        for (int m = 0; m < members.size(); m++) {
            double[][] centroids = members.get(m).centroids();
            for (int lane = 0; lane < firstLane[m + 1] - firstLane[m]; lane++) {
                if (lane >= centroids.length) {
                    row[firstLane[m] + lane] = Float.POSITIVE_INFINITY;
                    continue;
                }
                double[] centroid = centroids[lane];
                double value = norms[m][lane];
                for (int j = 0; j < P; j++) {
                    value -= 2 * z[j] * centroid[j];
                }
                if (hotA >= 0) {
                    value -= 2 * hotValue * centroid[hotA] + 2 * hotValue * centroid[hotB];
                }
                row[firstLane[m] + lane] = (float) value;
            }
        }
        return row;
    }

    static int blocksFor(int k) {
        return (k + BLOCK - 1) / BLOCK;
    }

    /** Lanes of all members together, padding included. */
    int lanes() {
        return firstLane[firstLane.length - 1];
    }

    /** The first lane of member {@code m}; its centroid i sits at lane first + i. */
    int firstLane(int m) {
        return firstLane[m];
    }

    /**
     * The largest possible difference between an approximate value and the same quantity in
     * double precision, for a row with {@code spread} = |z| + |x - z| over the numeric
     * dimensions (z its baseline) and centroids no longer than {@code centroidLength}.
     *
     * <p>Each value sums at most 42 terms: the starting row, the one-hot rows not folded into
     * it and one per numeric dimension. Their magnitudes add up to at most |c|^2 + 2|z||c|
     * (the baseline part), 2|x - z||c| (the numeric passes, by Cauchy-Schwarz) and
     * 2 sqrt(3) w |c| (the three one-hot terms, folded or not). Rounding the inputs to float
     * costs at most 3 units in the last place (2^-24) of each term, and each of the 42
     * additions one more of the running sum; 64 units covers both with room to spare, and the
     * double-precision reference errs by less than a millionth of that.
     */
    double errorBound(double spread, double centroidLength) {
        double magnitude = centroidLength * centroidLength + 2 * centroidLength * (spread + Math.sqrt(3) * hotValue);
        return 64 * 0x1p-24 * magnitude + 0x1p-100;
    }

    private static double length(double[] v) {
        double sum = 0;
        for (double e : v) {
            sum += e * e;
        }
        return Math.sqrt(sum);
    }

    /**
     * Baselines of one scan: for some (protocol, flag) pairs of one-hot dimensions, a baseline
     * record and the starting rows computed around it with the pair's one-hot terms folded in.
     * Rows of other pairs use the default baseline. Immutable, so batches scored on different
     * threads can share it.
     */
    static final class Baselines {
        private final int width;
        /** Per pair id, its index in the arrays below, or -1. */
        private final int[] indexOfPair;
        private final double[][] z;
        private final double[] length;
        private final float[][] start;

        private Baselines(int width, int[] indexOfPair, double[][] z, float[][] start) {
            this.width = width;
            this.indexOfPair = indexOfPair;
            this.z = z;
            this.start = start;
            this.length = Arrays.stream(z).mapToDouble(ApproximateDistances::length).toArray();
        }

        int pairs() {
            return z.length;
        }

        private int indexOf(int[] hot, int h) {
            return indexOfPair[(hot[h] - P) * width + hot[h + 2] - P];
        }
    }

    /**
     * Baselines for the given (protocol dimension, flag dimension) pairs, each with its
     * baseline record.
     */
    Baselines baselines(int[][] pairs, double[][] z) {
        int width = dimension - P;
        int[] indexOfPair = new int[width * width];
        Arrays.fill(indexOfPair, -1);
        float[][] start = new float[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            indexOfPair[(pairs[i][0] - P) * width + pairs[i][1] - P] = i;
            start[i] = startRow(z[i], pairs[i][0], pairs[i][1]);
        }
        return new Baselines(width, indexOfPair, z.clone(), start);
    }

    /** Per-record working memory for {@link #compute}: which dimensions each record moves off its baseline, and by how much. */
    static final class Deviations {
        final int[] dims;
        final float[] deltas;
        final int[] counts;
        /** Per record, the index of its pair's baseline, or -1 for the default. */
        final int[] pair;
        /** Per record, |z| + |x - z| for its baseline z: what {@link #errorBound} needs. */
        final double[] spread;

        Deviations(int records) {
            dims = new int[records * P];
            deltas = new float[records * P];
            counts = new int[records];
            pair = new int[records];
            spread = new double[records];
        }
    }

    /**
     * Fills {@code out[i][lane]} with the approximate {@code |c|^2 - 2 x.c} of rows
     * {@code from + i}, for {@code i < to - from <= out.length}, and {@code deviations} with
     * each row's baseline and spread; only the dimensions where a row differs from its
     * baseline cost anything.
     *
     * @param scan this scan's baselines, or null for the default baseline everywhere
     */
    void compute(EncodedRows x, int from, int to, float[][] out, Deviations deviations, Baselines scan) {
        int n = to - from;
        for (int i = 0; i < n; i++) {
            int o = (from + i) * P;
            int pair = scan == null ? -1 : scan.indexOf(x.hot, (from + i) * EncodedRows.HOT);
            double[] z = pair < 0 ? baseline : scan.z[pair];
            int count = 0;
            double squares = 0;
            // Appended without a branch: which dimensions differ changes from record to record.
            for (int j = 0; j < P; j++) {
                double delta = x.numeric[o + j] - z[j];
                squares += delta * delta;
                deviations.dims[i * P + count] = j;
                deviations.deltas[i * P + count] = (float) delta;
                count += delta != 0 & varies[j] ? 1 : 0;
            }
            deviations.counts[i] = count;
            deviations.pair[i] = pair;
            deviations.spread[i] = (pair < 0 ? baselineLength : scan.length[pair]) + Math.sqrt(squares);
        }
        float[][] rows = table;
        for (int i = 0; i < n; i++) {
            float[] d = out[i];
            int h = (from + i) * EncodedRows.HOT;
            int pair = deviations.pair[i];
            if (pair < 0) {
                start(d, rows[0], rows[1 + x.hot[h]], rows[1 + x.hot[h + 1]], rows[1 + x.hot[h + 2]]);
            } else {
                start(d, scan.start[pair], rows[1 + x.hot[h + 1]]);
            }
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

    private static void start(float[] d, float[] norm, float[] a, float[] b, float[] c) {
        for (int i = 0; i < d.length; i++) {
            d[i] = norm[i] + a[i] + b[i] + c[i];
        }
    }

    private static void start(float[] d, float[] first, float[] service) {
        for (int i = 0; i < d.length; i++) {
            d[i] = first[i] + service[i];
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
