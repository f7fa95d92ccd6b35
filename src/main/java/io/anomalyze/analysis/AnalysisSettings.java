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
 * @param maxExports    CSV and JSON exports streamed at once; one more gets 503
 */
public record AnalysisSettings(int threads, int queueCapacity, InputLimits limits, long incidentGapMicros, int maxOpenIncidents,
                               int maxExports) {

    /**
     * Exports streamed at once by default. Each holds a database connection and about 2 MB of
     * blocks in memory while it streams; past the limit a client gets 503 and retries.
     */
    public static final int DEFAULT_MAX_EXPORTS = 4;

    public AnalysisSettings {
        if (threads < 1 || queueCapacity < 0 || maxExports < 1) {
            throw new IllegalArgumentException("threads and exports must be >= 1 and queue capacity >= 0");
        }
        if (incidentGapMicros <= 0 || maxOpenIncidents < 1) {
            throw new IllegalArgumentException("the incident gap and the open-incident cap must be positive");
        }
    }

    /** Settings with the default number of concurrent exports. */
    public AnalysisSettings(int threads, int queueCapacity, InputLimits limits, long incidentGapMicros, int maxOpenIncidents) {
        this(threads, queueCapacity, limits, incidentGapMicros, maxOpenIncidents, DEFAULT_MAX_EXPORTS);
    }

    /** Settings with the default incident gap (5 minutes), open-incident cap (100,000) and exports at once. */
    public AnalysisSettings(int threads, int queueCapacity, InputLimits limits) {
        this(threads, queueCapacity, limits, IncidentBuilder.DEFAULT_GAP_MICROS, IncidentBuilder.DEFAULT_MAX_OPEN);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 16, InputLimits.DEFAULTS);
    }
}
