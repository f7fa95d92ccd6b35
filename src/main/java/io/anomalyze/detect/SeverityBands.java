package io.anomalyze.detect;

/**
 * Maps an anomaly score, taken relative to the detector's threshold, onto a severity. Below
 * the threshold is Normal; from there the ratio cut points give Low, Medium, High, Critical.
 *
 * @param medium   ratio score/threshold from which a record is Medium
 * @param high     ratio from which it is High
 * @param critical ratio from which it is Critical
 */
public record SeverityBands(double medium, double high, double critical) {

    public SeverityBands {
        if (!(1 <= medium && medium <= high && high <= critical)) {
            throw new IllegalArgumentException("severity bands must satisfy 1 <= medium <= high <= critical");
        }
    }

    public Severity of(double score, double threshold) {
        double ratio = score / threshold;
        if (!(ratio >= 1)) {
            return Severity.NORMAL;
        }
        if (ratio >= critical) {
            return Severity.CRITICAL;
        }
        if (ratio >= high) {
            return Severity.HIGH;
        }
        return ratio >= medium ? Severity.MEDIUM : Severity.LOW;
    }
}
