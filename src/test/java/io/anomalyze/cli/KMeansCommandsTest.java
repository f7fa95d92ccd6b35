package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line with the bundled K-means model. The figures are the ones the README
 * reports for KDDTest+ (the sample in uploads/ is that file).
 */
class KMeansCommandsTest {

    @Test
    void bundledModelMatchesTheReadmeFiguresOnKddTestPlus() throws Exception {
        CommandRun r = CommandRun.of("evaluate", "--model", "models/nsl-kdd-kmeans.json", "--json", "uploads/KDDTest+.txt");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size());
        JsonNode o = Json.MAPPER.readTree(lines.get(0));
        assertEquals("KDDTest+.txt", o.path("file").asText());
        assertEquals(22544, o.path("records").asLong());
        assertEquals(0, o.path("skipped").asLong());
        assertEquals(README_ACCURACY, o.path("accuracy").asDouble(), 0.0005);
        assertEquals(README_PRECISION, o.path("precision").asDouble(), 0.0005);
        assertEquals(README_RECALL, o.path("recall").asDouble(), 0.0005);
        assertEquals(README_F1, o.path("f1").asDouble(), 0.0005);
        assertEquals(README_ROC_AUC, o.path("rocAuc").asDouble(), 0.0005);
        JsonNode c = o.path("confusion");
        assertEquals(8330, c.path("tn").asLong());
        assertEquals(1381, c.path("fp").asLong());
        assertEquals(642, c.path("fn").asLong());
        assertEquals(12191, c.path("tp").asLong());
        assertEquals(4657, o.path("detectionRateByLabel").path("neptune").path("records").asLong());
    }

    static final double README_ACCURACY = 0.910;
    static final double README_PRECISION = 0.898;
    static final double README_RECALL = 0.950;
    static final double README_F1 = 0.923;
    static final double README_ROC_AUC = 0.967;

    @Test
    void evaluateWithoutJsonPrintsATable() {
        CommandRun r = CommandRun.of("evaluate", "--model", "models/nsl-kdd-kmeans.json", "uploads/KDDTest+.txt");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("KDDTest+.txt: 22544 records, 0 skipped"), r.out());
        assertTrue(r.out().contains("ROC-AUC"), r.out());
    }

    @Test
    void scoreWritesAVerdictPerRecord(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("v.json");
        CommandRun r = CommandRun.of("score", "--model", "models/nsl-kdd-kmeans.json", "uploads/KDDTest+.txt", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.MAPPER.readTree(out.toFile());
        assertEquals(22544, doc.path("verdicts").size());
        JsonNode first = doc.path("verdicts").get(0);
        assertEquals(1, first.path("line").asLong());
        assertEquals("neptune", first.path("label").asText());
        assertTrue(first.path("anomalous").asBoolean());
        assertEquals(3, first.path("topFeatures").size());
        assertEquals("{\"protocol\":\"TCP\",\"protocolNumber\":6,\"service\":\"private\",\"flag\":\"REJ\"}",
                first.path("identity").toString());
        Path csv = dir.resolve("v.csv");
        assertEquals(0, CommandRun.of("score", "--model", "models/nsl-kdd-kmeans.json", "uploads/KDDTest+.txt", "--out", csv.toString()).code());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(22545, rows.size());
        assertEquals("line,flow_id,src_ip,src_port,dst_ip,dst_port,protocol,start,end,service,flag,anomalous,severity,score,confidence,class,label,top_features", rows.get(0));
        assertTrue(rows.get(1).startsWith("1,,,,,,TCP,,,private,REJ,true,"), rows.get(1));
    }

    @Test
    void badUsageExitsWithTwoAndOneLine() {
        CommandRun missing = CommandRun.of("evaluate", "uploads/KDDTest+.txt");
        assertEquals(Main.BAD_USAGE, missing.code());
        assertEquals("anomalyze: missing --model\n", missing.err());
        CommandRun unknown = CommandRun.of("evaluate", "--model", "m.json", "--frobnicate");
        assertEquals(Main.BAD_USAGE, unknown.code());
        assertEquals("anomalyze: unknown option --frobnicate\n", unknown.err());
        assertEquals(Main.BAD_USAGE, CommandRun.of("nonsense").code());
    }

    @Test
    void badInputExitsWithThreeAndOneLine(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "hello,world\n");
        CommandRun r = CommandRun.of("evaluate", "--model", "models/nsl-kdd-kmeans.json", junk.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertEquals("anomalyze: junk.txt: none of its 1 rows is valid; first problem: line 1: expected 41 to 43"
                + " comma-separated fields (41 features, label, difficulty), found 2\n", r.err());
        CommandRun noFile = CommandRun.of("score", "--model", "models/nsl-kdd-kmeans.json", dir.resolve("nope.txt").toString());
        assertEquals(Main.BAD_INPUT, noFile.code());
        assertTrue(noFile.err().endsWith("nope.txt: no such file\n"), noFile.err());
    }

    @Test
    void damagedModelFilesAreRefusedWithTheFieldOrPlaceNamed(@TempDir Path dir) throws Exception {
        String model = Files.readString(Path.of("models", "nsl-kdd-kmeans.json"));
        String data = "uploads/KDDTest+.txt";
        Path cut = dir.resolve("cut.json");
        Files.writeString(cut, model.substring(0, 5000));
        CommandRun truncated = CommandRun.of("evaluate", "--model", cut.toString(), data);
        assertEquals(Main.BAD_INPUT, truncated.code());
        assertTrue(truncated.err().contains("cut.json: not valid JSON (") && truncated.err().contains(", line "), truncated.err());

        Path trailing = dir.resolve("trailing.json");
        Files.writeString(trailing, model + "{}");
        CommandRun extra = CommandRun.of("evaluate", "--model", trailing.toString(), data);
        assertEquals(Main.BAD_INPUT, extra.code());
        assertTrue(extra.err().contains("more content after the end of the JSON value"), extra.err());

        Path badClip = dir.resolve("clip.json");
        Files.writeString(badClip, model.replaceFirst("\"clip\" ?: ?10\\.0", "\"clip\": \"ten\""));
        CommandRun clip = CommandRun.of("evaluate", "--model", badClip.toString(), data);
        assertEquals(Main.BAD_INPUT, clip.code());
        assertTrue(clip.err().contains("clip.json: \"encoding.clip\" must be a number"), clip.err());

        JsonNode tree = Json.MAPPER.readTree(model);
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.path("members").get(1).path("centroids").get(7)).remove(0);
        Path narrow = dir.resolve("narrow.json");
        Files.writeString(narrow, Json.MAPPER.writeValueAsString(tree));
        CommandRun width = CommandRun.of("evaluate", "--model", narrow.toString(), data);
        assertEquals(Main.BAD_INPUT, width.code());
        assertTrue(width.err().contains("narrow.json: \"members[1].centroids[7]\" must be an array of "), width.err());
    }

    @Test
    void helpEverywhere() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"evaluate", "--help"},
                new String[] {"score", "--help"}, new String[] {"train", "--help"}, new String[] {"train", "kmeans", "--help"})) {
            CommandRun r = CommandRun.of(args);
            assertEquals(0, r.code(), String.join(" ", args));
            assertTrue(r.out().startsWith("Usage:"), r.out());
        }
    }
}
