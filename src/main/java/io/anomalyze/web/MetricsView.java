package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.store.AnalysisSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the metrics page shows, read from the stored evaluation (the {@code evaluate --json}
 * field names): headline numbers, the confusion heatmap, the ROC curve, detection rate per
 * attack label, per-class scores when the detector names classes, and the model's own
 * validation metrics.
 *
 * @param headline    name and formatted value of each headline metric
 * @param confusion   the heatmap SVG, or null
 * @param roc         the ROC curve SVG, or null
 * @param perLabel    rows of label, records, detected, rate
 * @param perClass    rows of class, precision, recall, F1, support
 * @param validation  the model's validation metrics as name/value rows
 * @param modelKnown  whether the model that made the analysis is still loaded
 */
public record MetricsView(List<String[]> headline, String confusion, String roc, List<String[]> perLabel,
                          List<String[]> perClass, List<String[]> validation, boolean modelKnown) {

    private static final String[][] HEADLINE = {
        {"accuracy", "Accuracy"}, {"precision", "Precision"}, {"recall", "Recall"}, {"f1", "F1"},
        {"rocAuc", "ROC-AUC"}, {"macroF1", "Macro-F1"}, {"falsePositiveRate", "False-positive rate"}};

    static MetricsView of(AnalysisSummary a, ObjectNode modelDescription, List<String> classNames) {
        ObjectNode m = a.metrics();
        Format fmt = new Format();
        List<String[]> headline = new ArrayList<>();
        for (String[] h : HEADLINE) {
            JsonNode v = m.get(h[0]);
            if (v != null && v.isNumber()) {
                headline.add(new String[] {h[1], fmt.metric(v.asDouble()), h[0]});
            }
        }
        return new MetricsView(headline, confusion(m, classNames), roc(a), perLabel(m, fmt), perClass(m, fmt),
                modelDescription == null ? List.of() : JsonView.summary(modelDescription.path("validation")),
                modelDescription != null);
    }

    private static String confusion(ObjectNode m, List<String> classNames) {
        JsonNode c = m.get("confusion");
        if (c != null && c.isObject() && c.has("tp")) {
            long[][] matrix = {{c.path("tn").asLong(), c.path("fp").asLong()}, {c.path("fn").asLong(), c.path("tp").asLong()}};
            return SvgCharts.confusionHeatmap(List.of("normal", "attack"), matrix);
        }
        JsonNode matrixNode = c != null && c.isArray() ? c : m.get("confusionMatrix");
        if (matrixNode != null && matrixNode.isArray() && !matrixNode.isEmpty()) {
            int n = matrixNode.size();
            long[][] matrix = new long[n][n];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < n && k < matrixNode.get(r).size(); k++) {
                    matrix[r][k] = matrixNode.get(r).get(k).asLong();
                }
            }
            List<String> names = new ArrayList<>();
            m.path("classes").forEach(x -> names.add(x.asText()));
            if (names.size() != n) {
                names.clear();
                for (int i = 0; i < n; i++) {
                    names.add(i < classNames.size() ? classNames.get(i) : "class " + i);
                }
            }
            return SvgCharts.confusionHeatmap(names, matrix);
        }
        return null;
    }

    private static String roc(AnalysisSummary a) {
        if (a.roc() == null || !a.roc().has("fpr")) {
            return null;
        }
        JsonNode f = a.roc().get("fpr");
        JsonNode t = a.roc().get("tpr");
        double[] fpr = new double[f.size()];
        double[] tpr = new double[t.size()];
        for (int i = 0; i < fpr.length; i++) {
            fpr[i] = f.get(i).asDouble();
            tpr[i] = t.get(i).asDouble();
        }
        return SvgCharts.rocCurve(fpr, tpr, a.metrics().path("rocAuc").asDouble(Double.NaN));
    }

    private static List<String[]> perLabel(ObjectNode m, Format fmt) {
        List<String[]> rows = new ArrayList<>();
        List<java.util.Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        m.path("detectionRateByLabel").fields().forEachRemaining(entries::add);
        entries.sort(Comparator.comparingLong((java.util.Map.Entry<String, JsonNode> e) -> -e.getValue().path("records").asLong())
                .thenComparing(java.util.Map.Entry::getKey));
        for (var e : entries) {
            JsonNode v = e.getValue();
            rows.add(new String[] {e.getKey(), fmt.count(v.path("records").asLong()), fmt.count(v.path("detected").asLong()),
                fmt.percent(v.path("rate").asDouble())});
        }
        return rows;
    }

    private static List<String[]> perClass(ObjectNode m, Format fmt) {
        List<String[]> rows = new ArrayList<>();
        m.path("perClass").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            rows.add(new String[] {e.getKey(), fmt.metric(v.path("precision").asDouble(Double.NaN)),
                fmt.metric(v.path("recall").asDouble(Double.NaN)), fmt.metric(v.path("f1").asDouble(Double.NaN)),
                v.has("support") ? fmt.count(v.path("support").asLong()) : ""});
        });
        return rows;
    }

    /** Lower-case id for a headline metric, for tests and styling. */
    public static String id(String key) {
        return "metric-" + key.toLowerCase(Locale.ROOT);
    }
}
