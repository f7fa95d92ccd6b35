package io.anomalyze.evaluate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.connection.ConnectionLayout;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attack-versus-normal metrics with attack as the positive class: accuracy, precision,
 * recall, F1, ROC-AUC, the confusion counts and the detection rate per attack label.
 * Accumulates one record at a time; memory is five bytes per record (score and truth).
 */
public final class BinaryEvaluation implements Evaluation {

    private long tn;
    private long fp;
    private long fn;
    private long tp;
    private float[] scores = new float[1 << 14];
    private boolean[] truth = new boolean[1 << 14];
    private int n;
    /** Per attack label: records seen and records flagged. */
    private final Map<String, long[]> perLabel = new TreeMap<>();

    @Override
    public void add(Verdict verdict) {
        if (verdict.label() != null) {
            add(ConnectionLayout.isAttack(verdict.label()), verdict.anomalous(), verdict.score(), verdict.label());
        }
    }

    /**
     * @param attack    the record is truly an attack
     * @param predicted the detector flagged it
     * @param score     the detector's anomaly score
     * @param label     the file's label, for the per-label detection rate
     */
    public void add(boolean attack, boolean predicted, double score, String label) {
        if (attack) {
            if (predicted) {
                tp++;
            } else {
                fn++;
            }
            if (label != null) {
                long[] counts = perLabel.computeIfAbsent(label, l -> new long[2]);
                counts[0]++;
                if (predicted) {
                    counts[1]++;
                }
            }
        } else if (predicted) {
            fp++;
        } else {
            tn++;
        }
        if (n == scores.length) {
            scores = Arrays.copyOf(scores, n * 2);
            truth = Arrays.copyOf(truth, n * 2);
        }
        scores[n] = (float) score;
        truth[n++] = attack;
    }

    @Override
    public long total() {
        return tn + fp + fn + tp;
    }

    public double accuracy() {
        return ratio(tp + tn, total());
    }

    public double precision() {
        return ratio(tp, tp + fp);
    }

    public double recall() {
        return ratio(tp, tp + fn);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double falsePositiveRate() {
        return ratio(fp, fp + tn);
    }

    public RocCurve roc(int points) {
        return RocCurve.of(scores, truth, n, points);
    }

    public long[] confusion() {
        return new long[] {tn, fp, fn, tp};
    }

    /** Attack label to {records, detected}. */
    public Map<String, long[]> perLabel() {
        return perLabel;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** The metrics as one JSON object (the schema of {@code evaluate --json}). */
    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("accuracy", Decimals.round(accuracy(), 6));
        o.put("precision", Decimals.round(precision(), 6));
        o.put("recall", Decimals.round(recall(), 6));
        o.put("f1", Decimals.round(f1(), 6));
        o.put("rocAuc", Decimals.round(roc(2).auc(), 6));
        o.put("falsePositiveRate", Decimals.round(falsePositiveRate(), 6));
        ObjectNode confusion = o.putObject("confusion");
        confusion.put("tn", tn);
        confusion.put("fp", fp);
        confusion.put("fn", fn);
        confusion.put("tp", tp);
        ObjectNode rates = o.putObject("detectionRateByLabel");
        perLabel.forEach((label, c) -> {
            ObjectNode entry = rates.putObject(label);
            entry.put("records", c[0]);
            entry.put("detected", c[1]);
            entry.put("rate", Decimals.round(ratio(c[1], c[0]), 6));
        });
        return o;
    }

    /** ROC points for charts. */
    @Override
    public ObjectNode rocJson(int points) {
        return roc(points).toJson();
    }

    @Override
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  accuracy   %.4f%n  precision  %.4f%n  recall     %.4f%n  F1         %.4f%n  ROC-AUC    %.4f%n",
                accuracy(), precision(), recall(), f1(), roc(2).auc()));
        sb.append(String.format("  confusion  tn=%d fp=%d fn=%d tp=%d (attack = positive)%n", tn, fp, fn, tp));
        if (!perLabel.isEmpty()) {
            sb.append("  detection rate per attack label:\n");
            perLabel.forEach((label, c) -> sb.append(String.format("    %-18s %6d/%-6d %6.1f%%%n", label, c[1], c[0], 100.0 * ratio(c[1], c[0]))));
        }
        return sb.toString();
    }
}
