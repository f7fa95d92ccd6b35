package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.read.InputLimits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP done right in the small: methods, HEAD, caching, part headers, file names, strict JSON, token guessing, cookies. */
class HttpDetailsTest {

    private static final String TOKEN = "s3cret-token-for-tests-0123456789";

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

    private static HttpResponse<String> send(TestService s, String method, String path) throws Exception {
        return s.http.send(HttpRequest.newBuilder(URI.create(s.base() + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> multipart(String partHeaders) throws Exception {
        String body = "--xyz\r\n" + partHeaders + "\r\n\r\n" + rows + "\r\n--xyz--\r\n";
        return service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/analyses?wait=60"))
                .header("Content-Type", "multipart/form-data; boundary=xyz").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void headAnswersAsGetWouldAndOtherMethodsGet405() throws Exception {
        assertEquals(404, send(service, "HEAD", "/analyses/999").statusCode());
        assertEquals(404, send(service, "HEAD", "/api/v1/analyses/999").statusCode());
        assertEquals(200, send(service, "HEAD", "/health").statusCode());
        assertEquals(200, send(service, "HEAD", "/analyses").statusCode());
        for (String method : List.of("PUT", "PATCH", "OPTIONS", "TRACE")) {
            HttpResponse<String> r = send(service, method, "/health");
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""), method);
            assertEquals(method + " is not allowed on /health; it answers GET, HEAD", TestService.json(r).get("error").asText());
            assertEquals("GET, HEAD, DELETE", send(service, method, "/api/v1/analyses/7").headers().firstValue("Allow").orElse(""), method);
        }
        assertEquals(404, send(service, "PUT", "/nowhere").statusCode());
    }

    @Test
    void pagesAndExportsAreNotCachedStaticFilesMayBe() throws Exception {
        HttpResponse<String> up = service.uploadText("/api/v1/analyses?wait=60", "cache.txt", rows);
        long id = TestService.json(up).get("id").asLong();
        for (String path : List.of("/", "/analyses", "/analyses/" + id, "/analyses/" + id + "/metrics", "/analyses/" + id + "/export.csv",
                "/analyses/" + id + "/export.json", "/api/v1/analyses/" + id)) {
            HttpResponse<String> r = service.get(path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
        }
        assertEquals("max-age=0", service.get("/static/app.css").headers().firstValue("Cache-Control").orElse(""));
        assertEquals(204, service.delete("/api/v1/analyses/" + id).statusCode());
    }

    @Test
    void aLongFileNameFitsAndPartHeadersOverTheLimitSaySo() throws Exception {
        String name = "a".repeat(560) + ".txt";
        HttpResponse<String> ok = multipart("Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"");
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(204, service.delete("/api/v1/analyses/" + TestService.json(ok).get("id").asLong()).statusCode());
        HttpResponse<String> tooLong = multipart("Content-Disposition: form-data; name=\"file\"; filename=\"" + "a".repeat(9000) + "\"");
        assertEquals(413, tooLong.statusCode(), tooLong.body());
        assertEquals("a part of the upload has headers longer than the limit of 8192 bytes (its file name?)",
                TestService.json(tooLong).get("error").asText());
    }

    @Test
    void fileNamesLoseBidiOverridesAndControlCharacters() throws Exception {
        String name = "invoice\u202Etxt.exe\u0085\u200B\u2066.txt";
        HttpResponse<String> r = multipart("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("invoicetxt.exe.txt", TestService.json(r).get("fileName").asText());
        assertEquals(204, service.delete("/api/v1/analyses/" + TestService.json(r).get("id").asLong()).statusCode());
    }

    @Test
    void duplicateKeysAndTrailingDataAreRefused() throws Exception {
        String record = rows.lines().findFirst().orElseThrow();
        HttpResponse<String> dup = service.postJson("/api/v1/predict", "{\"record\": \"" + record + "\", \"record\": \"" + record + "\"}");
        assertEquals(400, dup.statusCode(), dup.body());
        int column = ("{\"record\": \"" + record + "\", \"record\"").length() + 1;
        assertEquals("the body is not valid JSON: Duplicate field 'record' (line 1, column " + column + ")",
                TestService.json(dup).get("error").asText());
        String json = "{\"record\": \"" + record + "\"}";
        HttpResponse<String> trailing = service.postJson("/api/v1/predict", json + " garbage");
        assertEquals(400, trailing.statusCode(), trailing.body());
        assertEquals("the body is not valid JSON: there is more after its value (line 1, column " + (json.length() + 9) + ")",
                TestService.json(trailing).get("error").asText());
        assertEquals(200, service.postJson("/api/v1/predict", json + " \n").statusCode());
    }

    @Test
    void wrongTokensBackOffAndTheSessionCookieIsSecureOverHttps(@TempDir Path otherData) throws Exception {
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, otherData, null, Path.of("uploads"), 64L << 20,
                new AnalysisSettings(1, 2, InputLimits.DEFAULTS)).withApiToken(TOKEN);
        try (TestService s = new TestService(config)) {
            String csrf = s.csrf(null);
            for (int i = 0; i < 5; i++) {
                assertEquals(401, login(s, csrf, "guess-" + i, null).statusCode(), "try " + i);
            }
            HttpResponse<String> throttled = login(s, csrf, "guess-5", null);
            assertEquals(429, throttled.statusCode());
            assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(""));
            assertEquals(429, login(s, csrf, TOKEN, null).statusCode(), "the right token waits too");
            HttpResponse<String> api = s.http.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/analyses/1"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, api.statusCode(), "the API shares the client's wait");
            Thread.sleep(1100);
            HttpResponse<String> plain = login(s, csrf, TOKEN, null);
            assertEquals(303, plain.statusCode(), plain.body());
            assertFalse(plain.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
            HttpResponse<String> proxied = login(s, csrf, TOKEN, "https");
            assertEquals(303, proxied.statusCode());
            assertTrue(proxied.headers().firstValue("Set-Cookie").orElseThrow().endsWith("; HttpOnly; SameSite=Strict; Secure"));
        }
    }

    private static HttpResponse<String> login(TestService s, String csrf, String token, String forwardedProto) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base() + "/login")).header("Content-Type", "application/x-www-form-urlencoded");
        if (forwardedProto != null) {
            b.header("X-Forwarded-Proto", forwardedProto);
        }
        return s.http.send(b.POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
