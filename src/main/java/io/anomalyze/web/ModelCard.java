package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.ModelDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model as a person reads it: what it detects, what it was trained on and when, how well it
 * did on its validation split, what it is known not to do, and the rest of its provenance
 * folded away.
 *
 * @param domain      features, classes and file
 * @param origin      where it was loaded from ("bundled" or the models directory)
 * @param detects     what records it reads
 * @param trainedOn   its training files
 * @param trainedAt   when it was trained, or empty
 * @param command     the command that made it, or empty
 * @param validation  headline validation figures
 * @param limits      what it is known not to do well
 * @param details     everything else its file records, as readable name/value rows
 */
public record ModelCard(ModelDomain domain, String origin, String detects, List<TrainingFile> trainedOn, String trainedAt,
                        String command, List<Figure> validation, List<String> limits, List<String[]> details) {

    /** A training file: its name, SHA-256 and the records read from it. */
    public record TrainingFile(String name, String sha256, String records) {
    }

    /** A named figure, formatted for display. */
    public record Figure(String label, String value) {
    }

    /** Headline validation metrics, in the order a card shows them, with their display names. */
    private static final String[][] HEADLINE = {
            {"accuracy", "Accuracy"}, {"macroF1", "Macro-F1"}, {"weightedF1", "Weighted F1"}, {"precision", "Precision"},
            {"recall", "Recall"}, {"f1", "F1"}, {"attackDetectionAccuracy", "Attack-vs-benign accuracy"},
            {"rocAuc", "ROC-AUC"}, {"falsePositiveRate", "False-positive rate"}, {"records", "Validation records"}};

    static ModelCard of(DetectorRegistry.LoadedModel lm) {
        Detector d = lm.detector();
        JsonNode provenance = d.provenance();
        JsonNode training = provenance.path("training");
        List<TrainingFile> files = new ArrayList<>();
        if (training.path("files").isArray()) {
            training.path("files").forEach(f -> files.add(new TrainingFile(f.path("file").asText(), f.path("sha256").asText(""),
                    f.path("records").asText(""))));
        } else if (training.has("file")) {
            files.add(new TrainingFile(training.path("file").asText(), training.path("sha256").asText(""), training.path("records").asText("")));
        }
        List<String[]> details = new ArrayList<>();
        provenance.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("validation") && !e.getKey().equals("input")) {
                for (String[] row : JsonView.flatten(e.getKey(), e.getValue())) {
                    if (!row[0].startsWith("training.files") && !List.of("training.file", "training.sha256", "training.date",
                            "training.command").contains(row[0])) {
                        details.add(new String[] {readable(row[0]), row[1]});
                    }
                }
            }
        });
        return new ModelCard(d.domain(), lm.origin(), provenance.path("input").asText(""), files,
                training.path("date").asText(""), training.path("command").asText(""),
                figures(provenance.path("validation")), d.knownLimits(), details);
    }

    /** The headline figures of a validation (or evaluation) document, formatted. */
    static List<Figure> figures(JsonNode metrics) {
        List<Figure> out = new ArrayList<>();
        for (String[] h : HEADLINE) {
            JsonNode v = metrics.path(h[0]);
            if (v.isNumber()) {
                out.add(new Figure(h[1], v.isIntegralNumber() ? String.format(Locale.ROOT, "%,d", v.asLong())
                        : String.format(Locale.ROOT, "%.4f", v.asDouble())));
            }
        }
        return out;
    }

    /**
     * A flattened JSON path as words: {@code parameters.learningRateSchedule} reads
     * "parameters › learning rate schedule", so a key never breaks mid-word.
     */
    static String readable(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("\\.")) {
            if (out.length() > 0) {
                out.append(" \u203a ");
            }
            out.append(part.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
