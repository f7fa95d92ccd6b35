package io.anomalyze.detect.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Backpropagation checked against the loss itself: every analytic partial derivative of a tiny
 * network's class-weighted cross-entropy must match a central finite difference.
 */
class MlpBackpropTest {

    private static final int[] SIZES = {4, 5, 3};
    private static final int ROWS = 6;
    private static final float[] CLASS_WEIGHT = {1f, 2f, 0.5f};

    private final Random random = new Random(11);
    private final float[] x = new float[ROWS * SIZES[0]];
    private final int[] y = new int[ROWS];
    private final int[] order = {5, 4, 3, 2, 1, 0};

    MlpBackpropTest() {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int r = 0; r < ROWS; r++) {
            y[r] = r % 3;
        }
    }

    /** The loss {@link MlpBackprop} differentiates: mean over rows of weight × −log p(true class). */
    private double loss(MlpNetwork net) {
        float[] p = net.probabilities(x, ROWS);
        double sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += CLASS_WEIGHT[y[r]] * -Math.log(p[r * 3 + y[r]]);
        }
        return sum / ROWS;
    }

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        MlpNetwork net = MlpNetwork.initialise(SIZES, random);
        AdamOptimizer buffers = new AdamOptimizer(net);
        double summed = new MlpBackprop(SIZES, ROWS).gradients(net, x, y, order, 0, ROWS, CLASS_WEIGHT, buffers.gradW, buffers.gradB);
        assertEquals(loss(net) * ROWS, summed, 1e-4, "the returned loss is the batch's summed weighted loss");

        double h = 1e-2;
        int checked = 0;
        for (int l = 0; l < net.layers(); l++) {
            for (float[][] params : new float[][][] {{net.weights[l], buffers.gradW[l]}, {net.biases[l], buffers.gradB[l]}}) {
                float[] p = params[0];
                float[] analytic = params[1];
                for (int i = 0; i < p.length; i++) {
                    float kept = p[i];
                    p[i] = (float) (kept + h);
                    double up = loss(net);
                    p[i] = (float) (kept - h);
                    double down = loss(net);
                    p[i] = kept;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric),
                            "layer " + l + " parameter " + i);
                    checked++;
                }
            }
        }
        assertEquals(4 * 5 + 5 + 5 * 3 + 3, checked);
    }

    @Test
    void anAdamStepAlongTheGradientLowersTheLoss() {
        MlpNetwork net = MlpNetwork.initialise(SIZES, random);
        AdamOptimizer adam = new AdamOptimizer(net);
        MlpBackprop backprop = new MlpBackprop(SIZES, ROWS);
        double before = loss(net);
        for (int step = 0; step < 20; step++) {
            backprop.gradients(net, x, y, order, 0, ROWS, CLASS_WEIGHT, adam.gradW, adam.gradB);
            adam.update(net, 0.01);
        }
        double after = loss(net);
        assertTrue(after < before * 0.9, "loss " + before + " -> " + after);
    }
}
