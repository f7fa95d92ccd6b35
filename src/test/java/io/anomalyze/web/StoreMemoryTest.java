package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service in its own JVM with a small heap, holding an analysis whose stored verdicts are
 * larger than the heap. Finishing it, four concurrent exports of it and deleting it once ran out
 * of memory inside H2, which closed the database: every later request failed until a restart.
 * Each now works in bounded memory, and deleting gives the space back: after a restart (which
 * compacts a file that is mostly free) the database file is a small fraction of its size.
 */
class StoreMemoryTest {

    /**
     * About 110 MB of stored verdicts against a 128 MB heap (the analysis itself, with its
     * batches of verdicts in flight, needs most of that heap).
     */
    private static final int RECORDS = 400_000;
    private static final String HEAP = "-Xmx128m";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aLargeAnalysisFinishesExportsAndDeletesInASmallHeapAndDeletingGivesTheSpaceBack(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path big = dir.resolve("big.txt");
        List<String> sample = Files.readAllLines(TestService.SAMPLE);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < RECORDS; i++) {
                out.write(sample.get(i % sample.size()).getBytes(StandardCharsets.US_ASCII));
                out.write('\n');
            }
        }
        Path db = data.resolve("anomalyze.mv.db");
        long full;
        try (ServiceProcess first = ServiceProcess.start(data, dir.resolve("first.log"), HEAP)) {
            String base = first.base();
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/analyses?wait=600"))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"),
                            HttpRequest.BodyPublishers.ofFile(big),
                            HttpRequest.BodyPublishers.ofString("\r\n--b--\r\n"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, up.statusCode(), up.body() + logTail(first));
            JsonNode a = Json.MAPPER.readTree(up.body());
            assertEquals("done", a.get("status").asText(), up.body() + logTail(first));
            assertEquals(RECORDS, a.get("records").asLong());
            long id = a.get("id").asLong();
            full = Files.size(db);

            List<CompletableFuture<long[]>> exports = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                exports.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/analyses/" + id + (i % 2 == 0 ? "/export.csv" : "/export.json")))
                        .build(), HttpResponse.BodyHandlers.ofInputStream()).thenApply(StoreMemoryTest::statusAndLines));
            }
            for (int i = 0; i < 4; i++) {
                long[] got = exports.get(i).get(10, TimeUnit.MINUTES);
                assertEquals(200, got[0], "export " + i);
                // CSV: a header and a line per verdict; JSON: one line in all, checked by its length.
                if (i % 2 == 0) {
                    assertEquals(RECORDS + 1, got[1], "export " + i);
                } else {
                    assertTrue(got[2] > RECORDS * 100L, "export " + i + " holds every verdict: " + got[2] + " bytes");
                }
            }
            assertEquals(200, get(base + "/health").statusCode());

            HttpResponse<String> del = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/analyses/" + id)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, del.statusCode(), del.body());
            assertEquals(404, get(base + "/api/v1/analyses/" + id).statusCode());
            HttpResponse<String> health = get(base + "/health");
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("up", Json.MAPPER.readTree(health.body()).get("status").asText());
            assertFalse(first.log().contains("OutOfMemoryError"));
        }

        try (ServiceProcess second = ServiceProcess.start(data, dir.resolve("second.log"), HEAP)) {
            String base = second.base();
            long compacted = Files.size(db);
            assertTrue(compacted < full / 10, "the file shrank from " + full + " to " + compacted + " bytes");
            HttpResponse<String> list = get(base + "/api/v1/analyses");
            assertEquals(0, Json.MAPPER.readTree(list.body()).get("total").asLong(), list.body());
        }
    }

    /** The end of the service's log, so that a failure here says what the service saw. */
    private static String logTail(ServiceProcess service) throws java.io.IOException {
        String log = service.log();
        return "\nservice log:\n" + log.substring(Math.max(0, log.length() - 4000));
    }

    /** Status, line count and byte count of a streamed body, read without keeping it. */
    private static long[] statusAndLines(HttpResponse<InputStream> r) {
        long lines = 0;
        long bytes = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new long[] {r.statusCode(), lines, bytes};
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
