package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.analysis.PredictionService;
import io.anomalyze.analysis.PredictionService.Named;
import io.anomalyze.analysis.PredictionService.Row;
import io.anomalyze.analysis.PredictionService.Values;
import io.anomalyze.read.flow.FlowFeatures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /api/v1/predict} read into the rows the prediction service scores.
 * Accepted bodies: {@code {"features": [...]}}, {@code {"records": [[...], ...]}},
 * {@code {"log": {name: value}}}, {@code {"record": "csv line"}}, or a bare array of rows. A
 * {@code log} object (or an object in {@code records}) names flow features in any dialect
 * {@link FlowFeatures#indexOf} knows; names that are not flow features are kept aside and
 * listed in the verdict's {@code ignored_fields}.
 *
 * @param single true when one record was sent alone: it is answered with an object, not an array
 */
record PredictRequest(List<Row> rows, boolean single) {

    /** Reads a parsed body; 400 naming the field that is wrong, 413 past {@code maxRecords}. */
    static PredictRequest of(JsonNode body, int maxRecords) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new InvalidInputException("the body is empty; send JSON such as {\"features\": [...]} or {\"records\": [[...]]}");
        }
        if (body.isArray()) {
            return new PredictRequest(rows(body, "the body", maxRecords), false);
        }
        if (!body.isObject()) {
            throw new InvalidInputException("the body must be a JSON object or array");
        }
        if (body.has("records")) {
            return new PredictRequest(rows(body.get("records"), "\"records\"", maxRecords), false);
        }
        if (body.has("features")) {
            return new PredictRequest(List.of(row(body.get("features"), "\"features\"")), true);
        }
        if (body.has("record")) {
            return new PredictRequest(List.of(row(body.get("record"), "\"record\"")), true);
        }
        if (body.has("log")) {
            return new PredictRequest(List.of(named(body.get("log"), "\"log\"")), true);
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
                throw new InvalidInputException(where + ", value " + i + ": expected a number or a string, found " + type(v));
            }
        }
        return new Values(values);
    }

    private static List<Row> rows(JsonNode node, String where, int maxRecords) {
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
            String field = where + " field \"" + e.getKey() + "\"";
            features[f] = PredictionService.inRange(f, number(e.getValue(), field), field);
        }
        boolean[] given = new boolean[FlowFeatures.COUNT];
        boolean any = false;
        for (int f = 0; f < given.length; f++) {
            given[f] = namedBy[f] != null;
            any |= given[f];
        }
        if (!any) {
            throw new InvalidInputException(where + " names none of the 78 flow features (such as \"" + FlowFeatures.name(0)
                    + "\", \"Flow Duration\" or \"Dst Port\")");
        }
        if (namedBy[FlowFeatures.FWD_HEADER_LENGTH_COPY] == null) {
            features[FlowFeatures.FWD_HEADER_LENGTH_COPY] = features[FlowFeatures.FWD_HEADER_LENGTH];
            given[FlowFeatures.FWD_HEADER_LENGTH_COPY] = given[FlowFeatures.FWD_HEADER_LENGTH];
        }
        return new Named(features, given, ignored);
    }

    /** A feature value: a JSON number, null for 0, or a string holding one ({@link PredictionService#number}). */
    private static double number(JsonNode v, String where) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            return PredictionService.number(v.asText(), where);
        }
        if (v.isNull()) {
            return 0;
        }
        throw new InvalidInputException(where + ": expected a number, found " + type(v));
    }

    private static String type(JsonNode v) {
        return Objects.requireNonNull(v.getNodeType()).name().toLowerCase(Locale.ROOT);
    }
}
