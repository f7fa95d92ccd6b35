package io.anomalyze.detect.kmeans;

/**
 * Finds, among one member's approximate values, the smallest and every centroid within reach
 * of it, without a branch per centroid: the blocks are folded lane by lane into minima over
 * ever fewer lanes, halving down to 16 (loops the JIT vectorises), and the search for
 * candidates descends only into lanes whose minimum is within reach. One instance per thread.
 */
final class CandidateSearch {

    private static final int LANES = ApproximateDistances.BLOCK;
    private static final int NARROWEST = 16;

    /** minima[0] has LANES lanes (minimum over blocks), each next level half as many, down to 16. */
    private final float[][] minima;

    CandidateSearch() {
        int levels = Integer.numberOfTrailingZeros(LANES / NARROWEST) + 1;
        minima = new float[levels][];
        for (int l = 0; l < levels; l++) {
            minima[l] = new float[LANES >> l];
        }
    }

    /** The smallest value in {@code blocks} blocks of {@code values} from {@code first} on. */
    float smallest(float[][] values, int first, int blocks) {
        float[] lanes = minima[0];
        if (blocks == 1) {
            System.arraycopy(values[first], 0, lanes, 0, LANES);
        } else {
            minimum(lanes, values[first], values[first + 1]);
            for (int b = 2; b < blocks; b++) {
                minimum(lanes, lanes, values[first + b]);
            }
        }
        for (int l = 1; l < minima.length; l++) {
            halve(minima[l], minima[l - 1]);
        }
        float[] narrowest = minima[minima.length - 1];
        float smallest = narrowest[0];
        for (int i = 1; i < narrowest.length; i++) {
            smallest = Math.min(smallest, narrowest[i]);
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
        int top = minima.length - 1;
        for (int lane = 0; lane < NARROWEST; lane++) {
            found = descend(top, lane, values, first, blocks, k, reach, out, found);
        }
        return found;
    }

    /** Lane {@code lane} of level {@code level} stands for lanes lane and lane + width of the level below. */
    private int descend(int level, int lane, float[][] values, int first, int blocks, int k, float reach, int[] out, int found) {
        if (!(minima[level][lane] <= reach)) {
            return found;
        }
        if (level > 0) {
            found = descend(level - 1, lane, values, first, blocks, k, reach, out, found);
            return descend(level - 1, lane + minima[level].length, values, first, blocks, k, reach, out, found);
        }
        for (int block = 0; block < blocks; block++) {
            int index = block * LANES + lane;
            if (index < k && values[first + block][lane] <= reach) {
                out[found++] = index;
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

    private static void halve(float[] out, float[] in) {
        int half = out.length;
        for (int i = 0; i < half; i++) {
            out[i] = Math.min(in[i], in[i + half]);
        }
    }
}
