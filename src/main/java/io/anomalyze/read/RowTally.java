package io.anomalyze.read;

import io.anomalyze.InvalidInputException;

/**
 * The row policy every record reader applies: counts the valid records against the record
 * limit, logs the bad ones, and at the end of the input refuses the file when the bad-row rules
 * say so (see {@link BadRowLog}).
 */
public final class RowTally {

    private final String source;
    private final long maxRecords;
    private final BadRowLog badRows;
    private long records;
    private boolean ended;

    public RowTally(String source, InputLimits limits) {
        this.source = source;
        this.maxRecords = limits.maxRecords();
        this.badRows = new BadRowLog(source, limits.maxBadRowFraction());
    }

    /** One more valid record; refuses the file once it passes the record limit. */
    public void accepted() {
        records++;
        if (records > maxRecords) {
            throw InvalidInputException.limit(source + ": holds more than the limit of " + maxRecords + " records");
        }
    }

    /** One more skipped row. */
    public void rejected(BadRow row) {
        badRows.add(row, records);
    }

    /** The input has ended; checks the bad-row rules once, however often it is called. */
    public void endOfInput() {
        if (!ended) {
            ended = true;
            badRows.finish(records);
        }
    }

    /** Valid records so far. */
    public long records() {
        return records;
    }

    public BadRowLog badRows() {
        return badRows;
    }
}
