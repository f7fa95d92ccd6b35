package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a separate process, killed with SIGKILL in the middle of an analysis and
 * started again on the same data directory: the finished analysis is intact, the interrupted
 * one is failed with a reason and holds no partial verdicts, and nothing is left running.
 */
class CrashRecoveryTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aServiceKilledMidAnalysisRestartsCleanly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        List<String> sample = Files.readAllLines(TestService.SAMPLE);
        Path big = dir.resolve("big.txt");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] all = (String.join("\n", sample) + "\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 40; i++) {
                out.write(all);
            }
        }

        long finishedId;
        long interruptedId;
        JsonNode finishedBefore;
        JsonNode finishedRecords;
        ServiceProcess first = ServiceProcess.start(data, dir.resolve("first.log"), "-Xmx512m");
        int exit;
        try {
            String base = first.base();
            HttpResponse<String> small = upload(base + "/api/v1/analyses?wait=120", "small.txt",
                    (String.join("\n", sample.subList(0, 2000)) + "\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(201, small.statusCode(), small.body());
            finishedBefore = Json.MAPPER.readTree(small.body());
            assertEquals("done", finishedBefore.get("status").asText());
            finishedId = finishedBefore.get("id").asLong();
            finishedRecords = Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + finishedId + "/records?sort=file-order&limit=1000"));

            HttpResponse<String> started = upload(base + "/api/v1/analyses?wait=0", "big.txt", Files.readAllBytes(big));
            assertEquals(201, started.statusCode(), started.body());
            interruptedId = Json.MAPPER.readTree(started.body()).get("id").asLong();
            // Kill once verdicts are being stored, well before the 900,000 records are all in.
            while (true) {
                JsonNode a = Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + interruptedId));
                assertEquals("running", a.get("status").asText(), "the big file must still be running when the service is killed");
                if (a.path("progress").path("records").asLong() >= 20_000) {
                    break;
                }
                Thread.sleep(20);
            }
        } finally {
            exit = first.kill();
        }
        assertEquals(137, exit, "killed by SIGKILL");

        try (ServiceProcess second = ServiceProcess.start(data, dir.resolve("second.log"), "-Xmx512m")) {
            String base = second.base();
            JsonNode finished = Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + finishedId));
            assertEquals("done", finished.get("status").asText());
            assertEquals(2000, finished.get("records").asLong());
            assertEquals(finishedBefore.get("severityCounts"), finished.get("severityCounts"));
            assertEquals(finishedBefore.get("metrics"), finished.get("metrics"));
            assertEquals(finishedRecords, Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + finishedId
                    + "/records?sort=file-order&limit=1000")));

            JsonNode interrupted = Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + interruptedId));
            assertEquals("failed", interrupted.get("status").asText(), interrupted.toString());
            assertEquals("the service stopped before this analysis finished; upload the file again", interrupted.get("error").asText());
            assertEquals(0, interrupted.get("records").asLong(), "no partial result");
            assertEquals(0, Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + interruptedId + "/records")).get("total").asLong());
            assertEquals(0, Json.MAPPER.readTree(get(base + "/api/v1/analyses/" + interruptedId + "/records")).get("records").size());
            for (JsonNode a : Json.MAPPER.readTree(get(base + "/api/v1/analyses")).get("analyses")) {
                assertTrue(!"running".equals(a.get("status").asText()), "nothing is left running: " + a);
            }
            try (var files = Files.list(data.resolve("incoming"))) {
                assertEquals(0, files.count(), "the interrupted upload's file is removed");
            }
            HttpResponse<String> again = upload(base + "/api/v1/analyses?wait=120", "again.txt",
                    (String.join("\n", sample.subList(0, 2000)) + "\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(201, again.statusCode(), again.body());
            assertEquals(finishedBefore.get("severityCounts"), Json.MAPPER.readTree(again.body()).get("severityCounts"));
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    private HttpResponse<String> upload(String url, String name, byte[] content) throws Exception {
        String boundary = "----crash" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        List<byte[]> parts = new ArrayList<>(List.of(head, content, tail));
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
