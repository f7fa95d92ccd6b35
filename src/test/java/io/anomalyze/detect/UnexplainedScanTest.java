package io.anomalyze.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scan without explanations gives the same verdicts as one with them, less their top features. */
class UnexplainedScanTest {

    private static List<Verdict> scan(Detector detector, Path data, ScanOptions options) throws Exception {
        List<Verdict> verdicts = new ArrayList<>();
        try (InputStream in = Files.newInputStream(data)) {
            detector.scan(in, data.getFileName().toString(), options, verdicts::addAll);
        }
        return verdicts;
    }

    private static void assertSameVerdictsWithoutTopFeatures(Path model, Path data) throws Exception {
        try (Detector detector = ModelLoader.load(model)) {
            List<Verdict> explained = scan(detector, data, ScanOptions.defaults());
            List<Verdict> plain = scan(detector, data, ScanOptions.unexplained());
            assertEquals(explained.size(), plain.size());
            assertTrue(explained.stream().anyMatch(v -> !v.topFeatures().isEmpty()));
            for (int i = 0; i < explained.size(); i++) {
                Verdict a = explained.get(i);
                Verdict b = plain.get(i);
                assertEquals(a.line(), b.line());
                assertEquals(a.anomalous(), b.anomalous());
                assertEquals(a.severity(), b.severity());
                assertEquals(Double.doubleToLongBits(a.score()), Double.doubleToLongBits(b.score()));
                assertEquals(Double.doubleToLongBits(a.confidence()), Double.doubleToLongBits(b.confidence()));
                assertEquals(a.predictedClass(), b.predictedClass());
                assertEquals(a.label(), b.label());
                assertArrayEquals(a.probabilities(), b.probabilities());
                assertTrue(b.topFeatures().isEmpty());
            }
        }
    }

    @Test
    void kmeans() throws Exception {
        assertSameVerdictsWithoutTopFeatures(Path.of("models", "nsl-kdd-kmeans.json"), Path.of("uploads", "KDDTest+.txt"));
    }

    @Test
    void mlp() throws Exception {
        assertSameVerdictsWithoutTopFeatures(Path.of("models", "cicids2017-mlp.onnx"),
                Path.of("uploads", "MachineLearningCVE-sample.csv"));
    }
}
