package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.read.InputLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** The real service on a random port over a given data directory, with a small HTTP client. */
final class TestService implements AutoCloseable {

    static final Path SAMPLE = Path.of("uploads", "KDDTest+.txt");
    static final Path FLOW_SAMPLE = Path.of("uploads", "MachineLearningCVE-sample.csv");

    final WebApp app;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    TestService(Path dataDir) throws IOException {
        this(dataDir, 1024L << 20, 2, 8);
    }

    TestService(Path dataDir, long maxUploadBytes, int threads, int queue) throws IOException {
        this(new ServiceConfig("127.0.0.1", 0, dataDir, null, Path.of("uploads"), maxUploadBytes,
                new AnalysisSettings(threads, queue, InputLimits.DEFAULTS)));
    }

    /** A service with only the models in {@code modelsDir}, none of the bundled ones. */
    static TestService withOnlyModelsOf(Path dataDir, Path modelsDir) throws IOException {
        return new TestService(new ServiceConfig("127.0.0.1", 0, dataDir, modelsDir, Path.of("uploads"), 1024L << 20,
                new AnalysisSettings(1, 4, InputLimits.DEFAULTS), false));
    }

    TestService(ServiceConfig config) throws IOException {
        this(WebApp.start(config));
    }

    /** The service of an app a test started its own way. */
    TestService(WebApp app) {
        this.app = app;
    }

    String base() {
        return "http://127.0.0.1:" + app.port();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code content} as the multipart field {@code file} named {@code fileName}, plus optional fields. */
    HttpResponse<String> upload(String path, String fileName, InputStreamSupplier content, String... fields)
            throws IOException, InterruptedException {
        String boundary = "----anomalyze" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fields[i])
                    .append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                                new java.io.ByteArrayInputStream(headBytes), content.open(), new java.io.ByteArrayInputStream(tail))));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> uploadFile(String path, Path file, String... fields) throws IOException, InterruptedException {
        return upload(path, file.getFileName().toString(), () -> Files.newInputStream(file), fields);
    }

    HttpResponse<String> uploadText(String path, String fileName, String text, String... fields) throws IOException, InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return upload(path, fileName, () -> new java.io.ByteArrayInputStream(bytes), fields);
    }

    /** The CSRF token the home page gives a client with {@code cookie} (null for none) for its forms. */
    String csrf(String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/"));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        String page = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF field on the home page");
        }
        return m.group(1);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    @FunctionalInterface
    interface InputStreamSupplier {
        InputStream open() throws IOException;
    }

    @Override
    public void close() {
        app.close();
    }
}
