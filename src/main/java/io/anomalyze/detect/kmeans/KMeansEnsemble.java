package io.anomalyze.detect.kmeans;

import io.anomalyze.read.connection.ConnectionLayout;
import java.util.List;

/**
 * Scores encoded records against every member of the ensemble. A member's score is the
 * distance to its nearest centroid divided by the member's scale; the ensemble score is the
 * mean over members.
 *
 * <p>Squared distances are expanded as |x|^2 - 2 x.c + |c|^2, where x.c runs over the 38
 * numeric dimensions plus three one-hot lookups. The search runs in two steps:
 * <ol>
 *   <li>{@link ApproximateDistances} computes |c|^2 - 2 x.c for every centroid in single
 *       precision with SIMD instructions, a few records at a time;</li>
 *   <li>only centroids whose approximate value lies within twice the rounding bound of the
 *       smallest one can be nearest ({@link CandidateSearch}); those few are computed again in
 *       double precision exactly as a scan over all centroids would.</li>
 * </ol>
 * So scores and nearest centroids are bit for bit those of a full double-precision scan, with
 * ties going to the lowest centroid index, at a fraction of its cost.
 */
public final class KMeansEnsemble {

    private static final int P = ConnectionLayout.NUMERIC_COUNT;
    /** Records approximated together; their values for all centroids stay in cache. */
    private static final int TILE = 16;

    private final int dimension;
    private final int members;
    private final double hotValue;
    private final int[] k;
    private final double[][] flatCentroids;
    private final double[][] centroidNorms;
    private final double[] longestCentroid;
    private final double[] inverseScale;
    private final ApproximateDistances approximate;

    /**
     * @param baseline the encoded numeric values most records share (for connection records,
     *                 the encoding of all-zero counts); it affects speed only, never results
     */
    public KMeansEnsemble(List<KMeansMember> memberList, int dimension, double hotValue, double[] baseline) {
        this.dimension = dimension;
        this.hotValue = hotValue;
        this.members = memberList.size();
        this.k = new int[members];
        this.flatCentroids = new double[members][];
        this.centroidNorms = new double[members][];
        this.longestCentroid = new double[members];
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
                longestCentroid[m] = Math.max(longestCentroid[m], Math.sqrt(norm));
            }
            flatCentroids[m] = flat;
            centroidNorms[m] = norms;
            inverseScale[m] = 1.0 / member.scale();
        }
        this.approximate = new ApproximateDistances(memberList, centroidNorms, dimension, hotValue, baseline);
    }

    public int dimension() {
        return dimension;
    }

    /** Working memory for {@link #score}; one per thread, reusable across calls. */
    public final class Scratch {
        private final float[][] values = new float[TILE][approximate.lanes()];
        private final ApproximateDistances.Deviations deviations = new ApproximateDistances.Deviations(TILE);
        private final CandidateSearch search = new CandidateSearch(approximate.lanes());
        private final int[] candidates = new int[java.util.Arrays.stream(k).max().orElse(0)];
    }

    public Scratch newScratch() {
        return new Scratch();
    }

    /** {@link #score(EncodedRows, int, int, double[], int[], Scratch, Baselines)} with fresh working memory and the default baseline. */
    public void score(EncodedRows x, int from, int to, double[] scores, int[] nearest) {
        score(x, from, to, scores, nearest, newScratch(), null);
    }

    /**
     * Scores rows {@code from} (inclusive) to {@code to} (exclusive) of {@code x}.
     *
     * @param nearest   for each row, the index of the nearest centroid of member 0 (used to
     *                  explain the verdict); may be null
     * @param baselines from {@link #baselinesFrom} on a sample of the same input, or null; they
     *                  change the speed, never the results
     */
    public void score(EncodedRows x, int from, int to, double[] scores, int[] nearest, Scratch scratch, Baselines baselines) {
        ApproximateDistances.Baselines scan = baselines == null ? null : baselines.approximate;
        for (int start = from; start < to; start += TILE) {
            int end = Math.min(to, start + TILE);
            approximate.compute(x, start, end, scratch.values, scratch.deviations, scan);
            for (int r = start; r < end; r++) {
                scoreRow(x, r, scratch.values[r - start], scratch.deviations.spread[r - start], scores, nearest, scratch);
            }
        }
    }

    /** Baselines are fitted to at most this many records, the first of an input... */
    public static final int BASELINE_SAMPLE = 1024;
    /** ...and only from at least this many: for fewer, fitting would cost more than it saves. */
    private static final int BASELINE_MIN_SAMPLE = 256;

    /**
     * Baselines fitted to the first {@link #BASELINE_SAMPLE} of {@code rows} records: the most
     * common value of each numeric dimension among the sample's rows of each frequent
     * (protocol, flag) pair. A record then differs from its baseline in fewer numeric
     * dimensions than from the all-zero record, and its protocol and flag cost nothing.
     *
     * @return null (the default baseline) when there are fewer than 256 records to fit to
     */
    public Baselines baselinesFrom(EncodedRows x, int rows) {
        int sample = Math.min(rows, BASELINE_SAMPLE);
        return sample < BASELINE_MIN_SAMPLE ? null : new Baselines(BaselineChoice.choose(x, sample, approximate));
    }

    /** Baselines chosen for one input; immutable, shared by every thread scoring it. */
    public static final class Baselines {
        private final ApproximateDistances.Baselines approximate;

        private Baselines(ApproximateDistances.Baselines approximate) {
            this.approximate = approximate;
        }

        /** How many (protocol, flag) pairs have a baseline of their own. */
        public int pairs() {
            return approximate.pairs();
        }
    }

    private void scoreRow(EncodedRows x, int r, float[] values, double spread, double[] scores, int[] nearest, Scratch scratch) {
        CandidateSearch search = scratch.search;
        int[] candidates = scratch.candidates;
        double[] numeric = x.numeric;
        int offset = r * P;
        double w = hotValue;
        double xNorm = EncodedRows.HOT * w * w;
        for (int j = 0; j < P; j++) {
            xNorm += numeric[offset + j] * numeric[offset + j];
        }
        int h0 = x.hot[r * EncodedRows.HOT];
        int h1 = x.hot[r * EncodedRows.HOT + 1];
        int h2 = x.hot[r * EncodedRows.HOT + 2];
        double sum = 0;
        search.fold(values);
        for (int m = 0; m < members; m++) {
            int first = approximate.firstLane(m);
            int blocks = ApproximateDistances.blocksFor(k[m]);
            float smallest = search.smallest(first, blocks);
            // The true nearest centroid's approximate value is at most 2 bounds above the smallest.
            float reach = CandidateSearch.roundUp(smallest + 2 * approximate.errorBound(spread, longestCentroid[m]));
            int found = search.within(values, first, blocks, k[m], reach, candidates);
            double[] flat = flatCentroids[m];
            double[] norms = centroidNorms[m];
            double best = Double.MAX_VALUE;
            int bestIndex = -1;
            for (int i = 0; i < found; i++) {
                int c = candidates[i];
                int co = c * dimension;
                double d0 = 0;
                double d1 = 0;
                for (int j = 0; j < P; j += 2) {
                    d0 += numeric[offset + j] * flat[co + j];
                    d1 += numeric[offset + j + 1] * flat[co + j + 1];
                }
                double dot = d0 + d1 + w * (flat[co + h0] + flat[co + h1] + flat[co + h2]);
                double d = norms[c] - 2 * dot;
                // Ties go to the lowest index, as in a scan in model order.
                if (d < best || (d == best && c < bestIndex)) {
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
