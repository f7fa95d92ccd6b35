package io.anomalyze.detect.kmeans;

/**
 * Finds, among one member's approximate values, the smallest and every centroid within reach
 * of it, without a branch per centroid: the blocks are folded lane by lane into minima over
 * 128, 64, 32 and 16 lanes (loops the JIT vectorises), and the search for candidates looks
 * only under the 16-lane minima within reach. One instance per thread.
 */
final class CandidateSearch {

    private static final int LANES = ApproximateDistances.BLOCK;

    private final float[] min128 = new float[LANES];
    private final float[] min64 = new float[LANES / 2];
    private final float[] min32 = new float[LANES / 4];
    private final float[] min16 = new float[LANES / 8];
    /** Per lane, the minimum over the member's blocks: {@link #min128}, or the block itself when there is one. */
    private float[] lanes;

    /** The smallest value in {@code blocks} blocks of {@code values} from {@code first} on. */
    float smallest(float[][] values, int first, int blocks) {
        if (blocks == 1) {
            lanes = values[first];
        } else {
            minimum(min128, values[first], values[first + 1]);
            for (int b = 2; b < blocks; b++) {
                minimum(min128, min128, values[first + b]);
            }
            lanes = min128;
        }
        halve128(min64, lanes);
        halve64(min32, min64);
        halve32(min16, min32);
        float smallest = min16[0];
        for (int i = 1; i < min16.length; i++) {
            smallest = Math.min(smallest, min16[i]);
        }
        return smallest;
    }

    /**
     * Writes to {@code out} the index of every one of the member's {@code k} centroids whose
     * value is at most {@code reach}, and returns how many; call after {@link #smallest} on the
     * same blocks. The 16-lane minima within reach become a bit mask, then the eight lanes under
     * each set bit another: usually one bit is set at each level, so the work is a few dozen
     * comparisons and no branch that depends on where the nearest centroid happens to sit.
     */
    int within(float[][] values, int first, int blocks, int k, float reach, int[] out) {
        int found = 0;
        for (int groups = mask(min16, 0, 1, min16.length, reach); groups != 0; groups &= groups - 1) {
            int group = Integer.numberOfTrailingZeros(groups);
            for (int hits = mask(lanes, group, min16.length, LANES / min16.length, reach); hits != 0; hits &= hits - 1) {
                int lane = group + min16.length * Integer.numberOfTrailingZeros(hits);
                for (int block = 0; block < blocks; block++) {
                    int index = block * LANES + lane;
                    if (index < k && values[first + block][lane] <= reach) {
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

    private static void minimum(float[] out, float[] a, float[] b) {
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(a[i], b[i]);
        }
    }

    // The halving loops spell out their offsets: C2 vectorises a[i] against a[i + 64] only
    // when the 64 is a constant, and runs a loop with a variable offset one lane at a time.

    private static void halve128(float[] out, float[] in) {
        for (int i = 0; i < 64; i++) {
            out[i] = Math.min(in[i], in[i + 64]);
        }
    }

    private static void halve64(float[] out, float[] in) {
        for (int i = 0; i < 32; i++) {
            out[i] = Math.min(in[i], in[i + 32]);
        }
    }

    private static void halve32(float[] out, float[] in) {
        for (int i = 0; i < 16; i++) {
            out[i] = Math.min(in[i], in[i + 16]);
        }
    }
}
