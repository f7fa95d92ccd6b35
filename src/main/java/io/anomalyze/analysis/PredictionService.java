package io.anomalyze.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores records sent as JSON, one or many, for {@code POST /api/v1/predict}. Accepted bodies:
 * {@code {"features": [...]}}, {@code {"records": [[...], ...]}}, {@code {"log": {name: value}}},
 * {@code {"record": "csv line"}}, or a bare array of rows.
 *
 * <p>A row of 41 to 43 values is a connection record: it is scanned through the K-means
 * detector's own reader, so it scores exactly as the same line in a file. A row of 78 numbers
 * is a flow, its features in the order of {@link FlowFeatures#NAMES} (the MachineLearningCVE
 * column order); a {@code log} object (or an object in {@code records}) names flow features in
 * any dialect {@link FlowFeatures#indexOf} knows. Flows go straight to
 * {@link Detector#predict}: missing features are 0, {@code Fwd Header Length.1} defaults to
 * {@code Fwd Header Length} as in files, Infinity and NaN count as 0, a value beyond the float
 * range the model takes (±3.4e38) is refused naming its field, as in files, and names that are not
 * flow features are left out of the verdict and listed in its {@code ignored_fields}.
 */
public final class PredictionService {

    private final DetectorRegistry registry;
    /** Most records one request may carry. */
    private final int maxRecords;

    public PredictionService(DetectorRegistry registry, int maxRecords) {
        this.registry = registry;
        this.maxRecords = maxRecords;
    }

    /** A record as sent: its values in order, or flow features by name. */
    private sealed interface Row permits Values, Named {
    }

    /** Values in layout order; a number is kept as its JSON text, a string as sent. */
    private record Values(List<String> values) implements Row {
    }

    /**
     * Flow features by canonical index, which of them the record named, and the field names
     * that are not flow features.
     */
    private record Named(double[] features, boolean[] given, List<String> ignored) implements Row {
    }

    /** What a flow record sent by name lacked of what the model reads. */
    private record Missing(int missing, int expected) {
        static final Missing NONE = new Missing(0, 0);
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
            return answer(List.of(named(body.get("log"), "\"log\"")), true);
        }
        throw new InvalidInputException("expected a field \"features\", \"records\", \"record\" or \"log\"; found "
                + (body.isEmpty() ? "an empty object" : "\"" + body.fieldNames().next() + "\""));
    }

    /** Only a number or string may be a feature value; an object names flow features. */
    private static Row row(JsonNode node, String where) {
        if (node.isObject()) {
            return named(node, where);
        }
        if (node.isTextual()) {
            return new Values(List.of(node.asText().strip().split(",", -1)));
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
                throw new InvalidInputException(where + ", value " + i + ": expected a number or a string, found " + v.getNodeType().name().toLowerCase(Locale.ROOT));
            }
        }
        return new Values(values);
    }

    private List<Row> rows(JsonNode node, String where) {
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidInputException(where + " must be a non-empty array of records");
        }
        if (node.size() > maxRecords) {
            throw InvalidInputException.limit(where + " holds " + node.size() + " records, over the limit of " + maxRecords
                    + " per request (--max-predict-records / ANOMALYZE_MAX_PREDICT_RECORDS)");
        }
        List<Row> rows = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode r : node) {
            rows.add(row(r, where + " record " + (++i)));
        }
        return rows;
    }

    /** Flow features by name, in any dialect {@link FlowFeatures#indexOf} knows; missing ones are 0. */
    private static Named named(JsonNode log, String where) {
        if (!log.isObject()) {
            throw new InvalidInputException(where + " must be an object of flow feature names to values");
        }
        double[] features = new double[FlowFeatures.COUNT];
        String[] namedBy = new String[FlowFeatures.COUNT];
        List<String> ignored = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = log.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int f = FlowFeatures.indexOf(e.getKey());
            if (f < 0) {
                // Logstash events carry other fields (timestamps, addresses): not features.
                ignored.add(e.getKey());
                continue;
            }
            if (namedBy[f] != null) {
                throw new InvalidInputException(where + ": \"" + namedBy[f] + "\" and \"" + e.getKey() + "\" both name the flow feature "
                        + FlowFeatures.name(f) + "; send it once");
            }
            namedBy[f] = e.getKey();
            features[f] = inRange(f, number(e.getValue(), where + " field \"" + e.getKey() + "\""), where + " field \"" + e.getKey() + "\"");
        }
        if (Arrays.stream(namedBy).allMatch(java.util.Objects::isNull)) {
            throw new InvalidInputException(where + " names none of the 78 flow features (such as \"" + FlowFeatures.name(0)
                    + "\", \"Flow Duration\" or \"Dst Port\")");
        }
        boolean[] given = new boolean[FlowFeatures.COUNT];
        for (int f = 0; f < given.length; f++) {
            given[f] = namedBy[f] != null;
        }
        if (namedBy[FlowFeatures.FWD_HEADER_LENGTH_COPY] == null) {
            features[FlowFeatures.FWD_HEADER_LENGTH_COPY] = features[FlowFeatures.FWD_HEADER_LENGTH];
            given[FlowFeatures.FWD_HEADER_LENGTH_COPY] = given[FlowFeatures.FWD_HEADER_LENGTH];
        }
        return new Named(features, given, ignored);
    }

    /** A feature value: a JSON number, or a string holding one (Infinity and NaN are read as 0). */
    private static double number(JsonNode v, String where) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            String t = v.asText().strip();
            if (t.isEmpty()) {
                return 0;
            }
            try {
                double d = Double.parseDouble(t);
                return Double.isFinite(d) ? d : 0;
            } catch (NumberFormatException e) {
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.equals("infinity") || lower.equals("-infinity") || lower.equals("+infinity") || lower.equals("inf")
                        || lower.equals("-inf") || lower.equals("nan")) {
                    return 0;
                }
                throw new InvalidInputException(where + ": not a number: \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"");
            }
        }
        if (v.isNull()) {
            return 0;
        }
        throw new InvalidInputException(where + ": expected a number, found " + v.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    /** The value of flow feature {@code f}, refused as in files when it is beyond the model's float range. */
    private static double inRange(int f, double v, String where) {
        String outOfRange = FlowFeatures.outOfRange(f, v);
        if (outOfRange != null) {
            throw new InvalidInputException(where + ": " + outOfRange);
        }
        return v;
    }

    private JsonNode answer(List<Row> rows, boolean single) throws IOException {
        Row first = rows.get(0);
        boolean connection = first instanceof Values v && isConnection(v.values().size());
        if (!connection && first instanceof Values v && v.values().size() != FlowFeatures.COUNT) {
            throw new InvalidInputException("a record must hold 41 connection-record fields (or 43 with label and difficulty) or "
                    + FlowFeatures.COUNT + " flow features; found " + v.values().size());
        }
        for (int i = 1; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean rowConnection = r instanceof Values v && isConnection(v.values().size());
            if (rowConnection != connection || (!connection && r instanceof Values v && v.values().size() != FlowFeatures.COUNT)) {
                throw new InvalidInputException("record " + (i + 1) + " is " + describe(r) + " but record 1 is " + describe(first)
                        + "; send one layout per request");
            }
        }
        return connection ? connections(rows, single) : flows(rows, single);
    }

    private static String describe(Row r) {
        if (r instanceof Values v) {
            return isConnection(v.values().size()) ? "a connection record" : "a row of " + v.values().size() + " values";
        }
        return "a flow given by feature names";
    }

    /** Connection records, scanned as a small file by the K-means detector's reader. */
    private JsonNode connections(List<Row> rows, boolean single) throws IOException {
        Detector detector = registry.require("kmeans", "a connection record").detector();
        StringBuilder text = new StringBuilder(rows.size() * 128);
        for (Row r : rows) {
            text.append(String.join(",", ((Values) r).values())).append('\n');
        }
        List<Verdict> verdicts = new ArrayList<>(rows.size());
        InputLimits limits = InputLimits.DEFAULTS.withMaxBadRowFraction(0).withMaxRecords(maxRecords);
        detector.scan(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), "request",
                new ScanOptions(limits, false), verdicts::addAll);
        if (verdicts.size() != rows.size()) {
            throw new InvalidInputException("only " + verdicts.size() + " of " + rows.size() + " records could be scored");
        }
        return out(verdicts, null, null, detector, single);
    }

    /** Flows, as raw feature rows straight into the flow model. */
    private JsonNode flows(List<Row> rows, boolean single) {
        Detector detector = registry.require("mlp", "a flow record").detector();
        double[][] raw = new double[rows.size()][];
        List<List<String>> ignored = new ArrayList<>(rows.size());
        List<Missing> missing = new ArrayList<>(rows.size());
        List<String> modelFeatures = detector.domain().featureNames();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r instanceof Named n) {
                raw[i] = n.features();
                ignored.add(n.ignored());
                int absent = 0;
                for (String name : modelFeatures) {
                    if (!n.given()[FlowFeatures.indexOf(name)]) {
                        absent++;
                    }
                }
                missing.add(new Missing(absent, modelFeatures.size()));
            } else {
                List<String> values = ((Values) r).values();
                double[] x = new double[FlowFeatures.COUNT];
                String where = single ? "\"features\"" : "record " + (i + 1);
                for (int f = 0; f < x.length; f++) {
                    String at = where + ", value " + (f + 1);
                    x[f] = inRange(f, number(textNode(values.get(f)), at + " (" + FlowFeatures.name(f) + ")"), at);
                }
                raw[i] = x;
                ignored.add(List.of());
                missing.add(Missing.NONE);
            }
        }
        return out(detector.predict(raw), ignored, missing, detector, single);
    }

    private static JsonNode textNode(String s) {
        return Json.MAPPER.getNodeFactory().textNode(s);
    }

    private static JsonNode out(List<Verdict> verdicts, List<List<String>> ignored, List<Missing> missing, Detector detector,
                                boolean single) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < verdicts.size(); i++) {
            ObjectNode o = verdictJson(verdicts.get(i), detector);
            if (missing != null && missing.get(i).missing() > 0) {
                // Absent features are read as 0, which the model may take for a real value:
                // the verdict stands on what was sent, and says how little that was.
                Missing m = missing.get(i);
                o.put("missing_features", m.missing());
                o.put("expected_features", m.expected());
                o.put("low_confidence", true);
                o.put("note", m.missing() + " of the model's " + m.expected() + " features were not sent and were read as 0;"
                        + " this verdict rests on the other " + (m.expected() - m.missing()));
            }
            if (ignored != null && !ignored.get(i).isEmpty()) {
                ArrayNode names = o.putArray("ignored_fields");
                ignored.get(i).forEach(names::add);
            }
            out.add(o);
        }
        return single ? out.get(0) : out;
    }

    /** 41 features, optionally followed by a label and a difficulty. */
    private static boolean isConnection(int width) {
        return width >= ConnectionLayout.FEATURE_COUNT && width <= ConnectionLayout.FEATURE_COUNT + 2;
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
