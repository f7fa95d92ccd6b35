package io.anomalyze.detect.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole trainer on flows whose class a single feature gives away: after one epoch it must
 * beat the majority class by far, on rows it never trained on.
 */
class MlpTrainerTest {

    @TempDir
    Path dir;

    /** BENIGN to port 443, DDoS to port 80 with long flows, PortScan to high ports with one packet. */
    private static String row(Random random, String label) {
        double[] v = new double[FlowFeatures.COUNT];
        for (int f = 0; f < v.length; f++) {
            v[f] = random.nextInt(50);
        }
        switch (label) {
            case "BENIGN" -> v[0] = 443;
            case "DDoS" -> {
                v[0] = 80;
                v[1] = 5_000_000 + random.nextInt(1_000_000);
            }
            default -> {
                v[0] = 1024 + random.nextInt(60_000);
                v[2] = 1;
            }
        }
        StringBuilder line = new StringBuilder();
        for (double value : v) {
            line.append((long) value).append(',');
        }
        return line.append(label).append('\n').toString();
    }

    private static Path write(Path file, Random random, int rows) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", FlowFeatures.NAMES)).append(",Label\n");
        for (int r = 0; r < rows; r++) {
            int pick = r % 10;
            csv.append(row(random, pick < 6 ? "BENIGN" : pick < 9 ? "DDoS" : "PortScan"));
        }
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void oneEpochOnSeparableFlowsBeatsTheMajorityClass() throws IOException {
        Random random = new Random(5);
        Path train = write(dir.resolve("train.csv"), random, 2_000);
        MlpTrainingParameters oneEpoch = new MlpTrainingParameters(3, new int[] {16}, 1, 32, 1e-2, 0.2, 4, 0.5, 1);
        MlpTrainer.Result result = new MlpTrainer(oneEpoch, s -> { }).train(List.of(train), "separable.onnx");

        int rows = 500;
        float[] raw = new float[rows * FlowFeatures.COUNT];
        int[] truth = new int[rows];
        Random test = new Random(99);
        for (int r = 0; r < rows; r++) {
            String label = r % 10 < 6 ? "BENIGN" : r % 10 < 9 ? "DDoS" : "PortScan";
            String[] cells = row(test, label).strip().split(",");
            for (int f = 0; f < FlowFeatures.COUNT; f++) {
                raw[r * FlowFeatures.COUNT + f] = Float.parseFloat(cells[f]);
            }
            truth[r] = io.anomalyze.read.flow.FlowLabels.CLASSES.indexOf(label);
        }
        float[] p = result.probabilities(raw, rows);
        int k = p.length / rows;
        assertEquals(15, k);
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[r * k + c] > p[r * k + best]) {
                    best = c;
                }
            }
            if (best == truth[r]) {
                correct++;
            }
        }
        double accuracy = correct / (double) rows;
        assertTrue(accuracy > 0.9, "accuracy after one epoch " + accuracy + ", majority class 0.6");
    }
}
