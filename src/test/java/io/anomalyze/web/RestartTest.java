package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.kmeans.KMeansDetector;
import io.anomalyze.store.AnalysisStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analyses survive a restart on the same data directory; one left running is failed with a reason. */
class RestartTest {

    @Test
    void analysesSurviveARestart(@TempDir Path dataDir) throws Exception {
        String lines = String.join("\n", java.nio.file.Files.readAllLines(TestService.SAMPLE).subList(0, 500));
        long id;
        JsonNode before;
        try (TestService first = new TestService(dataDir)) {
            HttpResponse<String> r = first.uploadText("/api/v1/analyses?wait=60", "part.txt", lines);
            assertEquals(201, r.statusCode(), r.body());
            before = TestService.json(r);
            id = before.get("id").asLong();
        }
        try (AnalysisStore store = AnalysisStore.open(dataDir)) {
            store.create("interrupted.txt", 10, new ModelDomain("kmeans", "K-means", List.of(), KMeansDetector.CLASSES, "normal", false,
                    "nsl-kdd-kmeans.json", ""));
        }
        try (TestService second = new TestService(dataDir)) {
            JsonNode after = TestService.json(second.get("/api/v1/analyses/" + id));
            assertEquals("done", after.get("status").asText());
            assertEquals(500, after.get("records").asLong());
            assertEquals(before.get("severityCounts"), after.get("severityCounts"));
            assertEquals(before.get("metrics"), after.get("metrics"));
            JsonNode records = TestService.json(second.get("/api/v1/analyses/" + id + "/records?limit=1000"));
            assertEquals(500, records.get("records").size());
            JsonNode interrupted = TestService.json(second.get("/api/v1/analyses")).get("analyses").get(0);
            assertEquals("interrupted.txt", interrupted.get("fileName").asText());
            assertEquals("failed", interrupted.get("status").asText());
            assertEquals("the service stopped before this analysis finished; upload the file again", interrupted.get("error").asText());
        }
    }
}
