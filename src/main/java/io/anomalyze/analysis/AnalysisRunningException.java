package io.anomalyze.analysis;

/** Work refused because the analysis has not ended yet (answered 409 by the web layer). */
public final class AnalysisRunningException extends RuntimeException {

    /** @param then what the user can do instead, such as "delete it once it has ended" */
    public AnalysisRunningException(long id, String then) {
        super("analysis " + id + " is still running; " + then, null, false, false);
    }
}
