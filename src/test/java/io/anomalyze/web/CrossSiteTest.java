package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another site's page (or a page on another port of this host, or one whose DNS name was rebound
 * to this address) can neither change data through a user's browser nor read it.
 */
class CrossSiteTest {

    @TempDir
    static Path dataDir;
    static TestService service;
    static String rows;

    @BeforeAll
    static void start() throws Exception {
        service = new TestService(dataDir);
        rows = String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 30)) + "\n";
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static long analysis() throws Exception {
        HttpResponse<String> r = service.uploadText("/api/v1/analyses?wait=60", "a.txt", rows);
        assertEquals(201, r.statusCode(), r.body());
        return TestService.json(r).get("id").asLong();
    }

    private static HttpResponse<String> deleteForm(long id, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.base() + "/analyses/" + id + "/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return service.http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void refused(HttpResponse<String> r, String message) throws Exception {
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(message, TestService.json(r).get("error").asText());
    }

    @Test
    void formsNeedTheirCsrfTokenAndTheirOwnOrigin() throws Exception {
        long id = analysis();
        String csrf = service.csrf(null);
        String self = "http://127.0.0.1:" + service.app.port();
        refused(deleteForm(id, "csrf=" + csrf, "Origin", "http://evil.example"),
                "cross-site request refused: it comes from http://evil.example, not from this service's pages");
        refused(deleteForm(id, "csrf=" + csrf, "Origin", "http://127.0.0.1:1"),
                "cross-site request refused: it comes from http://127.0.0.1:1, not from this service's pages");
        refused(deleteForm(id, "csrf=" + csrf, "Sec-Fetch-Site", "same-site"),
                "cross-site request refused: the browser says it comes from another site or port (Sec-Fetch-Site: same-site)");
        String outOfDate = "this form is out of date or did not come from this service (its CSRF token is missing or wrong);"
                + " reload the page and try again";
        refused(deleteForm(id, "", "Origin", self), outOfDate);
        refused(deleteForm(id, "csrf=" + csrf.substring(1), "Origin", self), outOfDate);
        assertEquals(200, service.get("/api/v1/analyses/" + id).statusCode(), "nothing was deleted");
        refused(deleteForm(id, "csrf=" + csrf, "Origin", "null", "Sec-Fetch-Site", "cross-site"),
                "cross-site request refused: the browser says it comes from another site or port (Sec-Fetch-Site: cross-site)");
        assertEquals(200, service.get("/api/v1/analyses/" + id).statusCode(), "nothing was deleted");
        assertEquals(303, deleteForm(analysis(), "csrf=" + csrf, "Origin", self, "Sec-Fetch-Site", "same-origin").statusCode());
        // A browser may send "Origin: null" for a page's own form: its token and Sec-Fetch-Site decide.
        HttpResponse<String> own = deleteForm(id, "csrf=" + csrf, "Origin", "null", "Sec-Fetch-Site", "same-origin");
        assertEquals(303, own.statusCode(), own.body());
        assertEquals(404, service.get("/api/v1/analyses/" + id).statusCode());
    }

    @Test
    void everyFormOfThePagesCarriesTheToken() throws Exception {
        analysis();
        String csrf = service.csrf(null);
        for (String path : List.of("/", "/analyses")) {
            String page = service.get(path).body();
            int forms = page.split("method=\"post\"", -1).length - 1;
            int tokens = page.split("name=\"csrf\" value=\"" + csrf + "\"", -1).length - 1;
            assertTrue(forms > 0, path);
            assertEquals(forms, tokens, path + ": every form has the token");
        }
    }

    @Test
    void browserUploadsAndSamplesFromOtherSitesAreRefused() throws Exception {
        long before = TestService.json(service.get("/api/v1/analyses")).get("total").asLong();
        String cross = "cross-site request refused: it comes from http://evil.example, not from this service's pages";
        HttpResponse<String> api = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/analyses"))
                .header("Origin", "http://evil.example").header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
                        + rows + "\r\n--x--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
        refused(api, cross);
        // The upload form without its token field first: refused before the file is read.
        HttpResponse<String> form = service.uploadText("/analyses", "a.txt", rows);
        assertEquals(403, form.statusCode(), form.body());
        HttpResponse<String> sample = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/samples"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("name=KDDTest%2B.txt&csrf="
                        + service.csrf(null))).build(), HttpResponse.BodyHandlers.ofString());
        refused(sample, cross);
        // The page's script sends the token as a header.
        HttpResponse<String> script = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/analyses?wait=60"))
                .header("Origin", "http://127.0.0.1:" + service.app.port()).header(Access.CSRF_HEADER, service.csrf(null))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
                        + rows + "\r\n--x--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, script.statusCode(), script.body());
        assertEquals(before + 1, TestService.json(service.get("/api/v1/analyses")).get("total").asLong());
    }

    @Test
    void onlyAllowedHostNamesAreAnswered() throws Exception {
        long id = analysis();
        assertEquals(403, rawGet(service, "/api/v1/analyses/" + id, "rebound.evil.example:" + service.app.port()));
        assertEquals(403, rawGet(service, "/", "evil.example"));
        assertEquals(200, rawGet(service, "/health", "evil.example"), "/health answers monitors whatever name they use");
        assertEquals(200, rawGet(service, "/api/v1/analyses/" + id, "localhost:" + service.app.port()));
        assertEquals(200, rawGet(service, "/api/v1/analyses/" + id, "127.0.0.1:" + service.app.port()));
        try (RawClient c = new RawClient(service.app.port(), 5000)) {
            c.send("GET / HTTP/1.1\r\nHost: evil.example\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
            c.head();
            assertEquals("{\"error\":\"this service does not answer to the host name \\\"evil.example\\\"; add it to --allowed-hosts"
                    + " (ANOMALYZE_ALLOWED_HOSTS) if it is meant to\"}", new String(c.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void theAllowListIsASetting(@TempDir Path otherData) throws Exception {
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, otherData, null, Path.of("uploads"), 16L << 20,
                io.anomalyze.analysis.AnalysisSettings.defaults()).withWebLimits(WebLimits.DEFAULTS.withAllowedHosts(List.of("anomalyze.internal")));
        try (TestService s = new TestService(config)) {
            assertEquals(200, rawGet(s, "/api/v1/analyses", "anomalyze.internal:8080"));
            assertEquals(200, rawGet(s, "/api/v1/analyses", "ANOMALYZE.internal."));
            assertEquals(403, rawGet(s, "/api/v1/analyses", "localhost"));
        }
    }

    private static int rawGet(TestService s, String path, String host) throws Exception {
        try (RawClient c = new RawClient(s.app.port(), 10_000)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status();
        }
    }
}
