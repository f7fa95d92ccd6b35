package io.anomalyze.evaluate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.detect.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of a classifier that names classes: accuracy, macro- and weighted-F1, precision,
 * recall, F1 and support per class, the confusion matrix (rows = true class, columns =
 * predicted), and the attack-versus-benign view of the same verdicts (accuracy and ROC-AUC of
 * the score). Labels outside the model's classes get their own row, so they count as errors
 * rather than vanish. Macro-F1 averages over the classes that occur as truth or prediction.
 */
public final class MulticlassEvaluation implements Evaluation {

    private final String benign;
    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();
    private long[][] confusion;
    private long attackAgreement;
    private long total;
    private float[] scores = new float[1 << 14];
    private boolean[] attack = new boolean[1 << 14];
    private int n;

    /**
     * @param classes the model's classes, in its output order
     * @param benign  the class that means "not an attack"
     */
    public MulticlassEvaluation(List<String> classes, String benign) {
        this.benign = benign;
        this.names = new ArrayList<>(classes);
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        this.confusion = new long[names.size()][names.size()];
    }

    @Override
    public void add(Verdict verdict) {
        if (verdict.label() != null) {
            add(verdict.label(), verdict.predictedClass(), verdict.score());
        }
    }

    /**
     * @param truth     the record's class
     * @param predicted the class the model named
     * @param score     the model's attack score (higher = more likely an attack)
     */
    public void add(String truth, String predicted, double score) {
        int t = indexOf(truth);
        int p = indexOf(predicted);
        confusion[t][p]++;
        total++;
        boolean trueAttack = !benign.equals(truth);
        boolean predictedAttack = !benign.equals(predicted);
        if (trueAttack == predictedAttack) {
            attackAgreement++;
        }
        if (n == scores.length) {
            scores = Arrays.copyOf(scores, n * 2);
            attack = Arrays.copyOf(attack, n * 2);
        }
        scores[n] = (float) score;
        attack[n++] = trueAttack;
    }

    private int indexOf(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        int k = names.size();
        names.add(name);
        index.put(name, k);
        long[][] bigger = new long[k + 1][k + 1];
        for (int r = 0; r < k; r++) {
            System.arraycopy(confusion[r], 0, bigger[r], 0, k);
        }
        confusion = bigger;
        return k;
    }

    @Override
    public long total() {
        return total;
    }

    public List<String> classes() {
        return List.copyOf(names);
    }

    /** A copy of the confusion counts, rows = true class, columns = predicted class. */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    public double accuracy() {
        long right = 0;
        for (int i = 0; i < confusion.length; i++) {
            right += confusion[i][i];
        }
        return ratio(right, total);
    }

    public long support(int c) {
        long s = 0;
        for (long v : confusion[c]) {
            s += v;
        }
        return s;
    }

    public long predicted(int c) {
        long s = 0;
        for (long[] row : confusion) {
            s += row[c];
        }
        return s;
    }

    public double precision(int c) {
        return ratio(confusion[c][c], predicted(c));
    }

