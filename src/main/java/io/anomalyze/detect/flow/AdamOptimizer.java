package io.anomalyze.detect.flow;

/**
 * Adam (Kingma and Ba, 2015) over an {@link MlpNetwork}'s weights and biases: it owns the
 * gradient buffers that backpropagation fills and the first and second moment estimates, all
 * as float arrays shaped like the network's layers.
 */
final class AdamOptimizer {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    /** Gradient of the loss per weight and bias, filled by {@link MlpBackprop} before each {@link #update}. */
    final float[][] gradW;
    final float[][] gradB;
    private final float[][] mW;
    private final float[][] vW;
    private final float[][] mB;
    private final float[][] vB;
    private int t;

    AdamOptimizer(MlpNetwork net) {
        int layers = net.layers();
        gradW = new float[layers][];
        gradB = new float[layers][];
        mW = new float[layers][];
        vW = new float[layers][];
        mB = new float[layers][];
        vB = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gradW[l] = new float[net.weights[l].length];
            mW[l] = new float[net.weights[l].length];
            vW[l] = new float[net.weights[l].length];
            gradB[l] = new float[net.biases[l].length];
            mB[l] = new float[net.biases[l].length];
            vB[l] = new float[net.biases[l].length];
        }
    }

    /** One step of size {@code lr} along the current gradients, with bias-corrected moments. */
    void update(MlpNetwork net, double lr) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        for (int l = 0; l < gradW.length; l++) {
            apply(net.weights[l], gradW[l], mW[l], vW[l], stepSize);
            apply(net.biases[l], gradB[l], mB[l], vB[l], stepSize);
        }
    }

    private static void apply(float[] p, float[] g, float[] m, float[] v, float stepSize) {
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float eps = (float) EPSILON;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + eps);
        }
    }
}
