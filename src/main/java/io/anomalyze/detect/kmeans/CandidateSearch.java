package io.anomalyze.detect.kmeans;

/**
 * Finds, among one member's approximate values, the smallest and every centroid within reach
 * of it, without a branch per centroid: the blocks are folded lane by lane into minima over
 * 128, 64, 32 and 16 lanes (loops the JIT vectorises), and the search for candidates descends
 * only into lanes whose minimum is within reach. One instance per thread.
 */
final class CandidateSearch {

    private static final int LANES = ApproximateDistances.BLOCK;

    private final float[] min128 = new float[LANES];
    private final float[] min64 = new float[LANES / 2];
    private final float[] min32 = new float[LANES / 4];
    private final float[] min16 = new float[LANES / 8];

    /** The smallest value in {@code blocks} blocks of {@code values} from {@code first} on. */
    float smallest(float[][] values, int first, int blocks) {
        if (blocks == 1) {
            System.arraycopy(values[first], 0, min128, 0, LANES);
        } else {
            minimum(min128, values[first], values[first + 1]);
            for (int b = 2; b < blocks; b++) {
                minimum(min128, min128, values[first + b]);
            }
        }
        halve128(min64, min128);
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
     * same blocks.
     */
    int within(float[][] values, int first, int blocks, int k, float reach, int[] out) {
        int found = 0;
        for (int a = 0; a < min16.length; a++) {
            if (!(min16[a] <= reach)) {
                continue;
            }
            for (int b = a; b < min32.length; b += min16.length) {
                if (!(min32[b] <= reach)) {
                    continue;
                }
                for (int c = b; c < min64.length; c += min32.length) {
                    if (!(min64[c] <= reach)) {
                        continue;
                    }
                    for (int lane = c; lane < LANES; lane += min64.length) {
                        if (!(min128[lane] <= reach)) {
                            continue;
                        }
                        for (int block = 0; block < blocks; block++) {
                            int index = block * LANES + lane;
                            if (index < k && values[first + block][lane] <= reach) {
                                out[found++] = index;
                            }
                        }
                    }
                }
            }
        }
        return found;
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
