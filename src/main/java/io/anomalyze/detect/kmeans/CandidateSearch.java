package io.anomalyze.detect.kmeans;

/**
 * Finds, among one member's approximate values, the smallest and every centroid within reach
 * of it, without a branch per centroid.
 *
 * <p>Lanes come in blocks of 128, each member on blocks of its own. {@link #fold} first takes,
 * for every block of every member at once, the minimum of each group of 8 lanes
 * {g, g + 16, ..., g + 112} (g below 16): three loops over all lanes, which the JIT
 * vectorises. A member's 16 group minima then take a few scalar steps, and the search for
 * candidates looks only at the groups within reach. One instance per thread.
 */
final class CandidateSearch {

    private static final int LANES = ApproximateDistances.BLOCK;
    private static final int GROUPS = 16;

    /** Lane j holds min(values[j], values[j + 64]); only the first 64 lanes of a block matter. */
    private final float[] pairs;
    /** Lane j holds the minimum over j + 32 t, t below 4; only the first 32 lanes of a block matter. */
    private final float[] quads;
    /** Lane j holds the minimum over j + 16 t, t below 8: the block's group minima sit in its first 16 lanes. */
    private final float[] groups;
    /** The current member's group minima, over all of its blocks. */
    private final float[] memberGroups = new float[GROUPS];

    CandidateSearch(int lanes) {
        pairs = new float[lanes];
        quads = new float[lanes];
        groups = new float[lanes];
    }

    /** Computes the group minima of every block of {@code values}; call once per record, before the members' searches. */
    void fold(float[] values) {
        int n = values.length;
        // A block's lane j < 64 pairs with j + 64, never past the block; lanes further on
        // compare across blocks and are never read.
        halve64(pairs, values, n - 64);
        halve32(quads, pairs, n - 96);
        halve16(groups, quads, n - 112);
    }

    /** The smallest value of the member whose {@code blocks} blocks start at lane {@code first}. */
    float smallest(int first, int blocks) {
        float smallest = Float.POSITIVE_INFINITY;
        for (int g = 0; g < GROUPS; g++) {
            float m = groups[first + g];
            for (int b = 1; b < blocks; b++) {
                m = Math.min(m, groups[first + b * LANES + g]);
            }
            memberGroups[g] = m;
            smallest = Math.min(smallest, m);
        }
        return smallest;
    }

    /**
     * Writes to {@code out} the index of every one of the member's {@code k} centroids whose
     * value is at most {@code reach}, and returns how many; call after {@link #smallest} for
     * the same member. The member's group minima within reach become a bit mask, then each
     * block's group minimum, then the eight lanes of a group within reach another: usually one
     * bit is set at each level, so the work is a few dozen comparisons and no branch that
     * depends on where the nearest centroid happens to sit.
     */
    int within(float[] values, int first, int blocks, int k, float reach, int[] out) {
        int found = 0;
        for (int near = mask(memberGroups, 0, 1, GROUPS, reach); near != 0; near &= near - 1) {
            int group = Integer.numberOfTrailingZeros(near);
            for (int block = 0; block < blocks; block++) {
                int base = first + block * LANES + group;
                if (groups[base] > reach) {
                    continue;
                }
                for (int hits = mask(values, base, GROUPS, LANES / GROUPS, reach); hits != 0; hits &= hits - 1) {
                    int index = block * LANES + group + GROUPS * Integer.numberOfTrailingZeros(hits);
                    if (index < k) {
                        out[found++] = index;
                    }
                }
            }
        }
        return found;
    }

    /** Bit t set when {@code values[from + t * stride]} is within reach, for t below {@code count}. */
    private static int mask(float[] values, int from, int stride, int count, float reach) {
        int mask = 0;
        for (int t = 0; t < count; t++) {
            mask |= (values[from + t * stride] <= reach ? 1 : 0) << t;
        }
        return mask;
    }

    /** The smallest float not below {@code value}, so that comparing in float loses no candidate. */
    static float roundUp(double value) {
        float f = (float) value;
        return f < value ? Math.nextUp(f) : f;
    }

    // The halving loops spell out their distances and start at lane 0: C2 vectorises a[j]
    // against a[j + 64] only when the 64 is a constant and there is no other offset, and runs
    // any other loop one lane at a time.

    private static void halve64(float[] out, float[] in, int n) {
        for (int j = 0; j < n; j++) {
            out[j] = Math.min(in[j], in[j + 64]);
        }
    }

    private static void halve32(float[] out, float[] in, int n) {
        for (int j = 0; j < n; j++) {
            out[j] = Math.min(in[j], in[j + 32]);
        }
    }

    private static void halve16(float[] out, float[] in, int n) {
        for (int j = 0; j < n; j++) {
            out[j] = Math.min(in[j], in[j + 16]);
        }
    }
}
