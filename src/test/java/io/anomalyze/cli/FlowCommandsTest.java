package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowCommandsTest {

    @Test
    void evaluateJsonWithTheFlowModel() throws Exception {
        CommandRun r = CommandRun.of("evaluate", "--model", "models/cicids2017-mlp.onnx", "--json", "uploads/MachineLearningCVE-sample.csv");
        assertEquals(0, r.code(), r.err());
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertEquals("MachineLearningCVE-sample.csv", o.path("file").asText());
        assertEquals(2770, o.path("records").asLong());
        assertEquals(0, o.path("skipped").asLong());
        assertEquals(0.919, o.path("accuracy").asDouble(), 0.0005);
        assertEquals(0.753, o.path("macroF1").asDouble(), 0.0005);
        assertEquals(0.894, o.path("weightedF1").asDouble(), 0.0005);
        assertEquals(0.999, o.path("attackDetectionAccuracy").asDouble(), 0.0005);
        assertEquals(269, o.path("perClass").path("DDoS").path("support").asLong());
        assertEquals(1.0, o.path("perClass").path("DDoS").path("recall").asDouble(), 1e-9);
        assertEquals(15, o.path("confusion").path("labels").size());
    }

    @Test
    void scoreWritesOneVerdictPerFlow(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("verdicts.csv");
        CommandRun r = CommandRun.of("score", "--model", "models/cicids2017-mlp.onnx", "uploads/MachineLearningCVE-sample.csv", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        var lines = Files.readAllLines(out);
        assertEquals(2771, lines.size());
        assertTrue(lines.get(1).startsWith("2,,,,,55055,,,,,,false,Normal,"), lines.get(1));
        assertTrue(r.err().contains("2770 records scored, 0 skipped"), r.err());
    }

    @Test
    void scoreOutputSaysWhoWhenAndWhat(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("verdicts.csv");
        String flows = "src/test/resources/flow/trafficlabelling.csv";
        CommandRun r = CommandRun.of("score", "--model", "models/cicids2017-mlp.onnx", flows, "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        var lines = Files.readAllLines(csv);
        assertTrue(lines.get(1).startsWith("2,172.16.0.1-192.168.10.50-36196-80-6,172.16.0.1,36196,192.168.10.50,80,TCP,"
                + "2017-07-06T10:40:00Z,2017-07-06T10:40:05.006127Z,,,"), lines.get(1));
        Path json = dir.resolve("verdicts.json");
        assertEquals(0, CommandRun.of("score", "--model", "models/cicids2017-mlp.onnx", flows, "--out", json.toString()).code());
        assertEquals("{\"flowId\":\"172.16.0.1-192.168.10.50-52120-80-6\",\"src\":\"172.16.0.1\",\"srcPort\":52120,"
                + "\"dst\":\"192.168.10.50\",\"dstPort\":80,\"protocol\":\"TCP\",\"protocolNumber\":6,"
                + "\"start\":\"2017-07-06T10:15:00Z\",\"end\":\"2017-07-06T10:15:05.638432Z\"}",
                io.anomalyze.Json.MAPPER.readTree(json.toFile()).path("verdicts").get(2).path("identity").toString());
    }

    @Test
    void trainMlpNeedsTrainingFilesAndAnOnnxTarget() {
        CommandRun r = CommandRun.of("train", "mlp", "--out", "x.onnx");
        assertEquals(Main.BAD_USAGE, r.code());
        assertEquals("anomalyze: train mlp needs at least one --train FILE\n", r.err());
        CommandRun wrongTarget = CommandRun.of("train", "mlp", "--train", "uploads/MachineLearningCVE-sample.csv", "--out", "x.json");
        assertEquals(Main.BAD_USAGE, wrongTarget.code());
    }

    @Test
    void trainMlpTakesSeveralFilesAndWritesModelAndSidecar(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("second.csv");
        Files.copy(Path.of("uploads/MachineLearningCVE-sample.csv"), copy);
        Path model = dir.resolve("m.onnx");
        CommandRun r = CommandRun.of("train", "mlp", "--train", "uploads/MachineLearningCVE-sample.csv", copy.toString(),
                "--out", model.toString(), "--epochs", "1", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode sidecar = Json.MAPPER.readTree(dir.resolve("m.json").toFile());
        assertEquals(5540, sidecar.path("training").path("records").asInt());
        assertEquals(2, sidecar.path("training").path("files").size());
        assertEquals(3, sidecar.path("training").path("seed").asInt());
        assertTrue(Files.size(model) > 100_000);
        CommandRun eval = CommandRun.of("evaluate", "--model", model.toString(), "--json", "uploads/MachineLearningCVE-sample.csv");
        assertEquals(0, eval.code(), eval.err());
        JsonNode metrics = Json.MAPPER.readTree(eval.out());
        assertEquals(2770, metrics.path("records").asInt());
        assertEquals(0, metrics.path("skipped").asInt());
        // The sample's own labels, as supports: 1,505 BENIGN, 269 DDoS, 320 PortScan and three web attacks.
        JsonNode perClass = metrics.path("perClass");
        assertEquals(1505, perClass.path("BENIGN").path("support").asInt());
        assertEquals(269, perClass.path("DDoS").path("support").asInt());
        assertEquals(320, perClass.path("PortScan").path("support").asInt());
        assertEquals(444, perClass.path("Web Attack \u2013 Brute Force").path("support").asInt());
        // Accuracy is the confusion matrix's diagonal over its total, and one epoch on these very
        // flows must beat calling everything BENIGN (1,505 of 2,770 = 0.543).
        JsonNode matrix = metrics.path("confusion").path("matrix");
        long total = 0;
        long diagonal = 0;
        for (int i = 0; i < matrix.size(); i++) {
            for (int j = 0; j < matrix.get(i).size(); j++) {
                total += matrix.get(i).get(j).asLong();
                diagonal += i == j ? matrix.get(i).get(j).asLong() : 0;
            }
        }
        assertEquals(2770, total);
        assertEquals(diagonal / 2770.0, metrics.path("accuracy").asDouble(), 1e-6);
        assertTrue(metrics.path("accuracy").asDouble() > 0.7, metrics.toString());
    }
}
