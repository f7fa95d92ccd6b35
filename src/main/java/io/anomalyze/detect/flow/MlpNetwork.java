package io.anomalyze.detect.flow;

/**
 * A fully connected ReLU network with a softmax output, held in primitive float arrays.
 * Layer {@code l} maps {@code sizes[l]} inputs to {@code sizes[l+1]} outputs with weights
 * {@code weights[l]} stored [out x in] row-major (ONNX Gemm with {@code transB=1}) and biases
 * {@code biases[l]}.
 */
public final class MlpNetwork {

    private final int[] sizes;
    final float[][] weights;
    final float[][] biases;

    public MlpNetwork(int[] sizes, float[][] weights, float[][] biases) {
        this.sizes = sizes.clone();
        this.weights = weights;
        this.biases = biases;
    }

    /** He-initialised weights and zero biases, from a seeded generator. */
    public static MlpNetwork initialise(int[] sizes, java.util.Random random) {
        float[][] w = new float[sizes.length - 1][];
        float[][] b = new float[sizes.length - 1][];
        for (int l = 0; l < w.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double scale = Math.sqrt(2.0 / in);
            w[l] = new float[in * out];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (float) (random.nextGaussian() * scale);
            }
            b[l] = new float[out];
        }
        return new MlpNetwork(sizes, w, b);
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int layers() {
        return weights.length;
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[sizes.length - 1];
    }

    public float[] weights(int layer) {
        return weights[layer];
    }

    public float[] biases(int layer) {
        return biases[layer];
    }

    /** A deep copy, used to keep the best epoch's parameters. */
    public MlpNetwork copy() {
        float[][] w = new float[weights.length][];
        float[][] b = new float[biases.length][];
        for (int l = 0; l < w.length; l++) {
            w[l] = weights[l].clone();
            b[l] = biases[l].clone();
        }
        return new MlpNetwork(sizes, w, b);
    }

    /**
     * Dense layer {@code l} over {@code rows} rows: {@code out = in * W^T + b}, followed by
     * ReLU when {@code relu} is set (every layer but the output layer).
     */
    void layer(int l, float[] in, int rows, float[] out, boolean relu) {
        int nIn = sizes[l];
        int nOut = sizes[l + 1];
        float[] w = weights[l];
        float[] b = biases[l];
        // Row by row as a sum of scaled weight columns: a contiguous multiply-add the JIT
        // vectorises, and inputs that ReLU zeroed cost nothing.
        float[] wt = new float[nIn * nOut];
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < nIn; i++) {
                wt[i * nOut + o] = w[o * nIn + i];
            }
        }
        for (int r = 0; r < rows; r++) {
            int inBase = r * nIn;
            int outBase = r * nOut;
            System.arraycopy(b, 0, out, outBase, nOut);
            for (int i = 0; i < nIn; i++) {
                float a = in[inBase + i];
                if (a == 0f) {
                    continue;
                }
                int tBase = i * nOut;
                for (int o = 0; o < nOut; o++) {
                    out[outBase + o] += a * wt[tBase + o];
                }
            }
            if (relu) {
                for (int o = 0; o < nOut; o++) {
                    if (out[outBase + o] < 0f) {
                        out[outBase + o] = 0f;
                    }
                }
            }
        }
    }

    /** Softmax over each row of {@code logits}, in place. */
    static void softmax(float[] logits, int rows, int classes) {
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[base + c]);
            }
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float e = (float) Math.exp(logits[base + c] - max);
                logits[base + c] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                logits[base + c] /= sum;
            }
        }
    }

    /**
     * Class probabilities for {@code rows} standardised rows.
     *
     * @return {@code rows * outputs()} probabilities, row-major
     */
    public float[] probabilities(float[] x, int rows) {
        float[] current = x;
        for (int l = 0; l < weights.length; l++) {
            float[] next = new float[rows * sizes[l + 1]];
            layer(l, current, rows, next, l < weights.length - 1);
            current = next;
        }
        softmax(current, rows, outputs());
        return current;
    }
}
