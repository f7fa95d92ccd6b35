package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import io.anomalyze.read.flow.FlowFeatures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flow value beyond the float range the model takes (about ±3.4e38) once became an infinity,
 * then NaN probabilities: the flow was called BENIGN with score NaN, and in a labelled upload
 * the NaN score stalled the ROC computation for good, so with one analysis thread no later
 * upload was ever analysed. Such a value is now refused like any bad cell, with its line and
 * column in files and its field in the JSON API.
 */
class OutOfRangeFlowTest {

    @TempDir
    Path dir;

    private static List<String> sample(int rows) throws Exception {
        return Files.readAllLines(TestService.FLOW_SAMPLE).subList(0, rows + 1);
    }

    /** The header, then 100 BENIGN flows and 50 attacks of the sample, so the ROC curve is defined. */
    private static List<String> mixedSample() throws Exception {
        List<String> all = Files.readAllLines(TestService.FLOW_SAMPLE);
        List<String> benign = new ArrayList<>();
        List<String> attacks = new ArrayList<>();
        for (String line : all.subList(1, all.size())) {
            List<String> into = line.endsWith(",BENIGN") ? benign : attacks;
            if (into.size() < (into == benign ? 100 : 50)) {
                into.add(line);
            }
        }
        List<String> out = new ArrayList<>(List.of(all.get(0)));
        out.addAll(benign);
        out.addAll(attacks);
        return out;
    }

    /** The line with its second column (Flow Duration) replaced. */
    private static String withFlowDuration(String line, String value) {
        String[] cells = line.split(",", -1);
        cells[1] = value;
        return String.join(",", cells);
    }

    @Test
    void aLabelledUploadWithAnOutOfRangeFlowFinishesAndTheServiceGoesOn() throws Exception {
        try (TestService s = new TestService(dir.resolve("data"), 1 << 30, 1, 4)) {
            List<String> lines = mixedSample();
            assertEquals(151, lines.size());
            lines.add(withFlowDuration(lines.get(150), "1e39"));
            HttpResponse<String> r = s.uploadText("/api/v1/analyses?wait=20", "overflow.csv", String.join("\n", lines) + "\n");
            assertEquals(201, r.statusCode(), r.body());
            JsonNode a = TestService.json(r);
            assertEquals("done", a.get("status").asText(), "the analysis must end: " + r.body());
            assertEquals(150, a.get("records").asLong());
            assertEquals(1, a.get("skipped").asLong());
            assertTrue(a.get("notes").toString().contains(
                    "skipped line 152, column 2: Flow Duration is 1.0E39, beyond the float range the model takes (±3.4e38)"), a.toString());
            assertTrue(a.get("metrics").get("rocAuc").isNumber(), a.get("metrics").toString());

            // The single analysis thread is free again: the next upload is analysed too.
            HttpResponse<String> next = s.uploadText("/api/v1/analyses?wait=20", "next.csv", String.join("\n", sample(150)) + "\n");
            assertEquals("done", TestService.json(next).get("status").asText(), next.body());
            assertEquals(200, s.get("/health").statusCode());

            // Every stored score, confidence and probability is a finite number, in the API and the export.
            JsonNode records = TestService.json(s.get("/api/v1/analyses/" + a.get("id").asLong() + "/records?limit=1000"));
            assertEquals(150, records.get("records").size());
            for (JsonNode v : records.get("records")) {
                assertTrue(v.get("score").isNumber() && v.get("confidence").isNumber(), v.toString());
                v.get("probabilities").forEach(p -> assertTrue(p.isNumber(), v.toString()));
            }
            String csv = s.get("/analyses/" + a.get("id").asLong() + "/export.csv").body();
            assertTrue(!csv.contains("NaN") && !csv.contains("Infinity") && !csv.contains("E308"), csv);
        }
    }

    @Test
    void aFileOfOnlyAnOutOfRangeFlowIsRefusedNamingLineAndColumn() throws Exception {
        try (TestService s = new TestService(dir.resolve("data"), 1 << 30, 1, 4)) {
            List<String> lines = sample(1);
            String text = lines.get(0) + "\n" + withFlowDuration(lines.get(1), "-1000000000000000000000000000000000000000") + "\n";
            HttpResponse<String> r = s.uploadText("/api/v1/analyses?wait=20", "one.csv", text);
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("one.csv: none of its 1 rows is valid; first problem: line 2, column 2: Flow Duration is -1.0E39,"
                    + " beyond the float range the model takes (±3.4e38)", TestService.json(r).get("error").asText());
        }
    }

    @Test
    void thePredictApiRefusesEachOfThe78FeaturesBeyondTheFloatRange() throws Exception {
        try (TestService s = new TestService(dir.resolve("data"))) {
            HttpResponse<String> log = s.postJson("/api/v1/predict", "{\"log\":{\"Flow Duration\":1e39}}");
            assertEquals(400, log.statusCode(), log.body());
            assertEquals("\"log\" field \"Flow Duration\": Flow Duration is 1.0E39, beyond the float range the model takes (±3.4e38)",
                    TestService.json(log).get("error").asText());
            for (int f = 0; f < FlowFeatures.COUNT; f++) {
                List<String> values = new ArrayList<>(Collections.nCopies(FlowFeatures.COUNT, "0"));
                values.set(f, f % 2 == 0 ? "3.5e38" : "-1e300");
                HttpResponse<String> r = s.postJson("/api/v1/predict", "{\"features\": [" + String.join(",", values) + "]}");
                assertEquals(400, r.statusCode(), r.body());
                assertEquals("\"features\", value " + (f + 1) + ": " + FlowFeatures.name(f) + " is " + (f % 2 == 0 ? "3.5E38" : "-1.0E300")
                        + ", beyond the float range the model takes (±3.4e38)", TestService.json(r).get("error").asText());
            }
            // The largest float itself is a value the model takes, and it gets a finite verdict.
            HttpResponse<String> edge = s.postJson("/api/v1/predict", "{\"log\":{\"Flow Duration\":3.4028234663852886e38}}");
            assertEquals(200, edge.statusCode(), edge.body());
            JsonNode v = Json.MAPPER.readTree(edge.body());
            assertTrue(v.get("score").isNumber() && v.get("confidence").isNumber(), edge.body());
            v.get("probabilities").forEach(p -> assertTrue(p.isNumber(), edge.body()));
        }
    }
}
