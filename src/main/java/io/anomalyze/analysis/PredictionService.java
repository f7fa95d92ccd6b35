package io.anomalyze.analysis;

import io.anomalyze.InvalidInputException;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores records sent one or many at a time, for {@code POST /api/v1/predict} (the web layer
 * reads the request body into {@link Row}s and writes the {@link Prediction}s as JSON).
 *
 * <p>A row of 41 to 43 values is a connection record: it is scanned through the K-means
 * detector's own reader, so it scores exactly as the same line in a file. A row of 78 numbers
 * is a flow, its features in the order of {@link FlowFeatures#NAMES} (the MachineLearningCVE
 * column order); a {@link Named} row gives flow features by name in any dialect
 * {@link FlowFeatures#indexOf} knows. Flows go straight to {@link Detector#predict}: missing
 * features are 0, {@code Fwd Header Length.1} defaults to {@code Fwd Header Length} as in files,
 * Infinity and NaN count as 0, and a value beyond the float range the model takes (±3.4e38) is
 * refused naming its field, as in files.
 */
public final class PredictionService {

    private final DetectorRegistry registry;
    /** Most records one request may carry. */
    private final int maxRecords;

    public PredictionService(DetectorRegistry registry, int maxRecords) {
        this.registry = registry;
        this.maxRecords = maxRecords;
    }

    /** Most records one request may carry. */
    public int maxRecords() {
        return maxRecords;
    }

    /** A record as sent: its values in order, or flow features by name. */
    public sealed interface Row permits Values, Named {
    }

    /** Values in layout order; a number is kept as its JSON text, a string as sent. */
    public record Values(List<String> values) implements Row {
    }

    /**
     * Flow features by canonical index, which of them the record named, and the field names
     * that are not flow features.
     */
    public record Named(double[] features, boolean[] given, List<String> ignored) implements Row {
    }

    /**
     * The verdict on one record, by {@code detector}; {@code ignored} lists the fields sent that
     * are not features, and {@code missing} how many of the model's {@code expected} features a
     * record sent by name lacked (they were read as 0).
     */
    public record Prediction(Verdict verdict, Detector detector, List<String> ignored, int missing, int expected) {
    }

    /**
     * Scores rows of one layout; {@code single} when one record was sent alone (its values are
     * then named {@code "features"} in messages).
     */
    public List<Prediction> predict(List<Row> rows, boolean single) throws IOException {
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
        return connection ? connections(rows) : flows(rows, single);
    }

    private static String describe(Row r) {
        if (r instanceof Values v) {
            return isConnection(v.values().size()) ? "a connection record" : "a row of " + v.values().size() + " values";
        }
        return "a flow given by feature names";
    }

    /** Connection records, scanned as a small file by the K-means detector's reader. */
    private List<Prediction> connections(List<Row> rows) throws IOException {
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
        List<Prediction> out = new ArrayList<>(verdicts.size());
        for (Verdict v : verdicts) {
            out.add(new Prediction(v, detector, List.of(), 0, 0));
        }
        return out;
    }

    /** Flows, as raw feature rows straight into the flow model. */
    private List<Prediction> flows(List<Row> rows, boolean single) {
        Detector detector = registry.require("mlp", "a flow record").detector();
        double[][] raw = new double[rows.size()][];
        List<String> modelFeatures = detector.domain().featureNames();
        int[] absent = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r instanceof Named n) {
                raw[i] = n.features();
                for (String name : modelFeatures) {
                    if (!n.given()[FlowFeatures.indexOf(name)]) {
                        absent[i]++;
                    }
                }
            } else {
                List<String> values = ((Values) r).values();
                double[] x = new double[FlowFeatures.COUNT];
                String where = single ? "\"features\"" : "record " + (i + 1);
                for (int f = 0; f < x.length; f++) {
                    String at = where + ", value " + (f + 1);
                    x[f] = inRange(f, number(values.get(f), at + " (" + FlowFeatures.name(f) + ")"), at);
                }
                raw[i] = x;
            }
        }
        List<Verdict> verdicts = detector.predict(raw);
        List<Prediction> out = new ArrayList<>(verdicts.size());
        for (int i = 0; i < verdicts.size(); i++) {
            List<String> ignored = rows.get(i) instanceof Named n ? n.ignored() : List.of();
            out.add(new Prediction(verdicts.get(i), detector, ignored, absent[i], absent[i] > 0 ? modelFeatures.size() : 0));
        }
        return out;
    }

    /** A feature value sent as text, read as files read it ({@link FlowFeatures#parseValue}); refused naming {@code where}. */
    public static double number(String text, String where) {
        try {
            return FlowFeatures.parseValue(text);
        } catch (NumberFormatException e) {
            String t = text.strip();
            throw new InvalidInputException(where + ": not a number: \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"");
        }
    }

    /** The value of flow feature {@code f}, refused as in files when it is beyond the model's float range. */
    public static double inRange(int f, double v, String where) {
        String outOfRange = FlowFeatures.outOfRange(f, v);
        if (outOfRange != null) {
            throw new InvalidInputException(where + ": " + outOfRange);
        }
        return v;
    }

    /** 41 features, optionally followed by a label and a difficulty. */
    private static boolean isConnection(int width) {
        return width >= ConnectionLayout.FEATURE_COUNT && width <= ConnectionLayout.FEATURE_COUNT + 2;
    }
}
