package io.anomalyze.store;

import io.anomalyze.detect.Severity;

/**
 * Which verdicts of an analysis to list, in which order.
 *
 * @param severity only this severity, or null for all
 * @param className only this predicted class, or null for all
 * @param sort     the order
 * @param limit    page size
 * @param offset   rows to skip
 * @param identity who, when and what to list (addresses, port, time range), or null for all
 */
public record RecordQuery(Severity severity, String className, Sort sort, int limit, long offset, IdentityFilter identity) {

    public RecordQuery {
        if (identity != null && identity.isEmpty()) {
            identity = null;
        }
    }

    /** A query that does not filter on identity. */
    public RecordQuery(Severity severity, String className, Sort sort, int limit, long offset) {
        this(severity, className, sort, limit, offset, null);
    }

    /** Orders a records page can take; each is served by an index. */
    public enum Sort {
        /** Most severe first, then highest score: the default. */
        ANOMALIES_FIRST("severity DESC, score DESC, seq"),
        SCORE_DESC("score DESC, seq"),
        SCORE_ASC("score ASC, seq"),
        FILE_ORDER("seq");

        final String orderBy;

        Sort(String orderBy) {
            this.orderBy = orderBy;
        }

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** Parses a sort code; null when it names none. */
        public static Sort of(String code) {
            for (Sort s : values()) {
                if (s.code().equalsIgnoreCase(code)) {
                    return s;
                }
            }
            return null;
        }
    }
}
