package io.anomalyze.analysis;

import io.anomalyze.read.InputLimits;

/**
 * How much analysis work the service takes on at once.
 *
 * @param threads       analyses running at the same time
 * @param queueCapacity analyses waiting for a thread; one more upload gets 503
 * @param limits        limits every uploaded file is read under
 */
public record AnalysisSettings(int threads, int queueCapacity, InputLimits limits) {

    public AnalysisSettings {
        if (threads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and queue capacity >= 0");
        }
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 16, InputLimits.DEFAULTS);
    }
}
