package io.anomalyze.analysis;

/** Every analysis slot is taken: the client should retry after a while. */
public final class AnalysisQueueFullException extends RuntimeException {

    private final int retryAfterSeconds;

    public AnalysisQueueFullException(int capacity, int retryAfterSeconds) {
        super("the service is busy: " + capacity + " analyses are already running or queued; retry in "
                + retryAfterSeconds + " s", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
