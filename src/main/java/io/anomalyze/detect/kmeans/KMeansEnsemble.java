package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;
import java.util.List;

/**
 * Scores encoded records against every member of the ensemble. A member's score is the
 * distance to its nearest centroid divided by the member's scale; the ensemble score is the
 * mean over members.
 *
 * <p>Squared distances are expanded as |x|^2 - 2 x.c + |c|^2 with the centroid norms
 * precomputed; x.c runs over the 38 numeric dimensions plus three one-hot lookups, on flat
 * primitive arrays.
 *
 * <p>Each member's centroids are kept ordered by length. A row visits them outwards from the
 * length closest to its own and stops once (|x| - |c|)^2, a lower bound on the squared
 * distance, exceeds the best distance found by more than any rounding error. Every centroid
 * that could be nearest is still computed exactly as in a full scan, and ties go to the lowest
 * model index, so scores and nearest centroids are the same as a scan over all of them. A
 * centroid within reach is first bounded from eight leading dimensions and the one-hot slots
 * (Cauchy-Schwarz on the rest) and computed in full only when that bound does not rule it out.
 */
public final class KMeansEnsemble {

    private static final int P = ConnectionLayout.NUMERIC_COUNT;
    private static final int LEADING = 8;

    private final int dimension;
    private final int members;
    private final double hotValue;
    private final int[] k;
    private final double[][] flatCentroids;
    private final double[][] centroidNorms;
    private final double[] inverseScale;
    /** Per member, the centroids ordered by length, with their norms, lengths and model indexes. */
    private final double[][] sortedCentroids;
    private final double[][] sortedNorms;
    private final double[][] sortedLengths;
    private final int[][] originalIndex;
    /** The numeric dimensions where centroids carry most weight, for the partial bound. */
    private final int[] leading;
    /** Per member, in length order: the length of each centroid over the other numeric dimensions. */
    private final double[][] sortedRestLengths;
    /** Per member, in length order: each centroid's values at the leading dimensions, packed. */
    private final double[][] sortedLeading;
    private final boolean[] isLeading;

    public KMeansEnsemble(List<KMeansMember> memberList, int dimension, double hotValue) {
        this.dimension = dimension;
        this.hotValue = hotValue;
        this.members = memberList.size();
        this.k = new int[members];
        this.flatCentroids = new double[members][];
        this.centroidNorms = new double[members][];
        this.inverseScale = new double[members];
        for (int m = 0; m < members; m++) {
            KMeansMember member = memberList.get(m);
            k[m] = member.k();
            double[] flat = new double[member.k() * dimension];
            double[] norms = new double[member.k()];
            for (int c = 0; c < member.k(); c++) {
                double[] centroid = member.centroids()[c];
                if (centroid.length != dimension) {
                    throw new IllegalArgumentException("centroid of dimension " + centroid.length + ", expected " + dimension);
                }
                System.arraycopy(centroid, 0, flat, c * dimension, dimension);
                double norm = 0;
                for (double v : centroid) {
                    norm += v * v;
                }
                norms[c] = norm;
            }
            flatCentroids[m] = flat;
            centroidNorms[m] = norms;
            inverseScale[m] = 1.0 / member.scale();
        }
        this.sortedCentroids = new double[members][];
        this.sortedNorms = new double[members][];
        this.sortedLengths = new double[members][];
        this.originalIndex = new int[members][];
        double[] energy = new double[P];
        for (int m = 0; m < members; m++) {
            for (int c = 0; c < k[m]; c++) {
                for (int j = 0; j < P; j++) {
                    double v = flatCentroids[m][c * dimension + j];
                    energy[j] += v * v;
                }
            }
        }
        this.leading = java.util.stream.IntStream.range(0, P).boxed()
                .sorted((a, b) -> Double.compare(energy[b], energy[a])).limit(LEADING)
                .mapToInt(Integer::intValue).sorted().toArray();
        this.isLeading = new boolean[P];
        for (int j : leading) {
            isLeading[j] = true;
        }
        this.sortedRestLengths = new double[members][];
        this.sortedLeading = new double[members][];
        for (int m = 0; m < members; m++) {
            double[] norms = centroidNorms[m];
            int[] order = java.util.stream.IntStream.range(0, k[m]).boxed()
                    .sorted((a, b) -> a.equals(b) ? 0 : Double.compare(norms[a], norms[b]) != 0
                            ? Double.compare(norms[a], norms[b]) : Integer.compare(a, b))
                    .mapToInt(Integer::intValue).toArray();
            double[] flat = new double[k[m] * dimension];
            double[] sn = new double[k[m]];
            double[] sl = new double[k[m]];
            for (int i = 0; i < order.length; i++) {
                System.arraycopy(flatCentroids[m], order[i] * dimension, flat, i * dimension, dimension);
                sn[i] = norms[order[i]];
                sl[i] = Math.sqrt(norms[order[i]]);
            }
            double[] rest = new double[k[m]];
            for (int i = 0; i < order.length; i++) {
                double r = 0;
                for (int j = 0; j < P; j++) {
                    if (!isLeading[j]) {
                        r += flat[i * dimension + j] * flat[i * dimension + j];
                    }
                }
                rest[i] = Math.sqrt(r);
            }
            sortedRestLengths[m] = rest;
            double[] packed = new double[k[m] * LEADING];
            for (int i = 0; i < order.length; i++) {
                for (int l = 0; l < LEADING; l++) {
                    packed[i * LEADING + l] = flat[i * dimension + leading[l]];
                }
            }
            sortedLeading[m] = packed;
            sortedCentroids[m] = flat;
            sortedNorms[m] = sn;
            sortedLengths[m] = sl;
            originalIndex[m] = order;
        }
    }

