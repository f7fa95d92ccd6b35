package io.anomalyze.detect.flow;

/**
 * How the flow MLP is trained.
 *
 * @param seed               seeds the split, the initial weights and the batch order
 * @param hidden             sizes of the hidden ReLU layers
 * @param maxEpochs          most passes over the training part
 * @param batchSize          rows per Adam step
 * @param learningRate       Adam's initial step size
 * @param validationFraction share of each class of each training file held out for early
 *                           stopping and model choice
 * @param patience           epochs without a better validation macro-F1 before stopping
 * @param classWeightPower   class weight is (rows / (classes * class rows)) to this power:
 *                           0 ignores imbalance, 1 fully balances; in between lifts rare
 *                           classes without letting a handful of rows dominate
 * @param members            networks trained from different initial weights and batch
 *                           orders on the same split; the model averages their probabilities
 */
public record MlpTrainingParameters(long seed, int[] hidden, int maxEpochs, int batchSize, double learningRate,
                                    double validationFraction, int patience, double classWeightPower, int members) {

    public MlpTrainingParameters {
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1");
        }
    }

    /** Ensemble size of the default setup: one network. */
    public static final int MEMBERS = 1;

    public static MlpTrainingParameters defaults(long seed, int maxEpochs) {
        return defaults(seed, maxEpochs, MEMBERS);
    }

    public static MlpTrainingParameters defaults(long seed, int maxEpochs, int members) {
        return new MlpTrainingParameters(seed, new int[] {256, 128}, maxEpochs, 128, 1e-3, 0.15, 12, 0.5, members);
    }
}
