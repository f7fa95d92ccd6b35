package io.anomalyze.evaluate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import java.util.Arrays;

/**
 * ROC analysis over scores where higher means "more likely positive". The area is the
 * Mann-Whitney statistic with ties counted half, computed after one sort. Scores are ordered
 * as {@link Float#compare} orders them, so a NaN score, which detectors never give, still ranks
 * (above every number) rather than breaking the scan.
 */
public final class RocCurve {

    private final double auc;
    private final double[] fpr;
    private final double[] tpr;

    private RocCurve(double auc, double[] fpr, double[] tpr) {
        this.auc = auc;
        this.fpr = fpr;
        this.tpr = tpr;
    }

    /**
     * @param scores   one score per record (only the first {@code n} are used)
     * @param positive whether each record is truly positive
     * @param points   how many curve points to keep at most (for charts)
     */
    public static RocCurve of(float[] scores, boolean[] positive, int n, int points) {
        long[] order = new long[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            // Sort by score descending: pack the flipped float bits over the index.
            int bits = Float.floatToIntBits(scores[i]);
            int key = bits >= 0 ? bits : bits ^ 0x7fffffff;
            order[i] = ((long) ~key << 32) | i;
            if (positive[i]) {
                positives++;
            }
        }
        Arrays.sort(order);
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return new RocCurve(Double.NaN, new double[] {0, 1}, new double[] {0, 1});
        }
        int step = Math.max(1, n / Math.max(1, points));
        double[] fx = new double[n / step + 3];
        double[] ty = new double[n / step + 3];
        int kept = 0;
        fx[kept] = 0;
        ty[kept++] = 0;
        double area = 0;
        long tp = 0;
        long fp = 0;
        int i = 0;
        int sinceKept = 0;
        while (i < n) {
            float s = scores[(int) order[i]];
            long groupTp = 0;
            long groupFp = 0;
            // Ties compare as the sort orders them: by bits, so NaN (which never equals itself)
            // forms one group instead of stopping the scan.
            while (i < n && Float.compare(scores[(int) order[i]], s) == 0) {
                if (positive[(int) order[i]]) {
                    groupTp++;
                } else {
                    groupFp++;
                }
                i++;
            }
            // Trapezoid under this tie group: the ties count half.
            area += groupFp * (tp + groupTp / 2.0);
            tp += groupTp;
            fp += groupFp;
            sinceKept += groupTp + groupFp;
            if (sinceKept >= step && kept < fx.length - 1) {
                fx[kept] = (double) fp / negatives;
                ty[kept++] = (double) tp / positives;
                sinceKept = 0;
            }
        }
        if (fx[kept - 1] != 1 || ty[kept - 1] != 1) {
            fx[kept] = 1;
            ty[kept++] = 1;
        }
        return new RocCurve(area / ((double) positives * negatives), Arrays.copyOf(fx, kept), Arrays.copyOf(ty, kept));
    }

    public double auc() {
        return auc;
    }

    public double[] falsePositiveRates() {
        return fpr.clone();
    }

    public double[] truePositiveRates() {
        return tpr.clone();
    }

    /** The curve's points as {@code {"fpr": [...], "tpr": [...]}}, or null when the area is undefined. */
    public ObjectNode toJson() {
        if (Double.isNaN(auc)) {
            return null;
        }
        ObjectNode o = Json.object();
        ArrayNode fx = o.putArray("fpr");
        ArrayNode ty = o.putArray("tpr");
        for (int i = 0; i < fpr.length; i++) {
            fx.add(Decimals.round(fpr[i], 5));
            ty.add(Decimals.round(tpr[i], 5));
        }
        return o;
    }
}
