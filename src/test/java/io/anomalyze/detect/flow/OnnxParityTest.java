package io.anomalyze.detect.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.detect.ModelDomain;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowLabels;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trains a small two-member MLP ensemble on the repository's sample, exports it, and checks that ONNX Runtime
 * gives the trainer's own probabilities on every one of the sample's 2,770 flows.
 */
class OnnxParityTest {

    static final Path SAMPLE = Path.of("uploads/MachineLearningCVE-sample.csv");
    private static final MlpTrainingParameters SMALL =
            new MlpTrainingParameters(7, new int[] {32, 16}, 4, 64, 2e-3, 0.2, 4, 0.5, 2);

    private static MlpTrainer.Result result;
    private static float[] raw;
    private static int rows;
    private static String[] labels;

    @BeforeAll
    static void train() throws IOException {
        result = new MlpTrainer(SMALL, s -> { }).train(List.of(SAMPLE), "small.onnx");
        FlowBatch batch = new FlowBatch(10_000);
        try (InputStream in = TrafficInput.open(SAMPLE, InputLimits.DEFAULTS);
             FlowRecordReader reader = new FlowRecordReader(in, "sample", InputLimits.DEFAULTS)) {
            reader.read(batch);
        }
        rows = batch.size();
        raw = java.util.Arrays.copyOf(batch.features, rows * FlowFeatures.COUNT);
        labels = java.util.Arrays.copyOf(batch.label, rows);
    }

    @Test
    void onnxRuntimeMatchesTheTrainersForwardPass() {
        assertEquals(2770, rows);
        FlowModelSidecar sidecar = FlowModelSidecar.parse(result.sidecar(), "small.json");
        float[] expected = result.probabilities(raw, rows);
        try (FlowDetector detector = new FlowDetector(result.onnx(), sidecar, ModelDomain.Source.inMemory("small.onnx"))) {
            float[] actual = detector.probabilities(raw, rows);
            assertEquals(rows * 15, actual.length);
            double max = 0;
            for (int i = 0; i < actual.length; i++) {
                max = Math.max(max, Math.abs(actual[i] - expected[i]));
            }
            assertTrue(max < 1e-5, "largest difference " + max);
            // The probabilities are real ones (every row sums to 1) and the model learnt something:
            // on the flows it was trained on, it beats calling everything BENIGN (1,505 of 2,770).
            int correct = 0;
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                int best = 0;
                for (int c = 0; c < 15; c++) {
                    sum += actual[r * 15 + c];
                    best = actual[r * 15 + c] > actual[r * 15 + best] ? c : best;
                }
                assertEquals(1.0, sum, 1e-5, "row " + r);
                correct += FlowLabels.CLASSES.get(best).equals(labels[r]) ? 1 : 0;
            }
            assertTrue(correct > 0.8 * rows, correct + " of " + rows + " right");
        }
    }

    @Test
    void aSingleNetworkMatchesToo() throws IOException {
        MlpTrainingParameters one = new MlpTrainingParameters(SMALL.seed(), SMALL.hidden(), SMALL.maxEpochs(), SMALL.batchSize(),
                SMALL.learningRate(), SMALL.validationFraction(), SMALL.patience(), SMALL.classWeightPower(), 1);
        MlpTrainer.Result single = new MlpTrainer(one, s -> { }).train(List.of(SAMPLE), "single.onnx");
        assertEquals(1, single.networks().size());
        float[] expected = single.probabilities(raw, rows);
        try (FlowDetector detector = new FlowDetector(single.onnx(), FlowModelSidecar.parse(single.sidecar(), "single.json"), ModelDomain.Source.inMemory("single.onnx"))) {
            float[] actual = detector.probabilities(raw, rows);
            double max = 0;
            for (int i = 0; i < actual.length; i++) {
                max = Math.max(max, Math.abs(actual[i] - expected[i]));
            }
            assertTrue(max < 1e-5, "largest difference " + max);
        }
        assertEquals(2, result.networks().size());
        assertEquals(2, result.sidecar().path("architecture").path("members").asInt());
        assertEquals(2, result.sidecar().path("training").path("members").size());
    }

    @Test
    void theSameSeedGivesTheSameModel() throws IOException {
        MlpTrainer.Result again = new MlpTrainer(SMALL, s -> { }).train(List.of(SAMPLE), "small.onnx");
        assertArrayEquals(result.onnx(), again.onnx());
        MlpTrainingParameters otherSeed = new MlpTrainingParameters(8, SMALL.hidden(), SMALL.maxEpochs(), SMALL.batchSize(),
                SMALL.learningRate(), SMALL.validationFraction(), SMALL.patience(), SMALL.classWeightPower(), SMALL.members());
        MlpTrainer.Result different = new MlpTrainer(otherSeed, s -> { }).train(List.of(SAMPLE), "small.onnx");
        assertTrue(!java.util.Arrays.equals(result.onnx(), different.onnx()));
    }

    @Test
    void sidecarDescribesTheTraining() {
        var s = result.sidecar();
        assertEquals(FlowModelSidecar.FORMAT, s.path("format").asText());
        assertEquals("input", s.path("input").path("name").asText());
        assertEquals(78, s.path("input").path("features").size());
        assertEquals(15, s.path("classes").size());
        assertEquals("probabilities", s.path("output").path("kind").asText());
        assertEquals("MachineLearningCVE-sample.csv", s.path("training").path("files").get(0).path("file").asText());
        assertEquals(64, s.path("training").path("files").get(0).path("sha256").asText().length());
        assertEquals(2770, s.path("training").path("records").asInt());
        assertEquals(7, s.path("training").path("seed").asLong());
        assertTrue(s.path("validation").has("macroF1"));
        assertEquals(78, s.path("benignProfile").path("mean").size());
    }
}
