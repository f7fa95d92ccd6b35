package io.anomalyze.read.connection;

import io.anomalyze.read.BadRow;
import io.anomalyze.read.BadRowLog;
import io.anomalyze.read.CsvLineReader;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.InternedStrings;
import io.anomalyze.read.RecordOutcome;
import io.anomalyze.read.RowTally;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Streams NSL-KDD / KDD Cup 99 connection records in batches. Bad rows are skipped and
 * logged with line, column and reason; the file is refused when none is valid or too many
 * are bad (see {@link BadRowLog}).
 */
public final class ConnectionRecordReader implements Closeable {

    private final CsvLineReader lines;
    private final RowTally tally;
    /** Symbolic values and labels repeat endlessly: intern them to one String each. */
    private final InternedStrings symbols = new InternedStrings();
    private boolean headerChecked;
    private boolean labelled;
    private BadRow lastBadRow;

    public ConnectionRecordReader(InputStream in, String source, InputLimits limits) {
        this.lines = new CsvLineReader(in, source, limits.maxLineBytes());
        this.tally = new RowTally(source, limits);
    }

    /**
     * Clears {@code batch} and fills it with up to its capacity of valid records.
     *
     * @return false once the file is exhausted and nothing was read
     */
    public boolean read(ConnectionBatch batch) throws IOException {
        batch.clear();
        while (batch.size < batch.capacity) {
            if (!lines.next()) {
                tally.endOfInput();
                break;
            }
            if (!headerChecked) {
                headerChecked = true;
                if (isHeader()) {
                    continue;
                }
            }
            BadRow bad = parseInto(batch);
            if (bad != null) {
                tally.rejected(bad);
            } else {
                batch.size++;
                tally.accepted();
            }
        }
        return batch.size > 0;
    }

    private boolean isHeader() {
        if (lines.fieldCount() < ConnectionLayout.FEATURE_COUNT || lines.fieldCount() > ConnectionLayout.FEATURE_COUNT + 2) {
            return false;
        }
        lines.number(0);
        return lines.numberStatus() != CsvLineReader.NumberStatus.OK
                && !ConnectionLayout.PROTOCOLS.contains(lines.text(ConnectionLayout.PROTOCOL_COLUMN).toLowerCase(Locale.ROOT));
    }

    private BadRow parseInto(ConnectionBatch batch) {
        long line = lines.lineNumber();
        int fields = lines.fieldCount();
        if (fields < ConnectionLayout.FEATURE_COUNT || fields > ConnectionLayout.FEATURE_COUNT + 2) {
            return new BadRow(line, 0, "expected 41 to 43 comma-separated fields (41 features, label, difficulty), found " + fields);
        }
        int row = batch.size;
        int base = row * ConnectionLayout.NUMERIC_COUNT;
        for (int i = 0; i < ConnectionLayout.NUMERIC_COUNT; i++) {
            int column = ConnectionLayout.NUMERIC_COLUMNS[i];
            double v = lines.plainNumber(column);
            if (!(v >= 0)) {
                // Not a plain decimal: parse it in full, or say what is wrong with it.
                v = lines.number(column);
                BadRow bad = checkNumber(line, column, v);
                if (bad != null) {
                    return bad;
                }
            }
            batch.numeric[base + i] = v;
        }
        String protocol = lines.sharedText(ConnectionLayout.PROTOCOL_COLUMN, symbols);
        String lowerCase = protocol.toLowerCase(Locale.ROOT);
        if (!lowerCase.equals(protocol)) {
            protocol = symbols.intern(lowerCase);
        }
        if (!ConnectionLayout.PROTOCOLS.contains(protocol)) {
            return new BadRow(line, ConnectionLayout.PROTOCOL_COLUMN + 1, "unknown protocol \""
                    + lines.excerpt(ConnectionLayout.PROTOCOL_COLUMN) + "\" (expected tcp, udp or icmp)");
        }
        String service = lines.sharedText(ConnectionLayout.SERVICE_COLUMN, symbols);
        if (service.isEmpty()) {
            return new BadRow(line, ConnectionLayout.SERVICE_COLUMN + 1, "empty value for service");
        }
        String flag = lines.sharedText(ConnectionLayout.FLAG_COLUMN, symbols);
        if (flag.isEmpty()) {
            return new BadRow(line, ConnectionLayout.FLAG_COLUMN + 1, "empty value for flag");
        }
        String label = null;
        if (fields > ConnectionLayout.LABEL_COLUMN) {
            String raw = lines.sharedText(ConnectionLayout.LABEL_COLUMN, symbols);
            label = ConnectionLayout.normaliseLabel(raw);
            if (label != null) {
                // KDD 99 labels end in a dot: share the label without it too.
                label = label.equals(raw) ? raw : symbols.intern(label);
                labelled = true;
            }
        }
        if (fields > ConnectionLayout.DIFFICULTY_COLUMN) {
            double difficulty = lines.number(ConnectionLayout.DIFFICULTY_COLUMN);
            if (lines.numberStatus() == CsvLineReader.NumberStatus.INVALID || (lines.numberStatus() == CsvLineReader.NumberStatus.OK
                    && (difficulty != Math.rint(difficulty) || difficulty < 0))) {
                return new BadRow(line, ConnectionLayout.DIFFICULTY_COLUMN + 1, "difficulty level must be a whole number >= 0, found \""
                        + lines.excerpt(ConnectionLayout.DIFFICULTY_COLUMN) + "\"");
            }
        }
        batch.protocol[row] = protocol;
        batch.service[row] = service;
        batch.flag[row] = flag;
        batch.label[row] = label;
        batch.line[row] = line;
        return null;
    }

    private BadRow checkNumber(long line, int column, double v) {
        switch (lines.numberStatus()) {
            case EMPTY:
                return new BadRow(line, column + 1, "empty value for " + ConnectionLayout.FEATURES.get(column));
            case INVALID:
                return new BadRow(line, column + 1, "not a number for " + ConnectionLayout.FEATURES.get(column)
                        + ": \"" + lines.excerpt(column) + "\"");
            default:
                break;
        }
        if (!Double.isFinite(v)) {
            return new BadRow(line, column + 1, "not a finite number for " + ConnectionLayout.FEATURES.get(column)
                    + ": \"" + lines.excerpt(column) + "\"");
        }
        if (v < 0) {
            return new BadRow(line, column + 1, "negative value for " + ConnectionLayout.FEATURES.get(column)
                    + ": " + lines.excerpt(column));
        }
        return null;
    }

    /**
     * Reads the next line as a record, appending it to {@code batch} (which must have room), with
     * no header detection: for inputs whose every line is a record, such as lines taken from a
     * message stream. The bad-row rules of the limits still apply.
     */
    public RecordOutcome readRecord(ConnectionBatch batch) throws IOException {
        if (!lines.next()) {
            return RecordOutcome.END;
        }
        lastBadRow = parseInto(batch);
        if (lastBadRow != null) {
            tally.rejected(lastBadRow);
            return RecordOutcome.BAD_ROW;
        }
        batch.size++;
        tally.accepted();
        return RecordOutcome.RECORD;
    }

    /** Why the last line {@link #readRecord} rejected was bad. */
    public BadRow lastBadRow() {
        return lastBadRow;
    }

    /** Valid records read so far. */
    public long records() {
        return tally.records();
    }

    public BadRowLog badRows() {
        return tally.badRows();
    }

    /** True once any record carried a label. */
    public boolean labelled() {
        return labelled;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
