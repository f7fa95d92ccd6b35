package io.anomalyze.detect;

import io.anomalyze.read.InputLimits;

/**
 * How to scan a file.
 *
 * @param limits       input limits to enforce
 * @param keepFeatures whether verdicts carry every feature value as text (for display/export)
 * @param explain      whether verdicts name the features that weigh most in them; without it
 *                     their top-feature lists are empty, and scores, classes and severities
 *                     are unchanged
 */
public record ScanOptions(InputLimits limits, boolean keepFeatures, boolean explain) {

    /** Verdicts with their top features. */
    public ScanOptions(InputLimits limits, boolean keepFeatures) {
        this(limits, keepFeatures, true);
    }

    public static ScanOptions defaults() {
        return new ScanOptions(InputLimits.DEFAULTS, false, true);
    }

    /** For metrics only: no feature texts, no top features. */
    public static ScanOptions unexplained() {
        return new ScanOptions(InputLimits.DEFAULTS, false, false);
    }
}
