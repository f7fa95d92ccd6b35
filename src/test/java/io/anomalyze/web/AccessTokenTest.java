package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.read.InputLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With an API token, writes and deletes need it (API) or a session opened with it (browser); reads stay open. */
class AccessTokenTest {

    private static final String TOKEN = "s3cret-token-for-tests-0123456789";

    private static HttpResponse<String> send(TestService s, HttpRequest.Builder b) throws Exception {
        return s.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder req(TestService s, String path) {
        return HttpRequest.newBuilder(URI.create(s.base() + path));
    }

    @Test
    void writesNeedTheTokenAndBrowsersASession(@TempDir Path dataDir) throws Exception {
        String rows = String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 50)) + "\n";
        ServiceConfig config = new ServiceConfig("127.0.0.1", 0, dataDir, null, Path.of("uploads"), 64L << 20,
                new AnalysisSettings(1, 4, InputLimits.DEFAULTS)).withApiToken(TOKEN);
        assertFalse(config.toString().contains(TOKEN), "the token is never printed");
        try (TestService s = new TestService(config)) {
            // API: no token, a wrong token, a token differing only in its last character, then the right one.
            HttpResponse<String> none = s.uploadText("/api/v1/analyses", "a.txt", rows);
            assertEquals(401, none.statusCode());
            assertEquals("this action needs the API token: send Authorization: Bearer <token>", TestService.json(none).get("error").asText());
            assertEquals("Bearer realm=\"anomalyze\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
            for (String wrong : List.of("nope", TOKEN.substring(0, TOKEN.length() - 1) + "X", TOKEN + "0", "")) {
                HttpResponse<String> r = send(s, req(s, "/api/v1/analyses").header("Authorization", "Bearer " + wrong)
                        .header("Content-Type", "multipart/form-data; boundary=x").POST(HttpRequest.BodyPublishers.ofString("--x--")));
                assertEquals(401, r.statusCode(), wrong);
                assertEquals("the API token is wrong", TestService.json(r).get("error").asText());
            }
            assertEquals(0, TestService.json(s.get("/api/v1/analyses")).get("total").asLong(), "refused uploads store nothing");

            HttpResponse<String> ok = authorisedUpload(s, rows);
            assertEquals(201, ok.statusCode(), ok.body());
            long id = TestService.json(ok).get("id").asLong();

            // Reads stay open.
            assertEquals(200, s.get("/api/v1/analyses/" + id).statusCode());
            assertEquals(200, s.get("/api/v1/analyses/" + id + "/records").statusCode());
            assertEquals(200, s.get("/analyses/" + id).statusCode());
            assertEquals(200, s.get("/analyses/" + id + "/export.csv").statusCode());
            assertEquals(200, s.postJson("/api/v1/predict", "{\"record\": \"" + rows.lines().findFirst().orElseThrow() + "\"}").statusCode());

            assertEquals(401, s.delete("/api/v1/analyses/" + id).statusCode());
            assertEquals(401, send(s, req(s, "/api/v1/analyses/" + id).header("Authorization", "Bearer wrong").DELETE()).statusCode());

            // Browser: the form actions answer 401 with a page pointing to /login.
            HttpResponse<String> form = s.uploadText("/analyses", "a.txt", rows);
            assertEquals(401, form.statusCode());
            assertTrue(form.body().contains("this action needs a session: log in with the API token at /login"), form.body());
            assertTrue(form.body().contains("href=\"/login\""));
            String anonymous = s.csrf(null);
            HttpResponse<String> sample = send(s, req(s, "/samples").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("name=KDDTest%2B.txt&csrf=" + anonymous)));
            assertEquals(401, sample.statusCode());
            HttpResponse<String> del = send(s, req(s, "/analyses/" + id + "/delete").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + anonymous)));
            assertEquals(401, del.statusCode());
            assertTrue(s.get("/").body().contains("id=\"login-needed\""), "the home page says uploads need a session");

            HttpResponse<String> loginPage = s.get("/login");
            assertEquals(200, loginPage.statusCode());
            assertTrue(loginPage.body().contains("id=\"login-form\"") && loginPage.body().contains("type=\"password\""));
            // A wrong token at /login: 401 and the form again, no cookie.
            HttpResponse<String> badLogin = login(s, "guess");
            assertEquals(401, badLogin.statusCode());
            assertTrue(badLogin.body().contains("the API token is wrong"));
            assertTrue(badLogin.headers().firstValue("Set-Cookie").isEmpty());

            HttpResponse<String> goodLogin = login(s, TOKEN);
            assertEquals(303, goodLogin.statusCode());
            String setCookie = goodLogin.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(setCookie.startsWith(Access.COOKIE + "="), setCookie);
            assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"), setCookie);
            assertFalse(setCookie.contains(TOKEN), "the cookie is a session id, not the token");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            assertFalse(send(s, req(s, "/").header("Cookie", cookie).GET()).body().contains("id=\"login-needed\""));
            HttpResponse<String> forged = send(s, req(s, "/analyses/" + id + "/delete").header("Cookie", Access.COOKIE + "=forged")
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=" + anonymous)));
            assertEquals(401, forged.statusCode());
            // The session's CSRF token is its own: the one of no session does not do.
            HttpResponse<String> wrongCsrf = send(s, req(s, "/analyses/" + id + "/delete").header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=" + anonymous)));
            assertEquals(403, wrongCsrf.statusCode());
            String csrf = s.csrf(cookie);
            HttpResponse<String> sessionDelete = send(s, req(s, "/analyses/" + id + "/delete").header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf)));
            assertEquals(303, sessionDelete.statusCode());
            assertEquals(404, s.get("/api/v1/analyses/" + id).statusCode());

            // The API with the token deletes too; logging out ends the session.
            long second = TestService.json(authorisedUpload(s, rows)).get("id").asLong();
            assertEquals(204, send(s, req(s, "/api/v1/analyses/" + second).header("Authorization", "Bearer " + TOKEN).DELETE()).statusCode());
            assertEquals(303, send(s, req(s, "/logout").header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf))).statusCode());
            HttpResponse<String> afterLogout = send(s, req(s, "/samples").header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("name=x&csrf=" + anonymous)));
            assertEquals(401, afterLogout.statusCode());
        }
    }

    @Test
    void withoutATokenEveryoneMayWrite(@TempDir Path dataDir) throws Exception {
        try (TestService s = new TestService(dataDir)) {
            HttpResponse<String> r = s.uploadText("/api/v1/analyses", "a.txt",
                    String.join("\n", Files.readAllLines(TestService.SAMPLE).subList(0, 20)));
            assertEquals(201, r.statusCode(), r.body());
            assertFalse(s.get("/").body().contains("id=\"login-needed\""));
            assertEquals(204, s.delete("/api/v1/analyses/" + TestService.json(r).get("id").asLong()).statusCode());
        }
    }

    private static HttpResponse<String> authorisedUpload(TestService s, String rows) throws Exception {
        String boundary = "----tok";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n" + rows
                + "\r\n--" + boundary + "--\r\n";
        return send(s, req(s, "/api/v1/analyses?wait=60").header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> login(TestService s, String token) throws Exception {
        return send(s, req(s, "/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + s.csrf(null) + "&token="
                        + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8))));
    }
}
