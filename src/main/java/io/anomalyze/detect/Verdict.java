package io.anomalyze.detect;

import java.util.List;

/**
 * A detector's judgement of one record.
 *
 * @param line           1-based line of the record in its file
 * @param anomalous      true when the record is judged malicious
 * @param severity       how bad it is
 * @param score          the detector's anomaly score (higher is more anomalous)
 * @param confidence     how sure the detector is of {@code anomalous}, in [0, 1]
 * @param predictedClass the class named by the detector ("normal"/"anomaly" or a flow class)
 * @param label          the file's own label for the record, or null
 * @param topFeatures    the features that weigh most in the verdict, strongest first
 * @param features       every feature value as text, when the caller asked for them; else null
 * @param probabilities  per class of {@link Detector#classNames()}, for detectors that name
 *                       classes; null otherwise
 * @param identity       who, when and what: the record's addresses, ports, protocol and times
 *                       (or protocol, service and flag), never null ({@link FlowIdentity#EMPTY})
 */
public record Verdict(long line, boolean anomalous, Severity severity, double score, double confidence,
                      String predictedClass, String label, List<FeatureContribution> topFeatures,
                      String[] features, float[] probabilities, FlowIdentity identity) {

    /**
     * Scores, confidences and probabilities are finite numbers: a NaN or an infinity has no
     * severity, no rank and no honest text, so a detector that would give one must say why
     * instead of handing over a verdict.
     */
    public Verdict {
        if (!Double.isFinite(score) || !Double.isFinite(confidence)) {
            throw new IllegalArgumentException("line " + line + ": score " + score + " and confidence " + confidence
                    + " must be finite numbers");
        }
        if (probabilities != null) {
            for (float p : probabilities) {
                if (!Float.isFinite(p)) {
                    throw new IllegalArgumentException("line " + line + ": class probabilities must be finite numbers, not " + p);
                }
            }
        }
        if (identity == null) {
            identity = FlowIdentity.EMPTY;
        }
    }

    /** A verdict whose record's identity is unknown. */
    public Verdict(long line, boolean anomalous, Severity severity, double score, double confidence,
                   String predictedClass, String label, List<FeatureContribution> topFeatures,
                   String[] features, float[] probabilities) {
        this(line, anomalous, severity, score, confidence, predictedClass, label, topFeatures, features, probabilities,
                FlowIdentity.EMPTY);
    }
}
