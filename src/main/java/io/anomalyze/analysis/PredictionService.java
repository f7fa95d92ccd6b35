package io.anomalyze.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.InvalidInputException;
import io.anomalyze.read.TrafficLayout;
import io.anomalyze.read.connection.ConnectionLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Scores records sent as JSON, one or many, for {@code POST /api/v1/predict}. Rows are turned
 * into the text layout the detector reads and scanned through the same {@link Detector#scan}
 * path as uploads, so a record scores exactly as it would in a file. Accepted bodies:
 * {@code {"features": [...]}}, {@code {"records": [[...], ...]}}, {@code {"log": {name: value}}},
 * {@code {"record": "csv line"}}, or a bare array of rows. A row of 41 to 43 values is a
 * connection record; a row of as many numbers as the flow model has features is a flow.
 */
public final class PredictionService {

    /** Most records one request may carry. */
    public static final int MAX_RECORDS = 10_000;

    private final DetectorRegistry registry;

    public PredictionService(DetectorRegistry registry) {
        this.registry = registry;
    }

    /** The verdict of each record: an object for one record sent alone, else an array. */
    public JsonNode predict(JsonNode body) throws IOException {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new InvalidInputException("the body is empty; send JSON such as {\"features\": [...]} or {\"records\": [[...]]}");
        }
        if (body.isArray()) {
            return answer(rows(body, "the body"), false);
        }
        if (!body.isObject()) {
            throw new InvalidInputException("the body must be a JSON object or array");
        }
        if (body.has("records")) {
            return answer(rows(body.get("records"), "\"records\""), false);
        }
        if (body.has("features")) {
            return answer(List.of(row(body.get("features"), "\"features\"")), true);
        }
        if (body.has("record")) {
            return answer(List.of(row(body.get("record"), "\"record\"")), true);
        }
        if (body.has("log")) {
            return answer(List.of(logRow(body.get("log"))), true);
        }
        throw new InvalidInputException("expected a field \"features\", \"records\", \"record\" or \"log\"; found "
                + (body.isEmpty() ? "an empty object" : "\"" + body.fieldNames().next() + "\""));
    }

    /** Only a number or string may be a feature value. */
    private static List<String> row(JsonNode node, String where) {
        if (node.isTextual()) {
            return List.of(node.asText().strip().split(",", -1));
        }
        if (!node.isArray()) {
            throw new InvalidInputException(where + " must be an array of feature values");
        }
        List<String> values = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode v : node) {
            i++;
            if (v.isNumber()) {
                values.add(v.isIntegralNumber() ? v.asText() : Double.toString(v.asDouble()));
            } else if (v.isTextual()) {
                String t = v.asText();
                if (t.indexOf(',') >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0 || t.indexOf('"') >= 0) {
                    throw new InvalidInputException(where + ", value " + i + ": must not contain commas, quotes or line breaks");
                }
                values.add(t);
            } else {
                throw new InvalidInputException(where + ", value " + i + ": expected a number or a string, found " + v.getNodeType().name().toLowerCase());
            }
        }
        return values;
    }

    private static List<List<String>> rows(JsonNode node, String where) {
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidInputException(where + " must be a non-empty array of records");
        }
        if (node.size() > MAX_RECORDS) {
            throw InvalidInputException.limit(where + " holds " + node.size() + " records, over the limit of " + MAX_RECORDS + " per request");
        }
        List<List<String>> rows = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode r : node) {
            rows.add(row(r, where + " record " + (++i)));
        }
        return rows;
    }

    /** Flow features by name, in any header dialect the layout recognises; missing ones are 0. */
    private List<String> logRow(JsonNode log) {
        if (!log.isObject()) {
            throw new InvalidInputException("\"log\" must be an object of flow feature names to values");
        }
        List<String> names = flowFeatures(flowModel().detector());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(TrafficLayout.normalise(names.get(i)), i);
        }
        List<String> values = new ArrayList<>(java.util.Collections.nCopies(names.size(), "0"));
        int matched = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = log.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Integer i = index.get(TrafficLayout.normalise(e.getKey()));
            if (i == null) {
                continue; // Logstash events carry other fields (timestamps, addresses): not features.
            }
            JsonNode v = e.getValue();
            if (!v.isNumber() && !(v.isTextual() && !v.asText().isBlank())) {
                throw new InvalidInputException("\"log\" field \"" + e.getKey() + "\": expected a number");
            }
            values.set(i, v.asText());
            matched++;
        }
        if (matched == 0) {
            throw new InvalidInputException("\"log\" names none of the flow model's features (such as \"" + names.get(0) + "\")");
        }
        return values;
    }

    private JsonNode answer(List<List<String>> rows, boolean single) throws IOException {
        int width = rows.get(0).size();
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).size() != width && !(isConnection(width) && isConnection(rows.get(i).size()))) {
                throw new InvalidInputException("record " + (i + 1) + " has " + rows.get(i).size()
                        + " values but record 1 has " + width + "; send one layout per request");
            }
        }
        List<Verdict> verdicts;
        Detector detector;
        if (isConnection(width)) {
            detector = registry.require("kmeans", "a connection record").detector();
            verdicts = scan(detector, null, rows);
        } else {
            DetectorRegistry.LoadedModel flow = registry.find("mlp").orElse(null);
            if (flow == null) {
                if (registry.find("kmeans").isPresent() && width != 78) {
                    throw new InvalidInputException("a record must hold 41 connection-record fields (or 43 with label and"
                            + " difficulty) or 78 flow features; found " + width);
                }
                registry.require("mlp", "a flow record of " + width + " features");
            }
            detector = flow.detector();
            List<String> names = flowFeatures(detector);
            if (width != names.size()) {
                throw new InvalidInputException("a record must hold " + names.size() + " flow features or 41 connection-record"
                        + " fields; found " + width);
            }
            verdicts = scan(detector, names, rows);
        }
        if (verdicts.size() != rows.size()) {
            throw new InvalidInputException("only " + verdicts.size() + " of " + rows.size() + " records could be scored");
        }
        if (single) {
            return verdictJson(verdicts.get(0), detector);
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        verdicts.forEach(v -> out.add(verdictJson(v, detector)));
        return out;
    }

    /** 41 features, optionally followed by a label and a difficulty. */
    private static boolean isConnection(int width) {
        return width >= ConnectionLayout.FEATURE_COUNT && width <= ConnectionLayout.FEATURE_COUNT + 2;
    }

    private DetectorRegistry.LoadedModel flowModel() {
        return registry.require("mlp", "a flow record");
    }

    private static List<String> flowFeatures(Detector detector) {
        List<String> names = new ArrayList<>();
        detector.description().path("features").forEach(n -> names.add(n.asText()));
        if (names.isEmpty()) {
            throw new InvalidInputException("the flow model does not name its features, so records cannot be matched to them");
        }
        return names;
    }

    /** Scans the rows as a small file; any bad row refuses the request, naming the row and column. */
    private static List<Verdict> scan(Detector detector, List<String> header, List<List<String>> rows) throws IOException {
        StringBuilder text = new StringBuilder(rows.size() * 128);
        if (header != null) {
            text.append(String.join(",", header)).append('\n');
        }
        for (List<String> r : rows) {
            text.append(String.join(",", r)).append('\n');
        }
        List<Verdict> verdicts = new ArrayList<>(rows.size());
        InputLimits limits = InputLimits.DEFAULTS.withMaxBadRowFraction(0).withMaxRecords(MAX_RECORDS);
        detector.scan(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), "request",
                new ScanOptions(limits, false), verdicts::addAll);
        return verdicts;
    }

    /** One verdict in the shape the predict endpoint promises. */
    static ObjectNode verdictJson(Verdict v, Detector detector) {
        List<String> classes = detector.classNames();
        ObjectNode o = Json.object();
        o.put("predicted_class", classes.indexOf(v.predictedClass()));
        o.put("class_name", v.predictedClass());
        ObjectNode p = o.putObject("probabilities");
        if (v.probabilities() != null) {
            for (int i = 0; i < classes.size() && i < v.probabilities().length; i++) {
                p.put(classes.get(i), Json.round(v.probabilities()[i], 6));
            }
        } else {
            // K-means gives no class probabilities: its confidence is spread over normal/anomaly.
            double anomaly = v.anomalous() ? 0.5 + v.confidence() / 2 : 0.5 - v.confidence() / 2;
            p.put(classes.get(0), Json.round(1 - anomaly, 6));
            p.put(classes.get(1), Json.round(anomaly, 6));
        }
        o.put("severity", v.severity().label());
        o.put("score", Json.round(v.score(), 6));
        o.put("anomalous", v.anomalous());
        o.put("confidence", Json.round(v.confidence(), 4));
        o.put("detector", detector.kind());
        ArrayNode top = o.putArray("top_features");
        for (FeatureContribution f : v.topFeatures()) {
            top.addObject().put("feature", f.feature()).put("value", f.value()).put("contribution", f.contribution());
        }
        return o;
    }
}
