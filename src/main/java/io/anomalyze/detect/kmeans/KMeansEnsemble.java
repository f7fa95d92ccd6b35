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
 */
public final class KMeansEnsemble {

    private static final int P = ConnectionLayout.NUMERIC_COUNT;

    private final int dimension;
    private final int members;
    private final double hotValue;
    private final int[] k;
    private final double[][] flatCentroids;
    private final double[][] centroidNorms;
    private final double[] inverseScale;

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
            int h0 = hot[r * EncodedRows.HOT];
            int h1 = hot[r * EncodedRows.HOT + 1];
            int h2 = hot[r * EncodedRows.HOT + 2];
            double sum = 0;
            for (int m = 0; m < members; m++) {
                double[] flat = flatCentroids[m];
                double[] norms = centroidNorms[m];
                double best = Double.MAX_VALUE;
                int bestIndex = 0;
                for (int c = 0, km = k[m]; c < km; c++) {
                    int co = c * dimension;
                    double d0 = 0;
                    double d1 = 0;
                    for (int j = 0; j < P; j += 2) {
                        d0 += numeric[offset + j] * flat[co + j];
                        d1 += numeric[offset + j + 1] * flat[co + j + 1];
                    }
                    double dot = d0 + d1 + w * (flat[co + h0] + flat[co + h1] + flat[co + h2]);
                    double d = norms[c] - 2 * dot;
                    if (d < best) {
                        best = d;
                        bestIndex = c;
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
