package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import io.anomalyze.analysis.AnalysisService;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API, exports, health, metrics and OpenAPI of a real service on a random port. */
class ApiTest {

    @TempDir
    static Path dataDir;
    static TestService service;
    static JsonNode sample;
    static List<String> sampleLines;

    @BeforeAll
    static void analyseSample() throws Exception {
        service = new TestService(dataDir);
        HttpResponse<String> r = service.uploadFile("/api/v1/analyses?wait=120", TestService.SAMPLE);
        assertEquals(201, r.statusCode(), r.body());
        sample = TestService.json(r);
        sampleLines = Files.readAllLines(TestService.SAMPLE);
        assertEquals("/api/v1/analyses/" + sample.get("id").asLong(), r.headers().firstValue("Location").orElseThrow());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static long id() {
        return sample.get("id").asLong();
    }

    @Test
    void uploadAnswersTheFinishedAnalysis() {
        assertEquals("done", sample.get("status").asText());
        assertEquals("kmeans", sample.get("detector").asText());
        assertEquals(22544, sample.get("records").asLong());
        assertEquals(0, sample.get("skipped").asLong());
        JsonNode counts = sample.get("severityCounts");
        List<String> keys = new ArrayList<>();
        counts.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("Normal", "Low", "Medium", "High", "Critical"), keys);
        long sum = 0;
        for (JsonNode c : counts) {
            sum += c.asLong();
        }
        assertEquals(22544, sum);
        assertEquals(22544 - counts.get("Normal").asLong(), sample.get("anomalies").asLong());
        JsonNode m = sample.get("metrics");
        for (String field : List.of("accuracy", "precision", "recall", "f1", "rocAuc", "confusion", "detectionRateByLabel")) {
            assertTrue(m.has(field), field);
        }
        JsonNode c = m.get("confusion");
        assertEquals(22544, c.get("tn").asLong() + c.get("fp").asLong() + c.get("fn").asLong() + c.get("tp").asLong());
        assertEquals(9711, c.get("tn").asLong() + c.get("fp").asLong(), "normal records in KDDTest+");
        assertFalse(sample.has("classCounts"), "connection records have no attack classes");
        assertFalse(sample.has("error"));
        assertEquals("/analyses/" + id() + "/export.csv", sample.get("links").get("exportCsv").asText());
    }

    @Test
    void listAndGet() throws Exception {
        JsonNode list = TestService.json(service.get("/api/v1/analyses?limit=5"));
        assertTrue(list.get("total").asLong() >= 1);
        assertEquals(5, list.get("limit").asInt());
        JsonNode one = TestService.json(service.get("/api/v1/analyses/" + id()));
        assertEquals(sample.get("severityCounts"), one.get("severityCounts"));
        assertEquals(404, service.get("/api/v1/analyses/999999").statusCode());
        assertEquals("analysis 999999 not found", TestService.json(service.get("/api/v1/analyses/999999")).get("error").asText());
        assertEquals(400, service.get("/api/v1/analyses?limit=0").statusCode());
    }

    @Test
    void recordsFilterBySeverityAndPage() throws Exception {
        long critical = sample.get("severityCounts").get("Critical").asLong();
        JsonNode page = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?severity=Critical&limit=100&offset=0"));
        assertEquals(critical, page.get("total").asLong());
        assertEquals(Math.min(100, critical), page.get("records").size());
        double previous = Double.MAX_VALUE;
        for (JsonNode r : page.get("records")) {
            assertEquals("Critical", r.get("severity").asText());
            assertTrue(r.get("score").asDouble() <= previous, "highest score first");
            previous = r.get("score").asDouble();
            assertEquals(41, r.get("features").size());
            assertFalse(r.get("topFeatures").isEmpty());
        }
        JsonNode first = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?limit=1"));
        assertEquals("Critical", first.get("records").get(0).get("severity").asText(), "anomalies first by default");
        JsonNode normal = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?class=normal&limit=3&offset=10"));
        assertEquals(sample.get("severityCounts").get("Normal").asLong(), normal.get("total").asLong());
        assertEquals(3, normal.get("records").size());
        JsonNode byLine = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?sort=file-order&limit=2"));
        assertEquals(1, byLine.get("records").get(0).get("line").asLong());
        assertEquals(sampleLines.get(0).split(",")[41], byLine.get("records").get(0).get("label").asText());
        HttpResponse<String> bad = service.get("/api/v1/analyses/" + id() + "/records?severity=Severe");
        assertEquals(400, bad.statusCode());
        assertEquals("unknown severity \"Severe\"; use Normal, Low, Medium, High or Critical", TestService.json(bad).get("error").asText());
    }

