package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.ContainerImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's HEALTHCHECK, run as the image runs it (its command, the image's environment and
 * what a user passes with -e) against a real service: it follows the configured port and reports a
 * service without models unhealthy through the readiness endpoint.
 */
class ContainerHealthCheckTest {

    private static final ContainerImage IMAGE = ContainerImage.read();

    /** Exit code and error output of one health check. */
    private record Check(int code, String err) {
    }

    @Test
    void theCheckFollowsThePortGivenWithTheEnvironment(@TempDir Path data) throws Exception {
        try (TestService service = new TestService(data)) {
            HttpResponse<String> ready = service.get("/health/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("up", TestService.json(ready).get("status").asText());

            // docker run -e ANOMALYZE_PORT=<port>: the service listens there and the check asks there.
            assertEquals(new Check(0, ""), check(Map.of("ANOMALYZE_PORT", Integer.toString(service.app.port()))));
            assertEquals(new Check(0, ""), check(Map.of("ANOMALYZE_PORT", " " + service.app.port() + " ", "ANOMALYZE_HOST", "127.0.0.1")));

            Check elsewhere = check(Map.of("ANOMALYZE_PORT", Integer.toString(freePort())));
            assertEquals(7, elsewhere.code(), "curl: could not connect; " + elsewhere.err());
        }
    }

    @Test
    void aServiceWithoutModelsIsAliveButNotReady(@TempDir Path data, @TempDir Path noModels) throws Exception {
        try (TestService none = TestService.withOnlyModelsOf(data, noModels)) {
            HttpResponse<String> health = none.get("/health");
            assertEquals(200, health.statusCode(), "alive: restarting would not load a model");
            assertEquals("degraded", TestService.json(health).get("status").asText());

            HttpResponse<String> ready = none.get("/health/ready");
            assertEquals(503, ready.statusCode());
            JsonNode report = TestService.json(ready);
            assertEquals("degraded", report.get("status").asText());
            assertEquals(0, report.get("models").size());

            Check check = check(Map.of("ANOMALYZE_PORT", Integer.toString(none.app.port())));
            assertEquals(22, check.code(), "curl --fail on an HTTP error; " + check.err());
            assertTrue(check.err().contains("503"), check.err());
        }
    }

    /** Runs the HEALTHCHECK command with the image's ENV overridden by {@code userEnv}, as -e does. */
    private static Check check(Map<String, String> userEnv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        for (String word : IMAGE.healthCommand()) {
            command.add(word.startsWith("/app/") ? IMAGE.sourceOf(word).toString() : word);
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANOMALYZE_"));
        for (String name : List.of("ANOMALYZE_HOST", "ANOMALYZE_PORT")) {
            env.put(name, IMAGE.env(name));
        }
        env.putAll(userEnv);
        Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the health check did not end");
        }
        return new Check(p.exitValue(), err);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
