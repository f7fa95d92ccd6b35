package io.anomalyze.analysis;

/** The analysis an upload started was deleted (by another request) before its result was answered. */
public final class AnalysisDeletedException extends RuntimeException {

    private final long id;

    public AnalysisDeletedException(long id) {
        super("analysis " + id + " was deleted before its result could be shown", null, false, false);
        this.id = id;
    }

    public long id() {
        return id;
    }
}
