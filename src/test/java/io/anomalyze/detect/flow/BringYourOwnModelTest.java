package io.anomalyze.detect.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.ModelLoader;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model made elsewhere: an ONNX MLP without preprocessing that outputs logits, its
 * features in another order and in CSE-CIC-IDS2018 names where they have one, and a sidecar
 * with a scaler. Its verdicts must equal a computation by hand.
 */
class BringYourOwnModelTest {

    private static final int F = FlowFeatures.COUNT;
    private static final List<String> CLASSES = List.of("DDoS", "BENIGN", "PortScan");

    @TempDir
    Path dir;

    /** Graph column j takes canonical feature 77 - j (the canonical order reversed). */
    private static int canonical(int j) {
        return F - 1 - j;
    }

    private static double mean(int j) {
        return j;
    }

    private static final double STD = 2.0;

    /** hidden0 = relu(x0 - x1 + 0.1), hidden1 = relu(0.5 x77 - 0.2); logits = [h0, h1, 0.5 h0 + 0.5 h1 + 0.25]. */
    private static MlpNetwork network() {
        float[] w1 = new float[2 * F];
        w1[0] = 1f;
        w1[1] = -1f;
        w1[F + 77] = 0.5f;
        float[] b1 = {0.1f, -0.2f};
        float[] w2 = {1f, 0f, 0f, 1f, 0.5f, 0.5f};
        float[] b2 = {0f, 0f, 0.25f};
        return new MlpNetwork(new int[] {F, 2, 3}, new float[][] {w1, w2}, new float[][] {b1, b2});
    }

    private static double[] byHand(double[] raw) {
        double[] x = new double[F];
        for (int j = 0; j < F; j++) {
            x[j] = (raw[canonical(j)] - mean(j)) / STD;
        }
        double h0 = Math.max(0, x[0] - x[1] + 0.1);
        double h1 = Math.max(0, 0.5 * x[77] - 0.2);
        double[] logits = {h0, h1, 0.5 * h0 + 0.5 * h1 + 0.25};
        double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
        double sum = 0;
        double[] p = new double[3];
        for (int c = 0; c < 3; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < 3; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static final String[] CSE_NAMES = {"Idle Min", "Idle Max", "Idle Std", "Idle Mean"};

    private Path writeModel() throws IOException {
        byte[] onnx = FlowOnnxExport.export(null, network(), true, "test model");
        Path onnxFile = dir.resolve("byo.onnx");
        Files.write(onnxFile, onnx);
        ObjectNode s = Json.object();
        s.put("format", FlowModelSidecar.FORMAT);
        s.put("model", "byo.onnx");
        ObjectNode input = s.putObject("input");
        input.put("name", "input");
        ArrayNode features = input.putArray("features");
        for (int j = 0; j < F; j++) {
            String name = FlowFeatures.name(canonical(j));
            features.add(j < CSE_NAMES.length ? CSE_NAMES[j].toLowerCase() : name);
        }
        features.set(77, Json.MAPPER.getNodeFactory().textNode("Dst Port"));
        s.putObject("output").put("kind", "logits");
        ArrayNode classes = s.putArray("classes");
        CLASSES.forEach(classes::add);
        ObjectNode scaler = s.putObject("scaler");
        scaler.put("signedLog1p", false);
        ArrayNode mean = scaler.putArray("mean");
        ArrayNode std = scaler.putArray("std");
        for (int j = 0; j < F; j++) {
            mean.add(mean(j));
            std.add(STD);
        }
        Files.writeString(dir.resolve("byo.json"), Json.MAPPER.writeValueAsString(s));
        return onnxFile;
    }

    private static double[] row(double destinationPort, double idleMax, double idleMin) {
        double[] r = new double[F];
        for (int f = 0; f < F; f++) {
            r[f] = 10 * f;
        }
        r[0] = destinationPort;
        r[76] = idleMax;
        r[77] = idleMin;
        return r;
    }

    @Test
    void predictionsEqualTheHandComputation() throws IOException {
        Path onnx = writeModel();
        double[][] rows = {row(80, 2, 10), row(8080, 0, 0), row(0, 50, 1), row(443, 1e6, 3e6)};
        try (Detector d = ModelLoader.load(onnx)) {
            FlowDetector detector = (FlowDetector) d;
            assertEquals(CLASSES, detector.classNames());
            List<Verdict> verdicts = detector.predict(rows);
            assertEquals(4, verdicts.size());
            for (int r = 0; r < rows.length; r++) {
                double[] expected = byHand(rows[r]);
                Verdict v = verdicts.get(r);
                int best = 0;
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[c], v.probabilities()[c], 1e-5, "row " + r + " class " + c);
                    if (expected[c] > expected[best]) {
                        best = c;
                    }
                }
                assertEquals(CLASSES.get(best), v.predictedClass(), "row " + r);
                assertEquals(1 - expected[1], v.score(), 1e-5);
                assertEquals(expected[best], v.confidence(), 1e-5);
                assertEquals(best != 1, v.anomalous());
                assertEquals(r + 1, v.line());
                assertTrue(v.topFeatures().isEmpty(), "no benign profile, no top features");
            }
        }
    }

