package io.anomalyze.analysis;

import io.anomalyze.read.InputLimits;

/**
 * How much analysis work the service takes on at once.
 *
 * @param threads       analyses running at the same time
 * @param queueCapacity analyses waiting for a thread; one more upload gets 503
 * @param limits        limits every uploaded file is read under
 * @param incidentGapMicros a flow starting more than this after the last of its incident starts a new one
 * @param maxOpenIncidents  most incidents an analysis keeps open at once (the least recent closes)
 */
public record AnalysisSettings(int threads, int queueCapacity, InputLimits limits, long incidentGapMicros, int maxOpenIncidents) {

    public AnalysisSettings {
        if (threads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and queue capacity >= 0");
        }
        if (incidentGapMicros <= 0 || maxOpenIncidents < 1) {
            throw new IllegalArgumentException("the incident gap and the open-incident cap must be positive");
        }
    }

    /** Settings with the default incident gap (5 minutes) and open-incident cap (100,000). */
    public AnalysisSettings(int threads, int queueCapacity, InputLimits limits) {
        this(threads, queueCapacity, limits, IncidentBuilder.DEFAULT_GAP_MICROS, IncidentBuilder.DEFAULT_MAX_OPEN);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 16, InputLimits.DEFAULTS);
    }
}
