package io.anomalyze.store;

import java.util.Locale;

/** Where an analysis stands. */
public enum AnalysisStatus {
    RUNNING, DONE, FAILED;

    /** The lower-case name used in JSON and the database. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AnalysisStatus of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
