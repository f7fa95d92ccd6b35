package io.anomalyze.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.ModelLoader;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.ScanResult;
import io.anomalyze.evaluate.Evaluation;
import io.anomalyze.evaluate.Evaluations;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code evaluate}: metrics of a model on each labelled data file. */
final class EvaluateCommand {

    static final String USAGE = """
            Usage: evaluate --model FILE [--json] DATA...
              For each labelled data file, the model's metrics. A K-means model (.json):
              attack-vs-normal metrics (attack = positive class). A flow model (.onnx, its
              .json sidecar beside it): accuracy, macro- and weighted-F1, per-class
              precision/recall/F1/support, the confusion matrix and attack-vs-BENIGN accuracy.
              --json   one JSON object per data file, one per line
            """;

    private EvaluateCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Arguments a = new Arguments(args, 0, Set.of("model"), Set.of("json"));
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        Path modelFile = Path.of(a.required("model"));
        if (a.positional().isEmpty()) {
            throw new UsageException("evaluate needs at least one DATA file");
        }
        try (Detector detector = ModelLoader.load(modelFile)) {
            for (String data : a.positional()) {
                Path file = Path.of(data);
                Evaluation evaluation = Evaluations.forDetector(detector);
                long started = System.nanoTime();
                ScanResult result;
                try (InputStream in = TrafficInput.open(file, InputLimits.DEFAULTS)) {
                    String name = file.getFileName().toString();
                    result = detector.scan(in, name, ScanOptions.unexplained(),
                            new ProgressReport(batch -> batch.forEach(evaluation::add), err, name));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                if (evaluation.total() == 0) {
                    throw new InvalidInputException(file.getFileName() + ": has no labels to evaluate against");
                }
                if (a.flag("json")) {
                    ObjectNode o = Json.object();
                    o.put("file", file.getFileName().toString());
                    o.put("records", result.records());
                    o.put("skipped", result.skipped());
                    o.setAll(evaluation.toJson());
                    o.put("seconds", Decimals.round(seconds, 3));
                    out.println(Json.MAPPER.writeValueAsString(o));
                } else {
                    out.printf("%s: %d records, %d skipped, %.2f s%n", file.getFileName(), result.records(), result.skipped(), seconds);
                    out.print(evaluation.toTable());
                    result.notes().forEach(n -> out.println("  note: " + n));
                }
            }
        }
        return Main.OK;
    }
}
