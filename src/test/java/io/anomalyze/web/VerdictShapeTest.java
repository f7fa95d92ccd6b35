package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records API and the JSON export write a verdict the same way, with the fields the API documents. */
class VerdictShapeTest {

    @Test
    void theRecordsApiAndTheJsonExportGiveEachVerdictTheSameShape(@TempDir Path dataDir) throws Exception {
        try (TestService s = new TestService(dataDir)) {
            String lines = String.join("\n", Files.readAllLines(TestService.FLOW_SAMPLE).subList(0, 41)) + "\n";
            HttpResponse<String> up = s.uploadText("/api/v1/analyses?wait=120", "flows.csv", lines);
            assertEquals(201, up.statusCode(), up.body());
            long id = TestService.json(up).get("id").asLong();
            JsonNode records = TestService.json(s.get("/api/v1/analyses/" + id + "/records?sort=file-order&limit=100")).get("records");
            JsonNode export = TestService.json(s.get("/analyses/" + id + "/export.json")).get("verdicts");
            assertEquals(40, records.size());
            assertEquals(records, export);
            List<String> fields = new ArrayList<>();
            records.get(0).fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("line", "anomalous", "severity", "score", "confidence", "class", "label", "identity", "topFeatures",
                    "features", "probabilities"), fields);
            assertEquals(15, records.get(0).get("probabilities").size(), "one probability per class of the flow model");
            assertEquals("BENIGN", records.get(0).get("probabilities").fieldNames().next());
        }
    }
}
