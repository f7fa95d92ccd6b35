package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.analysis.AnalysisDeletedException;
import io.anomalyze.analysis.AnalysisService;
import io.anomalyze.store.AnalysisSummary;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs and events that used to end in a 500 with a stack trace: each gets a 4xx, or only a debug line when the client left. */
class ErrorAnswerTest {

    @TempDir
    static Path dataDir;
    static TestService service;
    static String rows;

    @BeforeAll
    static void start() throws Exception {
        service = new TestService(dataDir);
        rows = String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 50)) + "\n";
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void refused(HttpResponse<String> r, int status, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(message, TestService.json(r).get("error").asText());
    }

    private static List<String> serverErrors() throws Exception {
        return service.get("/metrics").body().lines().filter(l -> l.startsWith("http_server_requests_seconds_count")
                && l.contains("status=\"5")).toList();
    }

    @Test
    void aNulInTheFileNameIsRefused() throws Exception {
        refused(service.uploadText("/api/v1/analyses", "a\u0000b.txt", rows), 400,
                "the upload's file name holds a NUL character; rename the file");
        assertEquals(List.of(), serverErrors());
    }

    @Test
    void jsonTooDeepTooLongOrNotUtf8IsRefused() throws Exception {
        refused(service.postJson("/api/v1/predict", "[".repeat(1001) + "]".repeat(1001)), 413,
                "the body is not accepted: Document nesting depth (1001) exceeds the maximum allowed (1000)");
        refused(service.postJson("/api/v1/predict", "{\"features\": [" + "9".repeat(1001) + "]}"), 413,
                "the body is not accepted: Number value length (1001) exceeds the maximum allowed (1000)");
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0, '"', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, '"'};
        HttpResponse<String> r = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/predict"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(utf32)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        String error = TestService.json(r).get("error").asText();
        assertTrue(error.startsWith("the body is not valid JSON text: Invalid UTF-32 character 0xfffeffff") && error.endsWith("; send UTF-8"), error);
        assertEquals(List.of(), serverErrors());
    }

    @Test
    void anUploadCutOffByItsClientIsNoServerError() throws Exception {
        try (RawClient c = new RawClient(service.app.port(), 5000)) {
            c.send("POST /api/v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                    + "Content-Length: 100000\r\n\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n" + rows);
            Thread.sleep(300);
        }
        awaitStatus("/api/v1/analyses", "POST", "499");
        assertEquals(List.of(), serverErrors());
        try (var files = Files.list(dataDir.resolve("incoming"))) {
            assertEquals(0, files.count(), "the cut-off upload's file is removed");
        }
    }

    @Test
    void aClientLeavingMidExportIsNoServerError() throws Exception {
        HttpResponse<String> up = service.uploadFile("/api/v1/analyses?wait=120", TestService.SAMPLE);
        assertEquals(201, up.statusCode(), up.body());
        long id = TestService.json(up).get("id").asLong();
        try (RawClient c = new RawClient(service.app.port(), 5000)) {
            c.send("GET /analyses/" + id + "/export.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(c.head().startsWith("HTTP/1.1 200"));
            c.in.readNBytes(10_000);
        }
        awaitStatus("/analyses/{id}/export.json", "GET", "499");
        assertEquals(List.of(), serverErrors());
        assertEquals(204, service.delete("/api/v1/analyses/" + id).statusCode());
    }

    /** Waits (up to 20 s) until the metrics count a request of {@code route} answered {@code status}. */
    private static void awaitStatus(String route, String method, String status) throws Exception {
        String series = "http_server_requests_seconds_count{method=\"" + method + "\",route=\"" + route + "\",status=\"" + status + "\"}";
        for (int i = 0; i < 200; i++) {
            if (service.get("/metrics").body().contains(series)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + series + " in " + service.get("/metrics").body().lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count")).toList());
    }

    @Test
    void anAnalysisDeletedAsItsUploadIsAnsweredIsGoneNotAnError() throws Exception {
        AnalysisService analyses = service.app.analyses();
        AnalysisService.Reservation r = analyses.reserve();
        Files.write(r.file(), rows.getBytes(StandardCharsets.US_ASCII));
        AnalysisSummary started;
        try (r) {
            started = r.start("race.txt", "auto");
        }
        for (int i = 0; i < 600 && analyses.isRunning(started.id()); i++) {
            Thread.sleep(50);
        }
        // Another request deletes it between its end and the upload's answer.
        assertTrue(analyses.delete(started.id()));
        AnalysisDeletedException e = assertThrows(AnalysisDeletedException.class, () -> r.awaitResult(Duration.ofSeconds(10)));
        assertEquals("analysis " + started.id() + " was deleted before its result could be shown", e.getMessage());
    }
}
