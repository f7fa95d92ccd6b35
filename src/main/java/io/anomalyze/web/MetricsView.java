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
 * @param perClass    rows of class, precision, recall, F1, support (classes in the file or predicted)
 * @param validation  the model's validation metrics as name/value rows
 * @param modelKnown  whether the model that made the analysis is still loaded
 */
public record MetricsView(List<String[]> headline, String confusion, String roc, List<String[]> perLabel,
                          List<String[]> perClass, List<ModelCard.Figure> validation, boolean modelKnown) {

    private static final String[][] HEADLINE = {
        {"accuracy", "Accuracy"}, {"precision", "Precision"}, {"recall", "Recall"}, {"f1", "F1"},
        {"macroF1", "Macro-F1"}, {"weightedF1", "Weighted F1"}, {"attackDetectionAccuracy", "Attack-vs-benign accuracy"},
        {"rocAuc", "ROC-AUC"}, {"falsePositiveRate", "False-positive rate"}};

    /** @param validation the headline validation figures of the model that made the analysis, or null when it is not loaded */
    static MetricsView of(AnalysisSummary a, List<ModelCard.Figure> validation) {
        ObjectNode m = a.metrics();
        Format fmt = new Format();
        List<String[]> headline = new ArrayList<>();
        for (String[] h : HEADLINE) {
            JsonNode v = m.get(h[0]);
            if (v != null && v.isNumber()) {
                headline.add(new String[] {h[1], fmt.metric(v.asDouble()), h[0]});
            }
        }
        return new MetricsView(headline, confusion(m), roc(a), perLabel(m, fmt), perClass(m, fmt),
                validation == null ? List.of() : validation, validation != null);
    }

    private static String confusion(ObjectNode m) {
        JsonNode c = m.get("confusion");
        if (c == null || !c.isObject()) {
            return null;
        }
        if (c.has("tp")) {
            long[][] matrix = {{c.path("tn").asLong(), c.path("fp").asLong()}, {c.path("fn").asLong(), c.path("tp").asLong()}};
            return SvgCharts.confusionHeatmap(List.of("normal", "attack"), matrix);
        }
        long[][] full = matrix(c);
        if (full == null) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        c.get("labels").forEach(x -> labels.add(x.asText()));
        // Classes neither in the file nor predicted would only add empty rows and columns.
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < full.length; i++) {
            if (rowSum(full, i) > 0 || columnSum(full, i) > 0) {
                shown.add(i);
            }
        }
        long[][] matrix = new long[shown.size()][shown.size()];
        List<String> names = new ArrayList<>();
        for (int r = 0; r < shown.size(); r++) {
            names.add(labels.get(shown.get(r)));
            for (int k = 0; k < shown.size(); k++) {
                matrix[r][k] = full[shown.get(r)][shown.get(k)];
            }
        }
        return SvgCharts.confusionHeatmap(names, matrix);
    }

    /** The {@code {"labels": [...], "matrix": [[...]]}} confusion of a multi-class evaluation, or null. */
    private static long[][] matrix(JsonNode c) {
        JsonNode labels = c.get("labels");
        JsonNode rows = c.get("matrix");
        if (labels == null || rows == null || !labels.isArray() || !rows.isArray() || labels.size() != rows.size() || rows.isEmpty()) {
            return null;
        }
        int n = rows.size();
        long[][] matrix = new long[n][n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n && k < rows.get(r).size(); k++) {
                matrix[r][k] = rows.get(r).get(k).asLong();
            }
        }
        return matrix;
    }

    private static long rowSum(long[][] m, int r) {
        long s = 0;
        for (long v : m[r]) {
            s += v;
        }
        return s;
    }

    private static long columnSum(long[][] m, int c) {
        long s = 0;
        for (long[] row : m) {
            s += row[c];
        }
        return s;
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

    /** Per-class rows for the classes in the file or predicted; precision, recall, F1 and support as stored. */
    private static List<String[]> perClass(ObjectNode m, Format fmt) {
        List<String[]> rows = new ArrayList<>();
        JsonNode c = m.path("confusion");
        long[][] matrix = c.isObject() ? matrix(c) : null;
        List<String> labels = new ArrayList<>();
        if (matrix != null) {
            c.get("labels").forEach(x -> labels.add(x.asText()));
        }
        m.path("perClass").fields().forEachRemaining(e -> {
            int i = labels.indexOf(e.getKey());
            JsonNode v = e.getValue();
            if (i >= 0 && v.path("support").asLong() == 0 && columnSum(matrix, i) == 0) {
                return;
            }
            rows.add(new String[] {e.getKey(), fmt.metric(number(v.path("precision"))),
                fmt.metric(number(v.path("recall"))), fmt.metric(number(v.path("f1"))),
                v.has("support") ? fmt.count(v.path("support").asLong()) : ""});
        });
        return rows;
    }

    /** A stored figure, or NaN (shown as n/a) where it is undefined and stored as null. */
    private static double number(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    /** Lower-case id for a headline metric, for tests and styling. */
    public static String id(String key) {
        return "metric-" + key.toLowerCase(Locale.ROOT);
    }
}
