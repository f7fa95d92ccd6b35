package io.anomalyze.read;

/** What reading one line of a record stream gave. */
public enum RecordOutcome {
    /** A valid record, appended to the batch. */
    RECORD,
    /** A line that is not a valid record; the reader says why. */
    BAD_ROW,
    /** No more lines. */
    END
}
