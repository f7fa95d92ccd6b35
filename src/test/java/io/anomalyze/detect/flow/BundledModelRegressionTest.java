package io.anomalyze.detect.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.detect.Detector;
import io.anomalyze.detect.ModelLoader;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.ScanResult;
import io.anomalyze.detect.Verdict;
import io.anomalyze.evaluate.Evaluations;
import io.anomalyze.evaluate.MulticlassEvaluation;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled model on the bundled sample: the figures the documentation quotes. */
class BundledModelRegressionTest {

    static final Path MODEL = Path.of("models/cicids2017-mlp.onnx");

    @Test
    void metricsOnTheUploadsSample() throws IOException {
        try (Detector detector = ModelLoader.load(MODEL)) {
            assertEquals("mlp", detector.kind());
            MulticlassEvaluation evaluation = (MulticlassEvaluation) Evaluations.forDetector(detector);
            ScanResult result;
            try (InputStream in = TrafficInput.open(OnnxParityTest.SAMPLE, InputLimits.DEFAULTS)) {
                result = detector.scan(in, "sample", ScanOptions.defaults(), batch -> batch.forEach(evaluation::add));
            }
            assertEquals(2770, result.records());
            assertEquals(0, result.skipped());
            assertEquals(List.of("2 cells held Infinity, NaN or nothing and were read as 0"), result.notes());
            assertEquals(0.919, evaluation.accuracy(), 0.0005);
            assertEquals(0.753, evaluation.macroF1(), 0.0005);
            assertEquals(0.894, evaluation.weightedF1(), 0.0005);
            assertEquals(0.999, evaluation.attackDetectionAccuracy(), 0.0005);
            assertEquals(1.000, evaluation.rocAuc(), 0.0005);
            int xss = evaluation.classes().indexOf("Web Attack \u2013 XSS");
            int bruteForce = evaluation.classes().indexOf("Web Attack \u2013 Brute Force");
            assertEquals(208, evaluation.confusion()[xss][bruteForce], "XSS flows taken for brute force");
            assertEquals(0.991, evaluation.recall(bruteForce), 0.0005);
        }
    }

    @Test
    void predictOnRowsGivesTheSameVerdictsAsScanningTheFile() throws IOException {
        try (FlowDetector detector = FlowModelFiles.load(MODEL)) {
            List<Verdict> scanned = new ArrayList<>();
            try (InputStream in = TrafficInput.open(OnnxParityTest.SAMPLE, InputLimits.DEFAULTS)) {
                detector.scan(in, "sample", ScanOptions.defaults(), scanned::addAll);
            }
            List<Verdict> firstRows = scanned.subList(0, 50);
            double[][] rows = new double[50][];
            io.anomalyze.read.flow.FlowBatch batch = new io.anomalyze.read.flow.FlowBatch(50);
            try (InputStream in = TrafficInput.open(OnnxParityTest.SAMPLE, InputLimits.DEFAULTS);
                 io.anomalyze.read.flow.FlowRecordReader reader = new io.anomalyze.read.flow.FlowRecordReader(in, "s", InputLimits.DEFAULTS)) {
                reader.read(batch);
            }
            for (int r = 0; r < 50; r++) {
                rows[r] = new double[78];
                for (int f = 0; f < 78; f++) {
                    rows[r][f] = batch.feature(r, f);
                }
            }
            List<Verdict> predicted = detector.predict(rows);
            for (int r = 0; r < 50; r++) {
                assertEquals(firstRows.get(r).predictedClass(), predicted.get(r).predictedClass());
                assertEquals(firstRows.get(r).score(), predicted.get(r).score(), 1e-9);
                assertEquals(firstRows.get(r).severity(), predicted.get(r).severity());
                assertEquals(firstRows.get(r).topFeatures(), predicted.get(r).topFeatures());
                assertEquals(3, predicted.get(r).topFeatures().size());
            }
        }
    }

    @Test
    void theSidecarRecordsProvenanceAndParity() throws IOException {
        try (FlowDetector detector = FlowModelFiles.load(MODEL)) {
            var json = detector.sidecar().json();
            assertEquals(2, json.path("training").path("files").size());
            assertEquals(1, json.path("training").path("seed").asLong());
            assertTrue(json.path("training").path("onnxParity").path("maxAbsProbabilityDifference").asDouble() < 1e-5);
            assertEquals(15, detector.classNames().size());
            assertEquals(78, detector.sidecar().features().size());
        }
    }
}
