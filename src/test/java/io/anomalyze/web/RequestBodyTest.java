package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies built to expand in memory are refused while they are read, with 413 naming the limit. */
class RequestBodyTest {

    @TempDir
    static Path dataDir;
    static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = new TestService(dataDir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void refused(HttpResponse<String> r, int status, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(message, TestService.json(r).get("error").asText());
    }

    @Test
    void millionsOfFeatureValuesAreRefusedAsTheyAreRead() throws Exception {
        // 4 M numbers in 8 MB: within the size limit, far past any record's width.
        StringBuilder body = new StringBuilder(8_000_020).append("{\"features\":[");
        for (int i = 0; i < 4_000_000; i++) {
            body.append(i == 0 ? "1" : ",1");
        }
        body.append("]}");
        refused(service.postJson("/api/v1/predict", body.toString()), 413,
                "\"features\" holds more than 10000 values, over the limit of one array"
                        + " (--max-predict-records / ANOMALYZE_MAX_PREDICT_RECORDS)");
        StringBuilder wide = new StringBuilder("{\"log\":{");
        for (int i = 0; i < 1001; i++) {
            wide.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
        }
        refused(service.postJson("/api/v1/predict", wide.append("}}").toString()), 413,
                "\"log\" holds more than 1000 fields, over the limit of one object"
                        + " (--max-json-fields / ANOMALYZE_MAX_JSON_FIELDS)");
    }

    @Test
    void recordsPerRequestAndFieldsPerObjectAreSettings(@TempDir Path otherData) throws Exception {
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, otherData, null, Path.of("uploads"), 16L << 20,
                io.anomalyze.analysis.AnalysisSettings.defaults()).withWebLimits(WebLimits.DEFAULTS.withJsonShape(2, 3));
        String record = "\"0,tcp,private,REJ,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,229,10,0,0,1,1,0.04,0.06,0,255,10,0,0.04,0.06,0,0,0,1,1\"";
        try (TestService s = new TestService(config)) {
            assertEquals(200, s.postJson("/api/v1/predict", "{\"records\":[" + record + "," + record + "]}").statusCode());
            refused(s.postJson("/api/v1/predict", "{\"records\":[" + record + "," + record + "," + record + "]}"), 413,
                    "\"records\" holds more than 2 values, over the limit of one array (--max-predict-records / ANOMALYZE_MAX_PREDICT_RECORDS)");
            assertEquals(200, s.postJson("/api/v1/predict", "{\"log\":{\"Flow Duration\":1,\"Total Fwd Packets\":2,\"Destination Port\":80}}")
                    .statusCode());
            refused(s.postJson("/api/v1/predict", "{\"log\":{\"Flow Duration\":1,\"Total Fwd Packets\":2,\"Destination Port\":80,\"x\":1}}"),
                    413, "\"log\" holds more than 3 fields, over the limit of one object (--max-json-fields / ANOMALYZE_MAX_JSON_FIELDS)");
        }
    }

    @Test
    void largeFormsAreRefusedBeforeTheyAreRead() throws Exception {
        String huge = "token=" + "a".repeat((16 << 20) - 100);
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            posts.add(service.http.sendAsync(HttpRequest.newBuilder(URI.create(service.base() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(huge)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> p : posts) {
            HttpResponse<String> r;
            try {
                r = p.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // The service may close the connection before the client has sent its whole body.
                continue;
            }
            refused(r, 413, "the form is larger than the limit of 64 KB (--max-form-kb / ANOMALYZE_MAX_FORM_KB)");
        }
        try (RawClient c = new RawClient(service.app.port(), 10_000)) {
            c.send("POST /samples HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n10\r\nname=aaaaaaaaaaa\r\n");
            assertEquals(411, c.status());
        }
    }

    @Test
    void uploadsWithThousandsOfFieldsAreRefused() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            body.writeBytes(("--x\r\nContent-Disposition: form-data; name=\"f" + i + "\"\r\n\r\nv\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
                + String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 20)) + "\n\r\n--x--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/analyses"))
                .header("Content-Type", "multipart/form-data; boundary=x").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        refused(r, 413, "the upload has more than 16 parts, over the limit; send the file (field \"file\") and at most a few fields");
        assertEquals(0, TestService.json(service.get("/api/v1/analyses")).get("total").asLong());
    }
}
