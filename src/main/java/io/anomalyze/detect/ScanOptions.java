package io.anomalyze.detect;

import io.anomalyze.read.InputLimits;

/**
 * How to scan a file.
 *
 * @param limits       input limits to enforce
 * @param keepFeatures whether verdicts carry every feature value as text (for display/export)
 */
public record ScanOptions(InputLimits limits, boolean keepFeatures) {

    public static ScanOptions defaults() {
        return new ScanOptions(InputLimits.DEFAULTS, false);
    }
}
