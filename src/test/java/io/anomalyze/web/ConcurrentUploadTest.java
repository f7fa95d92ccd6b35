package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.analysis.AnalysisSettings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Twelve uploads of the whole KDDTest+ sample at once, on the default pool settings: all succeed, identically. */
class ConcurrentUploadTest {

    @Test
    void twelveConcurrentUploadsOfKddTestAllSucceed(@TempDir Path dataDir) throws Exception {
        AnalysisSettings defaults = AnalysisSettings.defaults();
        int uploads = 12;
        try (TestService s = new TestService(new ServiceConfig("127.0.0.1", 0, dataDir, null, Path.of("uploads"),
                ServiceConfig.DEFAULT_MAX_UPLOAD_MB << 20, defaults))) {
            ExecutorService clients = Executors.newFixedThreadPool(uploads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < uploads; i++) {
                    Callable<HttpResponse<String>> upload = () -> {
                        go.await();
                        return s.uploadFile("/api/v1/analyses?wait=0", TestService.SAMPLE);
                    };
                    answers.add(clients.submit(upload));
                }
                go.countDown();
                List<Long> ids = new ArrayList<>();
                for (Future<HttpResponse<String>> f : answers) {
                    HttpResponse<String> r = f.get();
                    assertEquals(201, r.statusCode(), r.body());
                    ids.add(TestService.json(r).get("id").asLong());
                }
                JsonNode first = null;
                for (long id : ids) {
                    JsonNode a = waitUntilEnded(s, id);
                    assertEquals("done", a.get("status").asText(), a.toString());
                    assertEquals(22544, a.get("records").asLong());
                    if (first == null) {
                        first = a;
                    }
                    assertEquals(first.get("severityCounts"), a.get("severityCounts"));
                    assertEquals(first.get("metrics"), a.get("metrics"));
                }
                assertEquals(uploads, TestService.json(s.get("/api/v1/analyses")).get("total").asLong());
                try (var files = Files.list(dataDir.resolve("incoming"))) {
                    assertEquals(0, files.count(), "every upload file is removed after its analysis");
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    static JsonNode waitUntilEnded(TestService s, long id) throws Exception {
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < giveUp) {
            JsonNode a = TestService.json(s.get("/api/v1/analyses/" + id));
            if (!"running".equals(a.get("status").asText())) {
                return a;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("analysis " + id + " never ended");
    }
}
