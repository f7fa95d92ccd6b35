package io.anomalyze.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.anomalyze.Json;
import io.anomalyze.analysis.IncidentBuilder;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.ModelLoader;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.ScanResult;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.report.EcsAlertWriter;
import io.anomalyze.report.EcsIncidentWriter;
import io.anomalyze.report.VerdictCsvWriter;
import io.anomalyze.report.VerdictJson;
import io.anomalyze.report.VerdictVolume;
import io.anomalyze.store.Incident;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code score}: one verdict per record, as CSV (default) or JSON, to a file or stdout. */
final class ScoreCommand {

    static final String USAGE = """
            Usage: score --model FILE DATA [--out FILE.csv|FILE.json|FILE.ndjson]
              A verdict per record: line, anomalous, severity, score, confidence, class,
              the file's own label if any, and the top contributing features.
              Without --out, CSV goes to standard output. FILE.ndjson holds alerts for a SIEM:
              one Elastic Common Schema document per anomalous record, then one per incident.
            """;

    private ScoreCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Arguments a = new Arguments(args, 0, Set.of("model", "out"), Set.of());
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        Path modelFile = Path.of(a.required("model"));
        if (a.positional().size() != 1) {
            throw new UsageException("score takes exactly one DATA file");
        }
        Path data = Path.of(a.positional().get(0));
        String target = a.value("out", null);
        boolean json = target != null && target.toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        boolean ndjson = target != null && target.toLowerCase(java.util.Locale.ROOT).endsWith(".ndjson");
        Path tmp = target == null ? null : Path.of(target + ".part");
        try (Detector detector = ModelLoader.load(modelFile);
             InputStream in = TrafficInput.open(data, InputLimits.DEFAULTS);
             Writer w = target == null
                     ? new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)
                     : Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            ScanResult result;
            String name = data.getFileName().toString();
            if (ndjson) {
                result = ndjson(detector, in, name, w, err);
            } else if (json) {
                JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w);
                g.writeStartObject();
                g.writeStringField("file", name);
                g.writeArrayFieldStart("verdicts");
                result = detector.scan(in, name, ScanOptions.defaults(), new ProgressReport(batch -> {
                    try {
                        for (Verdict v : batch) {
                            Json.MAPPER.writeTree(g, VerdictJson.of(v, detector.domain().featureNames(), detector.classNames()));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, err, name));
                g.writeEndArray();
                g.writeNumberField("records", result.records());
                g.writeNumberField("skipped", result.skipped());
                g.writeEndObject();
                g.flush();
            } else {
                VerdictCsvWriter csv = new VerdictCsvWriter(w);
                result = detector.scan(in, name, ScanOptions.defaults(), new ProgressReport(batch -> {
                    try {
                        for (Verdict v : batch) {
                            csv.write(v);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, err, name));
            }
            w.flush();
            err.printf("%s: %d records scored, %d skipped%n", data.getFileName(), result.records(), result.skipped());
            result.badRows().stream().limit(5).forEach(b -> err.println("  skipped " + b.describe()));
            result.notes().forEach(n -> err.println("  note: " + n));
        } catch (RuntimeException | IOException e) {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            throw e;
        }
        if (tmp != null) {
            Files.move(tmp, Path.of(target), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return Main.OK;
    }

    /** Alerts as Elastic Common Schema documents: the anomalous verdicts as they come, then the incidents. */
    private static ScanResult ndjson(Detector detector, InputStream in, String name, Writer w, PrintStream err) throws IOException {
        JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w);
        g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
        ModelDomain d = detector.domain();
        EcsAlertWriter.Model model = new EcsAlertWriter.Model(d.name(), d.kind(), d.sha256());
        String scoredAt = EcsAlertWriter.iso(System.currentTimeMillis());
        List<Incident> incidents = new ArrayList<>();
        IncidentBuilder builder = new IncidentBuilder(IncidentBuilder.DEFAULT_GAP_MICROS, IncidentBuilder.DEFAULT_MAX_OPEN, incidents::addAll);
        ScanResult result = detector.scan(in, name, new ScanOptions(InputLimits.DEFAULTS, true), new ProgressReport(batch -> {
            try {
                for (Verdict v : batch) {
                    builder.add(v);
                    if (v.anomalous()) {
                        EcsAlertWriter.write(g, v, VerdictVolume.of(v), model, new EcsAlertWriter.Origin(name, -1, v.line()), scoredAt);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, err, name));
        builder.finish();
        for (Incident i : incidents) {
            EcsIncidentWriter.write(g, i, model, -1, name, scoredAt);
        }
        g.writeRaw('\n');
        g.flush();
        return result;
    }
}