    public double recall(int c) {
        return ratio(confusion[c][c], support(c));
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Mean F1 over the classes that occur in the labels. A class with no labelled record has no
     * recall, so no F1: counting it as 0 would make a file that holds 2 of 15 classes read as a
     * failure. Records wrongly given such a class still lower the recall of their true class.
     */
    public double macroF1() {
        double sum = 0;
        int k = 0;
        for (int c = 0; c < names.size(); c++) {
            if (support(c) > 0) {
                sum += f1(c);
                k++;
            }
        }
        return k == 0 ? 0 : sum / k;
    }

    /** How many classes {@link #macroF1()} averages over: those that occur in the labels. */
    public int macroF1Classes() {
        int k = 0;
        for (int c = 0; c < names.size(); c++) {
            if (support(c) > 0) {
                k++;
            }
        }
        return k;
    }

    /** F1 per class weighted by the class's support. */
    public double weightedF1() {
        double sum = 0;
        for (int c = 0; c < names.size(); c++) {
            sum += f1(c) * support(c);
        }
        return total == 0 ? 0 : sum / total;
    }

    /** Share of records whose attack-or-benign verdict is right, whatever attack class was named. */
    public double attackDetectionAccuracy() {
        return ratio(attackAgreement, total);
    }

    /** ROC-AUC of the attack score against attack-versus-benign truth (NaN with one side only). */
    public double rocAuc() {
        return RocCurve.of(scores, attack, n, 2).auc();
    }

    /** The attack-versus-benign ROC curve of the attack score. */
    public RocCurve roc(int points) {
        return RocCurve.of(scores, attack, n, points);
    }

    @Override
    public ObjectNode rocJson(int points) {
        return roc(points).toJson();
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("accuracy", Decimals.round(accuracy(), 6));
        o.put("macroF1", Decimals.round(macroF1(), 6));
        o.put("macroF1Classes", macroF1Classes());
        o.put("weightedF1", Decimals.round(weightedF1(), 6));
        o.put("attackDetectionAccuracy", Decimals.round(attackDetectionAccuracy(), 6));
        double auc = rocAuc();
        if (Double.isNaN(auc)) {
            o.putNull("rocAuc");
        } else {
            o.put("rocAuc", Decimals.round(auc, 6));
        }
        ObjectNode per = o.putObject("perClass");
        for (int c = 0; c < names.size(); c++) {
            // Without predictions a class has no precision, without labelled records no recall or F1.
            ObjectNode e = per.putObject(names.get(c));
            putOrNull(e, "precision", predicted(c) > 0, precision(c));
            putOrNull(e, "recall", support(c) > 0, recall(c));
            putOrNull(e, "f1", support(c) > 0, f1(c));
            e.put("support", support(c));
        }
        ObjectNode conf = o.putObject("confusion");
        ArrayNode labels = conf.putArray("labels");
        names.forEach(labels::add);
        ArrayNode matrix = conf.putArray("matrix");
        for (long[] row : confusion) {
            ArrayNode r = matrix.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        return o;
    }

    private static void putOrNull(ObjectNode o, String field, boolean defined, double value) {
        if (defined) {
            o.put(field, Decimals.round(value, 6));
        } else {
            o.putNull(field);
        }
    }

    private static String cell(boolean defined, double value) {
        return defined ? String.format(java.util.Locale.ROOT, "%9.4f", value) : String.format("%9s", "n/a");
    }

    @Override
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  accuracy                   %.4f%n  macro-F1                   %.4f (over the %d classes in the labels)%n"
                        + "  weighted-F1                %.4f%n  attack-vs-benign accuracy  %.4f%n  attack-vs-benign ROC-AUC   %.4f%n",
                accuracy(), macroF1(), macroF1Classes(), weightedF1(), attackDetectionAccuracy(), rocAuc()));
        sb.append(String.format("  %-28s %9s %9s %9s %8s%n", "class", "precision", "recall", "F1", "support"));
        for (int c = 0; c < names.size(); c++) {
            if (support(c) > 0 || predicted(c) > 0) {
                sb.append(String.format("  %-28s %s %s %s %8d%n", names.get(c), cell(predicted(c) > 0, precision(c)),
                        cell(support(c) > 0, recall(c)), cell(support(c) > 0, f1(c)), support(c)));
            }
        }
        sb.append("  confusion (rows = true class, columns = predicted, classes that occur):\n");
        List<Integer> shown = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            if (support(c) > 0 || predicted(c) > 0) {
                shown.add(c);
            }
        }
        sb.append(String.format("  %-28s", ""));
        for (int c : shown) {
            sb.append(String.format(" %6s", "#" + c));
        }
        sb.append('\n');
        for (int r : shown) {
            sb.append(String.format("  %-28s", "#" + r + " " + names.get(r)));
            for (int c : shown) {
                sb.append(String.format(" %6d", confusion[r][c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