    @Test
    void exportsHoldEveryVerdict() throws Exception {
        HttpResponse<String> csv = service.get("/analyses/" + id() + "/export.csv");
        assertEquals(200, csv.statusCode());
        String[] lines = csv.body().split("\n");
        assertEquals(22545, lines.length);
        assertEquals("line,flow_id,src_ip,src_port,dst_ip,dst_port,protocol,start,end,service,flag,anomalous,severity,score,confidence,class,label,top_features", lines[0]);
        assertTrue(lines[1].startsWith("1,"));
        HttpResponse<String> json = service.get("/analyses/" + id() + "/export.json");
        JsonNode doc = TestService.json(json);
        assertEquals(22544, doc.get("verdicts").size());
        assertEquals(id(), doc.get("analysis").get("id").asLong());
    }

    @Test
    void predictScoresConnectionRecordsLikeTheUpload() throws Exception {
        String line = sampleLines.get(0);
        List<String> fields = List.of(line.split(","));
        String features = Json.MAPPER.writeValueAsString(fields.subList(0, 41));
        JsonNode one = TestService.json(service.postJson("/api/v1/predict", "{\"features\": " + features + "}"));
        JsonNode stored = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?sort=file-order&limit=1"))
                .get("records").get(0);
        assertEquals(stored.get("severity").asText(), one.get("severity").asText());
        assertEquals(stored.get("score").asDouble(), one.get("score").asDouble(), 1e-9);
        assertEquals(stored.get("class").asText(), one.get("class_name").asText());
        assertEquals(one.get("class_name").asText().equals("anomaly") ? 1 : 0, one.get("predicted_class").asInt());
        assertEquals(1.0, one.get("probabilities").get("normal").asDouble() + one.get("probabilities").get("anomaly").asDouble(), 1e-9);

        String many = "{\"records\": [" + features + ", \"" + sampleLines.get(1) + "\"]}";
        HttpResponse<String> r = service.postJson("/predict", many);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, TestService.json(r).size());
    }

    @Test
    void predictRefusesWhatItCannotScore() throws Exception {
        HttpResponse<String> bad = service.postJson("/api/v1/predict", "{\"features\": [1, 2");
        assertEquals(400, bad.statusCode());
        assertTrue(TestService.json(bad).get("error").asText().startsWith("the body is not valid JSON"));
        HttpResponse<String> wrong = service.postJson("/api/v1/predict", "{\"features\": [1, 2, 3]}");
        assertEquals(400, wrong.statusCode());
        assertEquals("a record must hold 41 connection-record fields (or 43 with label and difficulty) or 78 flow features; found 3",
                TestService.json(wrong).get("error").asText());
        String badNumber = sampleLines.get(0).replaceFirst("^0,", "abc,");
        HttpResponse<String> text = service.postJson("/api/v1/predict", "{\"record\": \"" + badNumber + "\"}");
        assertEquals(400, text.statusCode());
        assertTrue(TestService.json(text).get("error").asText().contains("line 1, column 1: not a number for duration: \"abc\""),
                text.body());
        HttpResponse<String> noFeature = service.postJson("/api/v1/predict", "{\"log\": {\"@timestamp\": \"2017-07-07T10:00:00Z\"}}");
        assertEquals(400, noFeature.statusCode());
        assertTrue(TestService.json(noFeature).get("error").asText().startsWith("\"log\" names none of the 78 flow features"),
                noFeature.body());
        HttpResponse<String> twice = service.postJson("/api/v1/predict", "{\"log\": {\"Dst Port\": 80, \"Destination Port\": 443}}");
        assertEquals(400, twice.statusCode());
        assertEquals("\"log\": \"Dst Port\" and \"Destination Port\" both name the flow feature Destination Port; send it once",
                TestService.json(twice).get("error").asText());
        HttpResponse<String> word = service.postJson("/api/v1/predict", "{\"log\": {\"Flow Duration\": \"long\"}}");
        assertEquals(400, word.statusCode());
        assertEquals("\"log\" field \"Flow Duration\": not a number: \"long\"", TestService.json(word).get("error").asText());
        String mixed = "{\"records\": [" + Json.MAPPER.writeValueAsString(List.of(sampleLines.get(0).split(",")).subList(0, 41))
                + ", {\"Flow Duration\": 10}]}";
        HttpResponse<String> layouts = service.postJson("/api/v1/predict", mixed);
        assertEquals(400, layouts.statusCode());
        assertEquals("record 2 is a flow given by feature names but record 1 is a connection record; send one layout per request",
                TestService.json(layouts).get("error").asText());
    }

    @Test
    void aServiceWithoutTheFlowModelSaysSo(@TempDir Path otherData, @TempDir Path kmeansOnly) throws Exception {
        Files.copy(Path.of("models", "nsl-kdd-kmeans.json"), kmeansOnly.resolve("nsl-kdd-kmeans.json"));
        try (TestService only = TestService.withOnlyModelsOf(otherData, kmeansOnly)) {
            JsonNode health = TestService.json(only.get("/health"));
            assertEquals(1, health.get("models").size());
            assertEquals("kmeans", health.get("models").get(0).get("kind").asText());

            HttpResponse<String> flow = only.postJson("/api/v1/predict", "{\"log\": {\"Flow Duration\": 1000, \"Dst Port\": 80}}");
            assertEquals(422, flow.statusCode());
            assertEquals("a flow record needs the flow model (mlp), which is not loaded in this service; loaded: kmeans",
                    TestService.json(flow).get("error").asText());
            HttpResponse<String> flowFeatures = only.postJson("/api/v1/predict", "{\"features\": " + numbers(78) + "}");
            assertEquals(422, flowFeatures.statusCode());
            assertTrue(TestService.json(flowFeatures).get("error").asText().contains("flow model (mlp), which is not loaded"));

            HttpResponse<String> flows = only.uploadText("/api/v1/analyses", "flows.csv", "Destination Port,Flow Duration,Label\n80,10,BENIGN\n");
            assertEquals(422, flows.statusCode());
            assertEquals("flows.csv (flow records) needs the flow model (mlp), which is not loaded in this service; loaded: kmeans",
                    TestService.json(flows).get("error").asText());
            assertEquals(0, TestService.json(only.get("/api/v1/analyses")).get("total").asLong());

            HttpResponse<String> connection = only.postJson("/api/v1/predict", "{\"record\": \"" + sampleLines.get(0) + "\"}");
            assertEquals(200, connection.statusCode(), connection.body());
            assertEquals("kmeans", TestService.json(connection).get("detector").asText());
        }
    }

    private static String numbers(int n) {
        StringBuilder numbers = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            numbers.append(i == 0 ? "" : ",").append(i);
        }
        return numbers.append(']').toString();
    }

    @Test
    void badUploadsAreRefusedAndNotStored() throws Exception {
        long before = TestService.json(service.get("/api/v1/analyses")).get("total").asLong();
        HttpResponse<String> empty = service.uploadText("/api/v1/analyses", "empty.txt", "");
        assertEquals(400, empty.statusCode());
        assertEquals("empty.txt: the file is empty", TestService.json(empty).get("error").asText());
        HttpResponse<String> unknown = service.uploadText("/api/v1/analyses", "x.csv", "a;b;c\n1;2;3\n");
        assertEquals(400, unknown.statusCode());
        assertTrue(TestService.json(unknown).get("error").asText().startsWith("x.csv: cannot tell what this file holds"));
        HttpResponse<String> flows = service.uploadText("/api/v1/analyses", "flows.csv", "Destination Port,Flow Duration,Label\n80,10,BENIGN\n");
        assertEquals(400, flows.statusCode());
        assertTrue(TestService.json(flows).get("error").asText().startsWith("flows.csv: line 1: the header lacks 75 of the 78 flow features: Total Fwd Packets, "),
                flows.body());
        String badRows = String.join("\n", sampleLines.subList(0, 5)).replace(",tcp,", ",tcp,x,");
        HttpResponse<String> invalid = service.uploadText("/api/v1/analyses", "bad.txt", badRows);
        assertEquals(400, invalid.statusCode(), invalid.body());
        assertTrue(TestService.json(invalid).get("error").asText().startsWith("bad.txt: "));
        HttpResponse<String> forced = service.uploadFile("/api/v1/analyses", TestService.SAMPLE, "detector", "mlp");
        assertEquals(400, forced.statusCode());
        assertEquals("KDDTest+.txt: holds connection records, which the mlp detector cannot read; use kmeans or auto",
                TestService.json(forced).get("error").asText());
        assertEquals(before, TestService.json(service.get("/api/v1/analyses")).get("total").asLong());
        try (var files = Files.list(dataDir.resolve("incoming"))) {
            assertEquals(0, files.count(), "refused uploads leave no file behind");
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        AnalysisService analyses = service.app.analyses();
        List<AnalysisService.Reservation> held = new ArrayList<>();
        try {
            while (true) {
                try {
                    held.add(analyses.reserve());
                } catch (io.anomalyze.analysis.AnalysisQueueFullException e) {
                    break;
                }
            }
            assertEquals(2 + 8, held.size());
            HttpResponse<String> r = service.uploadText("/api/v1/analyses", "a.txt", sampleLines.get(0));
            assertEquals(503, r.statusCode());
            assertEquals("10", r.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(TestService.json(r).get("error").asText().startsWith("the service is busy"));
        } finally {
            for (AnalysisService.Reservation r : held) {
                r.close();
            }
        }
    }

    @Test
    void securityHeadersAndEscapedText() throws Exception {
        HttpResponse<String> home = service.get("/");
        assertEquals(200, home.statusCode());
        String csp = home.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", home.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("DENY", home.headers().firstValue("X-Frame-Options").orElseThrow());
        assertFalse(home.body().contains("http://") && home.body().contains("<script src=\"http"), "nothing from another host");

        String[] fields = sampleLines.get(1).split(",");
        fields[41] = "<script>alert(1)</script>";
        String hostile = String.join(",", fields);
        HttpResponse<String> r = service.uploadText("/api/v1/analyses?wait=60", "<b>x</b>.txt", sampleLines.get(0) + "\n" + hostile + "\n");
        assertEquals(201, r.statusCode(), r.body());
        long xss = TestService.json(r).get("id").asLong();
        String page = service.get("/analyses/" + xss + "?sort=file-order").body();
        assertFalse(page.contains("<script>alert(1)</script>"));
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(page.contains("<b>x</b>"));
        String metrics = service.get("/analyses/" + xss + "/metrics").body();
        assertFalse(metrics.contains("<script>alert"));
        assertEquals(204, service.delete("/api/v1/analyses/" + xss).statusCode());
        assertEquals(404, service.get("/api/v1/analyses/" + xss).statusCode());
        assertEquals(404, service.delete("/api/v1/analyses/" + xss).statusCode());
    }

    @Test
    void oversizeUploadIs413NamingTheLimit(@TempDir Path otherData) throws Exception {
        try (TestService small = new TestService(otherData, 1L << 20, 1, 1)) {
            HttpResponse<String> r = small.uploadFile("/api/v1/analyses", TestService.SAMPLE);
            assertEquals(413, r.statusCode());
            assertEquals("the upload is larger than the limit of 1 MB (--max-upload-mb / ANOMALYZE_MAX_UPLOAD_MB)",
                    TestService.json(r).get("error").asText());
            assertEquals(0, TestService.json(small.get("/api/v1/analyses")).get("total").asLong());
        }
    }

    @Test
    void healthMetricsOpenApiAndSwagger() throws Exception {
        JsonNode health = TestService.json(service.get("/health"));
        assertEquals("up", health.get("status").asText());
        Map<String, String> loaded = new TreeMap<>();
        health.get("models").forEach(m -> loaded.put(m.get("kind").asText(), m.get("file").asText()));
        assertEquals(Map.of("kmeans", "nsl-kdd-kmeans.json", "mlp", "cicids2017-mlp.onnx"), loaded);
        assertEquals(2, health.get("models").size(), "each model once");
        HttpResponse<String> metrics = service.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("anomalyze_records_scored_total"), metrics.body());
        assertTrue(metrics.body().contains("http_server_requests_seconds_count"));
        assertTrue(metrics.body().contains("anomalyze_analysis_duration_seconds"));
        JsonNode openApi = TestService.json(service.get("/openapi.json"));
        assertTrue(openApi.get("openapi").asText().startsWith("3."));
        JsonNode hosts = TestService.json(service.get("/api/v1/analyses/" + id() + "/hosts"));
        assertEquals("{\"analysis\":" + id() + ",\"anomalousFlows\":0,\"truncated\":false,\"sources\":[],\"destinations\":[]}",
                hosts.toString(), "connection records name no addresses");
        for (String path : List.of("/api/v1/analyses", "/api/v1/analyses/{id}", "/api/v1/analyses/{id}/records", "/api/v1/analyses/{id}/hosts", "/api/v1/predict",
                "/predict", "/health", "/metrics", "/analyses/{id}/export.csv", "/analyses/{id}/export.json")) {
            assertNotNull(openApi.get("paths").get(path), path);
        }
        HttpResponse<String> swagger = service.get("/swagger");
        assertEquals(200, swagger.statusCode());
        String script = swagger.body().replaceAll("(?s).*<script src=\"(/webjars/[^\"]+)\".*", "$1");
        assertTrue(script.startsWith("/webjars/swagger-ui/"), script);
        assertEquals(200, service.get(script).statusCode());
        Map<String, JsonNode> models = new TreeMap<>();
        TestService.json(service.get("/api/v1/models")).forEach(m -> models.put(m.get("kind").asText(), m));
        assertEquals(41, models.get("kmeans").get("features").size());
        assertEquals(78, models.get("mlp").get("features").size());
        assertEquals("BENIGN", models.get("mlp").get("classes").get(0).asText());
    }

    @Test
    void pagesRender() throws Exception {
        for (String path : List.of("/", "/analyses", "/models", "/analyses/" + id(), "/analyses/" + id() + "/metrics",
                "/analyses/" + id() + "?severity=Critical&sort=score-asc&offset=25")) {
            HttpResponse<String> r = service.get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
        }
        HttpResponse<String> missing = service.get("/analyses/424242");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("analysis 424242 not found"));
    }

}
