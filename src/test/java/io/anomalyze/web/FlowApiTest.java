package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.cli.Main;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow records through the service: the CICIDS2017 sample uploaded and evaluated, its metrics
 * against the {@code evaluate --json} command's, and flows sent to the predict endpoint as
 * numbers and by name in other dialects, compared with the stored verdicts of the same rows.
 */
class FlowApiTest {

    /** CSE-CIC-IDS2018 (CICFlowMeter-V3) names of some features, as that dataset's files spell them. */
    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry("Destination Port", "Dst Port"), Map.entry("Total Fwd Packets", "Tot Fwd Pkts"),
            Map.entry("Total Backward Packets", "Tot Bwd Pkts"), Map.entry("Total Length of Fwd Packets", "TotLen Fwd Pkts"),
            Map.entry("Total Length of Bwd Packets", "TotLen Bwd Pkts"), Map.entry("Fwd Packet Length Max", "Fwd Pkt Len Max"),
            Map.entry("Fwd Packet Length Mean", "Fwd Pkt Len Mean"), Map.entry("Bwd Packet Length Max", "Bwd Pkt Len Max"),
            Map.entry("Bwd Packet Length Mean", "Bwd Pkt Len Mean"), Map.entry("Flow Bytes/s", "Flow Byts/s"),
            Map.entry("Flow Packets/s", "Flow Pkts/s"), Map.entry("Fwd IAT Total", "Fwd IAT Tot"),
            Map.entry("Fwd Header Length", "Fwd Header Len"), Map.entry("Bwd Header Length", "Bwd Header Len"),
            Map.entry("Fwd Packets/s", "Fwd Pkts/s"), Map.entry("Bwd Packets/s", "Bwd Pkts/s"),
            Map.entry("Min Packet Length", "Pkt Len Min"), Map.entry("Max Packet Length", "Pkt Len Max"),
            Map.entry("Packet Length Mean", "Pkt Len Mean"), Map.entry("Packet Length Std", "Pkt Len Std"),
            Map.entry("Packet Length Variance", "Pkt Len Var"), Map.entry("SYN Flag Count", "SYN Flag Cnt"),
            Map.entry("PSH Flag Count", "PSH Flag Cnt"), Map.entry("ACK Flag Count", "ACK Flag Cnt"),
            Map.entry("Average Packet Size", "Pkt Size Avg"), Map.entry("Avg Fwd Segment Size", "Fwd Seg Size Avg"),
            Map.entry("Avg Bwd Segment Size", "Bwd Seg Size Avg"), Map.entry("Subflow Fwd Packets", "Subflow Fwd Pkts"),
            Map.entry("Subflow Fwd Bytes", "Subflow Fwd Byts"), Map.entry("Subflow Bwd Bytes", "Subflow Bwd Byts"),
            Map.entry("Init_Win_bytes_forward", "Init Fwd Win Byts"), Map.entry("Init_Win_bytes_backward", "Init Bwd Win Byts"));

    @TempDir
    static Path dataDir;
    static TestService service;
    static JsonNode analysis;
    static List<String> lines;

    @BeforeAll
    static void analyseSample() throws Exception {
        service = new TestService(dataDir);
        HttpResponse<String> r = service.uploadFile("/api/v1/analyses?wait=120", TestService.FLOW_SAMPLE);
        assertEquals(201, r.statusCode(), r.body());
        analysis = TestService.json(r);
        lines = Files.readAllLines(TestService.FLOW_SAMPLE);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static long id() {
        return analysis.get("id").asLong();
    }

    /** The values of data line {@code line} (1-based file line), one per column. */
    private static String[] cells(int line) {
        return lines.get(line - 1).split(",", -1);
    }

    /** The stored verdict of file line {@code line}. */
    private static JsonNode stored(int line) throws Exception {
        JsonNode page = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?sort=file-order&limit=1&offset=" + (line - 2)));
        JsonNode v = page.get("records").get(0);
        assertEquals(line, v.get("line").asLong());
        return v;
    }

    /** The first file line whose label is {@code label}. */
    private static int firstLineLabelled(String label) {
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            if (c[c.length - 1].strip().equals(label)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + label + " row in the sample");
    }

    /** The evaluate command's JSON for the sample, run in this process with the bundled model's files. */
    private static JsonNode evaluateCommand() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"evaluate", "--model", "models/cicids2017-mlp.onnx", "--json", TestService.FLOW_SAMPLE.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.OK, code, err.toString(StandardCharsets.UTF_8));
        return Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theSampleIsAnalysedByTheFlowModel() throws Exception {
        assertEquals("done", analysis.get("status").asText());
        assertEquals("mlp", analysis.get("detector").asText());
        assertEquals("cicids2017-mlp.onnx", analysis.get("model").asText());
        assertEquals(lines.size() - 1, analysis.get("records").asLong());
        assertEquals(0, analysis.get("skipped").asLong());
        long classSum = 0;
        for (JsonNode c : analysis.get("classCounts")) {
            classSum += c.asLong();
        }
        assertEquals(analysis.get("records").asLong(), classSum);
        assertEquals(analysis.get("records").asLong() - analysis.get("classCounts").path("BENIGN").asLong(),
                analysis.get("anomalies").asLong());
        JsonNode byClass = TestService.json(service.get("/api/v1/analyses/" + id() + "/records?class=DDoS&limit=1"));
        assertEquals(analysis.get("classCounts").path("DDoS").asLong(), byClass.get("total").asLong());
    }

    @Test
    void metricsUseTheEvaluateCommandsFieldsAndFigures() throws Exception {
        JsonNode expected = evaluateCommand();
        assertEquals(expected.get("records").asLong(), analysis.get("records").asLong());
        JsonNode metrics = TestService.json(service.get("/api/v1/analyses/" + id())).get("metrics");
        assertNotNull(metrics, "a labelled file has metrics");
        ObjectNode commandMetrics = ((ObjectNode) expected.deepCopy()).without(List.of("file", "records", "skipped", "seconds"));
        assertEquals(commandMetrics, metrics);
        for (String field : List.of("accuracy", "macroF1", "weightedF1", "attackDetectionAccuracy", "rocAuc", "perClass", "confusion")) {
            assertTrue(metrics.has(field), field);
        }
        assertEquals(1505, metrics.get("perClass").get("BENIGN").get("support").asLong(), "BENIGN rows in the sample");
        assertEquals(metrics.get("perClass").size(), metrics.get("confusion").get("labels").size());
        assertEquals("/analyses/" + id() + "/metrics", analysis.get("links").get("metrics").asText());
    }

    @Test
    void metricsPageShowsTheMulticlassFigures() throws Exception {
        JsonNode m = TestService.json(service.get("/api/v1/analyses/" + id())).get("metrics");
        HttpResponse<String> r = service.get("/analyses/" + id() + "/metrics");
        assertEquals(200, r.statusCode());
        String page = r.body();
        for (String key : List.of("accuracy", "macroF1", "weightedF1", "attackDetectionAccuracy", "rocAuc")) {
            assertEquals(String.format(Locale.ROOT, "%.4f", m.get(key).asDouble()), statValue(page, "metric-" + key), key);
        }

        String table = section(page, "<table class=\"table\" id=\"per-class\">", "</table>");
        Set<String> shownClasses = new HashSet<>();
        Matcher row = Pattern.compile("<tr><td>([^<]*)</td><td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>"
                + "<td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td></tr>").matcher(table);
        while (row.find()) {
            String cls = unescape(row.group(1));
            JsonNode c = m.get("perClass").get(cls);
            assertNotNull(c, cls);
            assertEquals(String.format(Locale.ROOT, "%.4f", c.get("precision").asDouble()), row.group(2), cls);
            assertEquals(String.format(Locale.ROOT, "%.4f", c.get("recall").asDouble()), row.group(3), cls);
            assertEquals(String.format(Locale.ROOT, "%.4f", c.get("f1").asDouble()), row.group(4), cls);
            assertEquals(String.format(Locale.ROOT, "%,d", c.get("support").asLong()), row.group(5), cls);
            shownClasses.add(cls);
        }
        Set<String> inFileOrPredicted = new HashSet<>();
        m.get("perClass").fields().forEachRemaining(e -> {
            if (e.getValue().get("support").asLong() > 0) {
                inFileOrPredicted.add(e.getKey());
            }
        });
        analysis.get("classCounts").fieldNames().forEachRemaining(inFileOrPredicted::add);
        assertEquals(inFileOrPredicted, shownClasses);

        String heatmap = section(page, "id=\"confusion\"", "</svg>");
        JsonNode labels = m.get("confusion").get("labels");
        JsonNode matrix = m.get("confusion").get("matrix");
        for (int t = 0; t < labels.size(); t++) {
            for (int p = 0; p < labels.size(); p++) {
                long n = matrix.get(t).get(p).asLong();
                String cell = escape(labels.get(t).asText()) + " predicted as " + escape(labels.get(p).asText()) + ": " + n + "</title>";
                assertEquals(shownClasses.contains(labels.get(t).asText()) && shownClasses.contains(labels.get(p).asText()),
                        heatmap.contains(cell), cell);
            }
        }
        assertTrue(page.contains("id=\"roc\""), "the ROC curve of attack against BENIGN");
        assertTrue(section(page, "id=\"roc\"", "</svg>").contains("<polyline"), "the curve is drawn");
        assertFalse(page.contains("id=\"per-label\""), "flows have per-class scores, not per-label detection rates");
    }

    private static String statValue(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\">([^<]*)<").matcher(page);
        assertTrue(m.find(), id + " on the metrics page");
        return m.group(1);
    }

    private static String section(String page, String from, String to) {
        int start = page.indexOf(from);
        assertTrue(start >= 0, from);
        int end = page.indexOf(to, start);
        assertTrue(end >= 0, to);
        return page.substring(start, end);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    @Test
    void predictNamesTheClassTheUploadStored() throws Exception {
        for (String label : List.of("DDoS", "PortScan", "Web Attack – XSS", "BENIGN")) {
            int line = firstLineLabelled(label);
            String[] c = cells(line);
            ArrayNode features = Json.MAPPER.createArrayNode();
            for (int f = 0; f < FlowFeatures.COUNT; f++) {
                features.add(Double.parseDouble(c[f].strip()));
            }
            ObjectNode body = Json.object();
            body.set("features", features);
            HttpResponse<String> r = service.postJson("/api/v1/predict", body.toString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode one = TestService.json(r);
            JsonNode v = stored(line);
            assertEquals(v.get("class").asText(), one.get("class_name").asText(), "line " + line);
            assertEquals(v.get("severity").asText(), one.get("severity").asText(), "line " + line);
            assertEquals(v.get("score").asDouble(), one.get("score").asDouble(), 1e-6, "line " + line);
            assertEquals(v.get("probabilities"), one.get("probabilities"), "line " + line);
            List<String> classes = new ArrayList<>();
            one.get("probabilities").fieldNames().forEachRemaining(classes::add);
            assertEquals(15, classes.size());
            assertEquals(one.get("class_name").asText(), classes.get(one.get("predicted_class").asInt()));
            assertEquals("mlp", one.get("detector").asText());
        }
    }

    @Test
    void predictReadsFeaturesByShortNamesAndIgnoresOtherFields() throws Exception {
        int line = firstLineLabelled("PortScan");
        String[] c = cells(line);
        ObjectNode log = Json.object();
        log.put("@timestamp", "2017-07-07T14:00:00Z");
        log.put("src_ip", "172.16.0.1");
        for (int f = 0; f < FlowFeatures.COUNT; f++) {
            if (f == FlowFeatures.FWD_HEADER_LENGTH_COPY) {
                continue; // the short-name dialect writes the header length once
            }
            String name = FlowFeatures.name(f);
            log.put(SHORT_NAMES.getOrDefault(name, name.toLowerCase(Locale.ROOT).replace(' ', '_')), Double.parseDouble(c[f].strip()));
        }
        ObjectNode body = Json.object();
        body.set("log", log);
        HttpResponse<String> r = service.postJson("/predict", body.toString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode one = TestService.json(r);
        JsonNode v = stored(line);
        assertEquals(v.get("class").asText(), one.get("class_name").asText());
        assertEquals(v.get("probabilities"), one.get("probabilities"));
        assertEquals(List.of("@timestamp", "src_ip"), Json.MAPPER.convertValue(one.get("ignored_fields"), List.class));

        JsonNode many = TestService.json(service.postJson("/api/v1/predict", "{\"records\": [" + log + ", " + log + "]}"));
        assertEquals(2, many.size());
        assertEquals(one.get("probabilities"), many.get(1).get("probabilities"));
    }

    @Test
    void missingFeaturesAreZero() throws Exception {
        StringBuilder zeros = new StringBuilder("[80, 1000");
        for (int f = 2; f < FlowFeatures.COUNT; f++) {
            zeros.append(", 0");
        }
        JsonNode byNumbers = TestService.json(service.postJson("/api/v1/predict", "{\"features\": " + zeros + "]}"));
        JsonNode byName = TestService.json(service.postJson("/api/v1/predict", "{\"log\": {\"Dst Port\": 80, \"Flow Duration\": 1000}}"));
        assertEquals(byNumbers.get("probabilities"), byName.get("probabilities"));
        assertEquals(byNumbers.get("class_name"), byName.get("class_name"));
        assertFalse(byName.has("ignored_fields"));
        JsonNode other = TestService.json(service.postJson("/api/v1/predict", "{\"log\": {\"Dst Port\": 80, \"Flow Duration\": 1000,"
                + " \"Tot Fwd Pkts\": 5000, \"Flow Pkts/s\": 900000, \"SYN Flag Cnt\": 1}}"));
        assertFalse(other.get("probabilities").equals(byName.get("probabilities")), "the named features are used");
        JsonNode infinite = TestService.json(service.postJson("/api/v1/predict", "{\"log\": {\"Dst Port\": 80, \"Flow Duration\": 1000,"
                + " \"Flow Byts/s\": \"Infinity\"}}"));
        assertEquals(byName.get("probabilities"), infinite.get("probabilities"), "Infinity is read as 0, as in files");
    }
}