    @Test
    void handComputedClassesForKnownRows() throws IOException {
        Path onnx = writeModel();
        try (FlowDetector d = FlowModelFiles.load(dir.resolve("byo.json"))) {
            // Row 2: x0 = (0 - 0)/2, x1 = (0 - 1)/2 -> h0 = 0.6; x77 = (8080 - 77)/2 -> h1 = 2000.55: BENIGN.
            Verdict benign = d.predict(new double[][] {row(8080, 0, 0)}).get(0);
            assertEquals("BENIGN", benign.predictedClass());
            assertEquals(Severity.NORMAL, benign.severity());
            // Row 4: x0 = 1.5e6, x1 = (1e6 - 1)/2, so h0 = 1e6 + 0.6 dominates: DDoS, sure, High.
            Verdict ddos = d.predict(new double[][] {row(443, 1e6, 3e6)}).get(0);
            assertEquals("DDoS", ddos.predictedClass());
            assertEquals(Severity.HIGH, ddos.severity());
        }
        assertTrue(Files.exists(onnx));
    }

    /**
     * A model can overflow on finite input (here a scaler that divides Idle Min by 1e-30): such a
     * flow gets no verdict (once it was called BENIGN with NaN probabilities) but a message naming it.
     */
    @Test
    void aFlowTheModelOverflowsOnGetsNoVerdict() throws IOException {
        writeModel();
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree(dir.resolve("byo.json").toFile());
        ((ArrayNode) s.path("scaler").path("std")).set(0, Json.MAPPER.getNodeFactory().numberNode(1e-30));
        Files.writeString(dir.resolve("byo.json"), Json.MAPPER.writeValueAsString(s));
        try (FlowDetector d = FlowModelFiles.load(dir.resolve("byo.json"))) {
            assertEquals(1, d.predict(new double[][] {row(80, 2, 10)}).size());
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> d.predict(new double[][] {row(80, 2, 10), row(443, 0, 1e10)}));
            assertEquals("record 2: the model gave this flow no finite probability for DDoS"
                    + " (a feature value is beyond what the model handles)", e.getMessage());
        }
    }

    @Test
    void sidecarWithUnknownFeatureNamesIsRefused() throws IOException {
        writeModel();
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree(dir.resolve("byo.json").toFile());
        ((ArrayNode) s.path("input").path("features")).set(5, Json.MAPPER.getNodeFactory().textNode("Bogus Feature"));
        Files.writeString(dir.resolve("byo.json"), Json.MAPPER.writeValueAsString(s));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(dir.resolve("byo.onnx")));
        assertEquals("byo.json: input.features holds names that are no flow feature: Bogus Feature", e.getMessage());
    }

    @Test
    void anOnnxFileWithoutSidecarIsRefused() throws IOException {
        writeModel();
        Files.delete(dir.resolve("byo.json"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(dir.resolve("byo.onnx")));
        assertTrue(e.getMessage().endsWith("byo.json: no such file; an ONNX flow model needs its JSON sidecar beside it"), e.getMessage());
    }
}
