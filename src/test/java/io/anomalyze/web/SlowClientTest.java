package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.read.InputLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stall or trickle hold neither the database, nor every server thread, nor the
 * analysis slots: /health, pages and other clients' uploads keep answering. Every client here is
 * on loopback; 127.0.0.2 stands for another user. Each waits a bounded time.
 */
class SlowClientTest {

    private static HttpResponse<String> getWithin(TestService s, String path, int seconds) throws Exception {
        return s.http.send(HttpRequest.newBuilder(URI.create(s.base() + path)).timeout(Duration.ofSeconds(seconds)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exportsWaitingOnTheirClientsHoldNoDatabaseConnection(@TempDir Path dataDir) throws Exception {
        try (TestService s = new TestService(dataDir)) {
            HttpResponse<String> up = s.uploadText("/api/v1/analyses?wait=120", "a.txt",
                    String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 50)) + "\n");
            assertEquals(201, up.statusCode(), up.body());
            long id = TestService.json(up).get("id").asLong();
            AnalysisService analyses = s.app.analyses();
            // 17 exports (one more than the database has connections) each stuck handing its first verdict to a
            // client that does not read, as an export blocks in a write to the network.
            int exports = 17;
            CountDownLatch waiting = new CountDownLatch(exports);
            CountDownLatch clientsRead = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(exports);
            try {
                for (int i = 0; i < exports; i++) {
                    pool.submit(() -> {
                        boolean[] first = {true};
                        analyses.forEachVerdict(id, v -> {
                            if (first[0]) {
                                first[0] = false;
                                waiting.countDown();
                                try {
                                    clientsRead.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        });
                        return null;
                    });
                }
                assertTrue(waiting.await(20, TimeUnit.SECONDS), "all 17 exports are under way at once");
                assertEquals(200, getWithin(s, "/health", 10).statusCode());
                assertEquals(200, getWithin(s, "/analyses/" + id, 10).statusCode());
            } finally {
                clientsRead.countDown();
                pool.shutdown();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void tricklingBodiesAreCutOffAndOneClientCannotTakeEveryThread(@TempDir Path dataDir) throws Exception {
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, dataDir, null, Path.of("uploads"), 64L << 20,
                new AnalysisSettings(1, 2, InputLimits.DEFAULTS)).withWebLimits(WebLimits.DEFAULTS.withClientLimits(6, 4));
        try (TestService s = new TestService(config)) {
            // A warm service, so the six requests below are all taken in before the seventh comes.
            assertEquals(200, s.postJson("/api/v1/predict", "{\"record\": \"" + Files.readAllLines(TestService.SAMPLE).get(0) + "\"}").statusCode());
            List<RawClient> trickling = new ArrayList<>();
            List<Thread> senders = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    RawClient c = new RawClient(s.app.port(), 20_000);
                    c.send("POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[");
                    trickling.add(c);
                    Thread t = new Thread(() -> {
                        try {
                            for (int k = 0; k < 20; k++) {
                                Thread.sleep(1000);
                                c.send("1");
                            }
                        } catch (Exception e) {
                            // The service closed the connection: what is expected.
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                    senders.add(t);
                }
                // This client has six requests in progress: a seventh is refused at once...
                Thread.sleep(1500);
                try (RawClient c = new RawClient(s.app.port(), 5000)) {
                    assertEquals(429, c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status());
                }
                // ...while another client is served as usual.
                try (RawClient other = new RawClient(s.app.port(), 5000, "127.0.0.2")) {
                    assertEquals(200, other.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status());
                }
                // The trickles are cut off once past the grace period: 408, well before they would end.
                for (RawClient c : trickling) {
                    assertEquals(408, c.status());
                }
            } finally {
                for (RawClient c : trickling) {
                    c.close();
                }
            }
            assertEquals(200, getWithin(s, "/health", 5).statusCode());
        }
    }

    @Test
    void aSlowUploadHoldsNoAnalysisSlot(@TempDir Path dataDir) throws Exception {
        // One slot in all: one thread, no queue.
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, dataDir, null, Path.of("uploads"), 64L << 20,
                new AnalysisSettings(1, 0, InputLimits.DEFAULTS));
        List<String> sample = Files.readAllLines(TestService.SAMPLE);
        String start = String.join("\n", sample.subList(0, 12)) + "\n";
        String rows = String.join("\n", sample.subList(0, 300)) + "\n";
        try (TestService s = new TestService(config);
             RawClient slow = new RawClient(s.app.port(), 20_000)) {
            slow.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                    + "Content-Length: 10000000\r\n\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.txt\"\r\n\r\n" + start);
            Thread.sleep(500);
            HttpResponse<String> other = s.uploadText("/api/v1/analyses?wait=60", "other.txt", rows);
            assertEquals(201, other.statusCode(), other.body());
            // Past the grace period, a byte a second is far below the slowest accepted rate.
            Thread sender = new Thread(() -> {
                try {
                    for (int k = 0; k < 20; k++) {
                        Thread.sleep(1000);
                        slow.send("0");
                    }
                } catch (Exception e) {
                    // Cut off: expected.
                }
            });
            sender.setDaemon(true);
            sender.start();
            assertEquals(408, slow.status());
            try (var files = Files.list(dataDir.resolve("incoming"))) {
                assertEquals(0, files.count(), "the cut-off upload's file is removed");
            }
        }
    }
}
