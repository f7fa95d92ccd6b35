package io.anomalyze.detect.flow;

import java.util.Arrays;

/**
 * Backpropagation of the class-weighted cross-entropy through a ReLU {@link MlpNetwork} with a
 * softmax output, reusing its activation and delta buffers from one mini-batch to the next.
 */
final class MlpBackprop {

    private final int[] sizes;
    private final float[][] act;
    private final float[][] delta;

    /**
     * @param sizes the network's layer sizes, input first
     * @param batch the most rows a mini-batch holds
     */
    MlpBackprop(int[] sizes, int batch) {
        this.sizes = sizes;
        act = new float[sizes.length][];
        delta = new float[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            act[l] = new float[batch * sizes[l]];
            delta[l] = new float[batch * sizes[l]];
        }
    }

    /**
     * Fills {@code gradW} and {@code gradB} with the gradient of the class-weighted
     * cross-entropy of the mini-batch (rows {@code order[from .. from + rows)} of {@code x}),
     * averaged over its rows.
     *
     * @return the batch's summed weighted loss (not averaged), for progress reports
     */
    double gradients(MlpNetwork net, float[] x, int[] y, int[] order, int from, int rows, float[] classWeight,
                     float[][] gradW, float[][] gradB) {
        int d = sizes[0];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, order[from + r] * d, act[0], r * d, d);
        }
        int layers = net.layers();
        for (int l = 0; l < layers; l++) {
            net.layer(l, act[l], rows, act[l + 1], l < layers - 1);
        }
        int k = sizes[layers];
        float[] p = act[layers];
        MlpNetwork.softmax(p, rows, k);
        float[] dz = delta[layers];
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int t = y[order[from + r]];
            float w = classWeight[t];
            loss += -w * Math.log(Math.max(p[r * k + t], 1e-12f));
            for (int c = 0; c < k; c++) {
                float target = c == t ? 1f : 0f;
                dz[r * k + c] = w * (p[r * k + c] - target) / rows;
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            float[] gw = gradW[l];
            float[] gb = gradB[l];
            Arrays.fill(gw, 0f);
            Arrays.fill(gb, 0f);
            float[] dl = delta[l + 1];
            float[] a = act[l];
            for (int r = 0; r < rows; r++) {
                int aBase = r * nIn;
                int dBase = r * nOut;
                for (int o = 0; o < nOut; o++) {
                    float g = dl[dBase + o];
                    if (g == 0f) {
                        continue;
                    }
                    gb[o] += g;
                    int wBase = o * nIn;
                    for (int i = 0; i < nIn; i++) {
                        gw[wBase + i] += g * a[aBase + i];
                    }
                }
            }
            if (l > 0) {
                float[] w = net.weights[l];
                float[] prev = delta[l];
                Arrays.fill(prev, 0, rows * nIn, 0f);
                for (int r = 0; r < rows; r++) {
                    int aBase = r * nIn;
                    int dBase = r * nOut;
                    for (int o = 0; o < nOut; o++) {
                        float g = dl[dBase + o];
                        if (g == 0f) {
                            continue;
                        }
                        int wBase = o * nIn;
                        for (int i = 0; i < nIn; i++) {
                            prev[aBase + i] += g * w[wBase + i];
                        }
                    }
                    for (int i = 0; i < nIn; i++) {
                        if (a[aBase + i] <= 0f) {
                            prev[aBase + i] = 0f;
                        }
                    }
                }
            }
        }
        return loss;
    }
}
