package io.anomalyze.bench;

import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.web.ServiceConfig;
import io.anomalyze.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upload-to-results round trip over HTTP on loopback: starts the service on a free port
 * with a throw-away data directory and posts a file to {@code POST /api/v1/analyses} until
 * its analysis is done.
 */
final class HttpUploadBench implements AutoCloseable {

    private static final String BOUNDARY = "anomalyze-bench-boundary";

    private final Path dataDir;
    private final WebApp app;
    private final HttpClient client = HttpClient.newHttpClient();

    HttpUploadBench() throws IOException {
        dataDir = Files.createTempDirectory("anomalyze-bench");
        app = WebApp.start(new ServiceConfig(ServiceConfig.DEFAULT_HOST, 0, dataDir, null, null,
                ServiceConfig.DEFAULT_MAX_UPLOAD_MB << 20, AnalysisSettings.defaults()));
    }

    /** Uploads {@code file} once and waits for its results; returns the records analysed. */
    long upload(Path file) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(file));
        body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/analyses"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 || !response.body().contains("\"status\":\"done\"")) {
                throw new IOException("upload answered " + response.statusCode() + ": " + response.body());
            }
            return io.anomalyze.Json.MAPPER.readTree(response.body()).path("records").asLong();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        app.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
