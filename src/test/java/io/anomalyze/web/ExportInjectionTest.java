package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels crafted as spreadsheet formulas come out of the CSV export as inert text, and labels
 * crafted as markup come out of the pages escaped; the JSON export keeps them verbatim.
 */
class ExportInjectionTest {

    @Test
    void formulaAndMarkupLabelsAreNeutralised(@TempDir Path dataDir) throws Exception {
        List<String> sample = Files.readAllLines(TestService.SAMPLE).subList(0, 20);
        String[] hostile = {"=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"",
            "<script>alert(1)</script>"};
        List<String> rows = new ArrayList<>(sample);
        for (int i = 0; i < hostile.length; i++) {
            String[] f = rows.get(i + 1).split(",", -1);
            f[41] = hostile[i];
            rows.set(i + 1, String.join(",", f));
        }
        try (TestService s = new TestService(dataDir)) {
            HttpResponse<String> r = s.uploadText("/api/v1/analyses?wait=60", "labels.txt", String.join("\n", rows) + "\n");
            assertEquals(201, r.statusCode(), r.body());
            long id = TestService.json(r).get("id").asLong();
            assertEquals(20, TestService.json(r).get("records").asLong());

            HttpResponse<String> csv = s.get("/analyses/" + id + "/export.csv");
            assertEquals(200, csv.statusCode());
            List<String> lines = csv.body().lines().toList();
            assertEquals(21, lines.size());
            String[] expected = {",'=1+2,", ",'+SUM(A1:A9),", ",'-2+3,", ",'@cmd,",
                ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",", ",<script>alert(1)</script>,"};
            for (int i = 0; i < hostile.length; i++) {
                assertTrue(csv.body().contains(expected[i]), expected[i] + " in\n" + csv.body());
            }
            for (String line : lines) {
                for (String cell : line.split(",")) {
                    assertFalse(cell.startsWith("=") || cell.startsWith("+") || cell.startsWith("@")
                            || cell.startsWith("\"=") || cell.startsWith("\"+"), "a live formula: " + line);
                }
            }

            JsonNode json = TestService.json(s.get("/analyses/" + id + "/export.json"));
            List<String> labels = new ArrayList<>();
            json.get("verdicts").forEach(v -> labels.add(v.path("label").asText()));
            assertTrue(labels.contains("=HYPERLINK(\"http://evil.example\",\"x\")"), labels.toString());
            assertTrue(labels.contains("<script>alert(1)</script>"));

            String page = s.get("/analyses/" + id + "?sort=file-order").body();
            assertFalse(page.contains("<script>alert(1)</script>"));
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            String metrics = s.get("/analyses/" + id + "/metrics").body();
            assertFalse(metrics.contains("<script>alert(1)"));
            assertTrue(metrics.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the label shows, escaped, in the detection rates");
        }
    }
}
