package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.HeldDetector;
import io.anomalyze.read.InputLimits;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An analysis held running by its detector: deleting it, exporting it and listing its hosts are
 * each answered 409 with the reason and what to do instead (never a 500), and all three work
 * once it has ended.
 */
class RunningAnalysisTest {

    @Test
    void aRunningAnalysisIsRefusedWith409AndAReasonUntilItEnds(@TempDir Path dataDir) throws Exception {
        HeldDetector[] held = new HeldDetector[1];
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, dataDir, null, Path.of("uploads"), 1024L << 20,
                new AnalysisSettings(1, 1, InputLimits.DEFAULTS));
        try (TestService s = new TestService(WebApp.start(config, () -> {
            DetectorRegistry bundled = DetectorRegistry.load(null, true);
            held[0] = new HeldDetector(bundled.require("kmeans", "the test").detector());
            return DetectorRegistry.of(List.of(new DetectorRegistry.LoadedModel("held.json", "test", "", held[0])));
        }))) {
            String lines = String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 300)) + "\n";
            HttpResponse<String> up = s.uploadText("/api/v1/analyses?wait=0", "held.txt", lines);
            assertEquals(201, up.statusCode(), up.body());
            long id = TestService.json(up).get("id").asLong();
            assertEquals("running", TestService.json(up).get("status").asText());

            assertTrue(s.get("/analyses/" + id).body().contains("http-equiv=\"refresh\""), "the page refreshes while it runs");
            HttpResponse<String> delete = s.delete("/api/v1/analyses/" + id);
            assertEquals(409, delete.statusCode(), delete.body());
            assertEquals("analysis " + id + " is still running; delete it once it has ended", TestService.json(delete).get("error").asText());
            HttpResponse<String> export = s.get("/analyses/" + id + "/export.json");
            assertEquals(409, export.statusCode(), export.body());
            assertEquals("analysis " + id + " is still running; export it once it is done", TestService.json(export).get("error").asText());
            HttpResponse<String> hosts = s.get("/api/v1/analyses/" + id + "/hosts");
            assertEquals(409, hosts.statusCode(), hosts.body());
            assertEquals("analysis " + id + " is still running; its hosts are listed once it is done",
                    TestService.json(hosts).get("error").asText());

            held[0].release();
            HttpResponse<String> done = s.get("/api/v1/analyses/" + id);
            for (int i = 0; i < 600 && !"done".equals(TestService.json(done).get("status").asText()); i++) {
                Thread.sleep(100);
                done = s.get("/api/v1/analyses/" + id);
            }
            assertEquals("done", TestService.json(done).get("status").asText(), done.body());
            assertEquals(300, TestService.json(done).get("records").asLong());
            assertFalse(s.get("/analyses/" + id).body().contains("http-equiv=\"refresh\""), "the page of an ended analysis stays");
            assertEquals(200, s.get("/analyses/" + id + "/export.csv").statusCode());
            assertEquals(200, s.get("/api/v1/analyses/" + id + "/hosts").statusCode());
            assertEquals(204, s.delete("/api/v1/analyses/" + id).statusCode());
            assertEquals(404, s.get("/api/v1/analyses/" + id).statusCode());
        }
    }
}
