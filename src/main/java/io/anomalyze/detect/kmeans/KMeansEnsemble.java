package io.anomalyze.detect.kmeans;

import java.util.List;

/**
 * Scores encoded records against every member of the ensemble. A member's score is the
 * distance to its nearest centroid (in units of that cluster's spread when the member has
 * cluster scales) divided by the member's scale; the ensemble score is the mean over members. Centroids are kept flat with their squared norms so that the inner loop
 * is a dot product over primitive arrays.
 */
public final class KMeansEnsemble {

    private final int dimension;
    private final int members;
    private final int[] k;
    private final double[][] flatCentroids;
    private final double[][] centroidNorms;
    private final double[] inverseScale;
    /** Per member, 1 / cluster scale for each centroid, or null when the member uses one scale. */
    private final double[][] inverseClusterScale;

    public KMeansEnsemble(List<KMeansMember> memberList, int dimension) {
        this.dimension = dimension;
        this.members = memberList.size();
        this.k = new int[members];
        this.flatCentroids = new double[members][];
        this.centroidNorms = new double[members][];
        this.inverseScale = new double[members];
        this.inverseClusterScale = new double[members][];
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
                norms[c] = dot(centroid, 0, centroid, 0, dimension);
            }
            flatCentroids[m] = flat;
            centroidNorms[m] = norms;
            inverseScale[m] = 1.0 / member.scale();
            if (member.clusterScales() != null) {
                double[] inv = new double[member.k()];
                for (int c = 0; c < inv.length; c++) {
                    inv[c] = 1.0 / member.clusterScales()[c];
                }
                inverseClusterScale[m] = inv;
            }
        }
    }

    public int dimension() {
        return dimension;
    }

    /**
     * Scores {@code rows} encoded vectors laid out row-major in {@code x}.
     *
     * @param nearest for each row, the index of the nearest centroid of member 0 (used to
     *                explain the verdict); may be null
     */
    public void score(double[] x, int rows, double[] scores, int[] nearest) {
        for (int r = 0; r < rows; r++) {
            int offset = r * dimension;
            double xNorm = dot(x, offset, x, offset, dimension);
            double sum = 0;
            for (int m = 0; m < members; m++) {
                double[] flat = flatCentroids[m];
                double[] norms = centroidNorms[m];
                double[] clusterInv = inverseClusterScale[m];
                double best = Double.MAX_VALUE;
                int bestIndex = 0;
                for (int c = 0, km = k[m]; c < km; c++) {
                    double d = norms[c] - 2 * dot(x, offset, flat, c * dimension, dimension);
                    if (clusterInv != null) {
                        d = Math.sqrt(Math.max(0, d + xNorm)) * clusterInv[c];
                    }
                    if (d < best) {
                        best = d;
                        bestIndex = c;
                    }
                }
                double distance = clusterInv != null ? best : Math.sqrt(Math.max(0, best + xNorm));
                sum += distance * inverseScale[m];
                if (m == 0 && nearest != null) {
                    nearest[r] = bestIndex;
                }
            }
            scores[r] = sum / members;
        }
    }

    /** Squared difference per dimension between vector {@code r} of {@code x} and centroid {@code c} of member 0. */
    public void contributions(double[] x, int r, int c, double[] out) {
        double[] flat = flatCentroids[0];
        int xo = r * dimension;
        int co = c * dimension;
        for (int j = 0; j < dimension; j++) {
            double d = x[xo + j] - flat[co + j];
            out[j] = d * d;
        }
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
        }
        if (i < n) {
            s0 += a[ao + i] * b[bo + i];
        }
        return s0 + s1;
    }
}