    public int dimension() {
        return dimension;
    }

    /**
     * Scores rows {@code from} (inclusive) to {@code to} (exclusive) of {@code x}.
     *
     * @param nearest for each row, the index of the nearest centroid of member 0 (used to
     *                explain the verdict); may be null
     */
    public void score(EncodedRows x, int from, int to, double[] scores, int[] nearest) {
        double[] numeric = x.numeric;
        int[] hot = x.hot;
        double w = hotValue;
        for (int r = from; r < to; r++) {
            int offset = r * P;
            double xNorm = EncodedRows.HOT * w * w;
            for (int j = 0; j < P; j++) {
                xNorm += numeric[offset + j] * numeric[offset + j];
            }
            double xLength = Math.sqrt(xNorm);
            double xRest = 0;
            for (int j = 0; j < P; j++) {
                if (!isLeading[j]) {
                    xRest += numeric[offset + j] * numeric[offset + j];
                }
            }
            xRest = Math.sqrt(xRest);
            double x0 = numeric[offset + leading[0]];
            double x1 = numeric[offset + leading[1]];
            double x2 = numeric[offset + leading[2]];
            double x3 = numeric[offset + leading[3]];
            double x4 = numeric[offset + leading[4]];
            double x5 = numeric[offset + leading[5]];
            double x6 = numeric[offset + leading[6]];
            double x7 = numeric[offset + leading[7]];
            int h0 = hot[r * EncodedRows.HOT];
            int h1 = hot[r * EncodedRows.HOT + 1];
            int h2 = hot[r * EncodedRows.HOT + 2];
            double sum = 0;
            for (int m = 0; m < members; m++) {
                double[] flat = sortedCentroids[m];
                double[] norms = sortedNorms[m];
                double[] lengths = sortedLengths[m];
                int[] original = originalIndex[m];
                double[] restLengths = sortedRestLengths[m];
                double[] lead = sortedLeading[m];
                double best = Double.MAX_VALUE;
                int bestIndex = Integer.MAX_VALUE;
                // Visit centroids outwards from the one whose length is closest to the row's:
                // (|x| - |c|)^2 is a lower bound on |x - c|^2 that only grows in either direction.
                int hi = firstNotShorter(lengths, xLength);
                int lo = hi - 1;
                int km = k[m];
                while (lo >= 0 || hi < km) {
                    int c;
                    double gap;
                    if (hi >= km || (lo >= 0 && xLength - lengths[lo] <= lengths[hi] - xLength)) {
                        c = lo--;
                        gap = xLength - lengths[c];
                    } else {
                        c = hi++;
                        gap = lengths[c] - xLength;
                    }
                    if (gap * gap > best + xNorm + margin(xNorm, norms[c])) {
                        // The nearer side is already out of reach, so both are: nothing left can win.
                        break;
                    }
                    int co = c * dimension;
                    // x.c <= (x.c over the leading dimensions and one-hot slots) + |x_rest| |c_rest|
                    // (Cauchy-Schwarz), a lower bound on the distance that costs a fifth of it.
                    int lo8 = c * LEADING;
                    double partial = w * (flat[co + h0] + flat[co + h1] + flat[co + h2])
                            + x0 * lead[lo8] + x1 * lead[lo8 + 1] + x2 * lead[lo8 + 2] + x3 * lead[lo8 + 3]
                            + x4 * lead[lo8 + 4] + x5 * lead[lo8 + 5] + x6 * lead[lo8 + 6] + x7 * lead[lo8 + 7];
                    double bound = norms[c] - 2 * (partial + xRest * restLengths[c]);
                    if (bound > best + margin(xNorm, norms[c])) {
                        continue;
                    }
                    double d0 = 0;
                    double d1 = 0;
                    for (int j = 0; j < P; j += 2) {
                        d0 += numeric[offset + j] * flat[co + j];
                        d1 += numeric[offset + j + 1] * flat[co + j + 1];
                    }
                    double dot = d0 + d1 + w * (flat[co + h0] + flat[co + h1] + flat[co + h2]);
                    double d = norms[c] - 2 * dot;
                    int index = original[c];
                    // Ties go to the lowest original index, as in a scan in model order.
                    if (d < best || (d == best && index < bestIndex)) {
                        best = d;
                        bestIndex = index;
                    }
                }
                sum += Math.sqrt(Math.max(0, best + xNorm)) * inverseScale[m];
                if (m == 0 && nearest != null) {
                    nearest[r] = bestIndex;
                }
            }
            scores[r] = sum / members;
        }
    }

    /**
     * Slack for rounding in the expanded distance |x|^2 - 2 x.c + |c|^2: a centroid is skipped only
     * when its lower bound beats the best computed distance by far more than the rounding error
     * of either, so skipping never changes which centroid is nearest.
     */
    private static double margin(double xNorm, double cNorm) {
        return 1e-9 * (xNorm + cNorm + 1);
    }

    private static int firstNotShorter(double[] lengths, double length) {
        int lo = 0;
        int hi = lengths.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lengths[mid] < length) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Squared difference per dimension between row {@code r} of {@code x} and centroid {@code c} of member 0. */
    public void contributions(EncodedRows x, int r, int c, double[] out) {
        x.toDense(r, hotValue, out, 0, dimension);
        double[] flat = flatCentroids[0];
        int co = c * dimension;
        for (int j = 0; j < dimension; j++) {
            double d = out[j] - flat[co + j];
            out[j] = d * d;
        }
    }
}
