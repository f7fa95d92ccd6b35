package io.anomalyze.read.flow;

import io.anomalyze.InvalidInputException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams CICFlowMeter flow records in batches, in any header dialect {@link FlowFeatures}
 * knows. The header line decides which column feeds which of the 78 features; the identity
 * columns (Flow ID, addresses, ports, protocol, times) fill each flow's identity
 * ({@link FlowIdentityColumns}); a {@code Label} column, when present, gives each record its
 * normalised label; other columns ({@code ICMP Code}, ...) are ignored.
 *
 * <p><b>Values that are not finite numbers.</b> {@code Infinity}, {@code -Infinity},
 * {@code NaN} and empty cells are read as 0 and the row is kept. CICFlowMeter writes them for
 * the rates of flows that last 0 µs ({@code Flow Bytes/s}, {@code Flow Packets/s}); the
 * duration and packet counts already say what such a flow is, and a kept row is worth more
 * to an analyst than a skipped one. {@link #nonFiniteCells()} counts the replacements.
 * A finite value beyond the float range the model takes (about ±3.4e38) makes the row bad:
 * no counter or rate of a real flow comes near it, and the model cannot score it.
 * Any other text in a feature column makes the row bad (skipped and reported with line,
 * column and reason, see {@link BadRowLog}), as does a row whose field count differs from
 * the header's.
 *
 * <p>The duplicate {@code Fwd Header Length} (feature 55) is taken from its own column when
 * the file has one (the second {@code Fwd Header Length}, or {@code Fwd Header Length.1}) and
 * copied from feature 34 otherwise.
 */
public final class FlowRecordReader implements Closeable {

    private final CsvLineReader lines;
    private final RowTally tally;
    private final InternedStrings symbols = new InternedStrings();
    /** Label texts as read, to their normalised form: a file repeats a handful of labels. */
    private final java.util.Map<String, String> normalisedLabels = new java.util.HashMap<>();
    private static final int MAX_LABEL_TEXTS = 10_000;
    /** Per feature, the column it is read from; -1 for the derived duplicate header length. */
    private int[] columnOf;
    private final FlowIdentityColumns identity = new FlowIdentityColumns();
    private int labelColumn = -1;
    private int headerFields;
    private long nonFinite;
    private boolean labelled;
    private BadRow lastBadRow;

    public FlowRecordReader(InputStream in, String source, InputLimits limits) {
        this.lines = new CsvLineReader(in, source, limits.maxLineBytes());
        this.tally = new RowTally(source, limits);
    }

    /**
     * Clears {@code batch} and fills it with up to its capacity of valid records.
     *
     * @return false once the file is exhausted and nothing was read
     */
    public boolean read(FlowBatch batch) throws IOException {
        batch.clear();
        while (batch.size < batch.capacity) {
            if (!lines.next()) {
                if (columnOf == null) {
                    throw new InvalidInputException(lines.source() + ": the file is empty (expected a header line naming the flow features)");
                }
                tally.endOfInput();
                break;
            }
            if (columnOf == null) {
                readHeader();
                continue;
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

    private void readHeader() {
        int[] columns = new int[FlowFeatures.COUNT];
        Arrays.fill(columns, -1);
        headerFields = lines.fieldCount();
        for (int c = 0; c < headerFields; c++) {
            String name = lines.text(c);
            int f = FlowFeatures.indexOf(name);
            if (f == FlowFeatures.FWD_HEADER_LENGTH && columns[f] >= 0) {
                // The original files name the duplicate column exactly like the first one.
                f = FlowFeatures.FWD_HEADER_LENGTH_COPY;
            }
            if (f >= 0 && columns[f] < 0) {
                columns[f] = c;
            } else if (f < 0 && !identity.consider(c, name) && labelColumn < 0 && FlowFeatures.key(name).equals("label")) {
                labelColumn = c;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < FlowFeatures.COUNT; f++) {
            if (columns[f] < 0 && f != FlowFeatures.FWD_HEADER_LENGTH_COPY) {
                missing.add(FlowFeatures.name(f));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(lines.source() + ": line " + lines.lineNumber()
                    + ": the header lacks " + missing.size() + " of the 78 flow features: "
                    + String.join(", ", missing)
                    + " (a flow file needs a header line naming its columns, in any CICFlowMeter dialect)");
        }
        columnOf = columns;
        identity.featureColumns(columns[0], columns[1]);
    }

    private BadRow parseInto(FlowBatch batch) {
        long line = lines.lineNumber();
        int fields = lines.fieldCount();
        if (fields != headerFields) {
            return new BadRow(line, 0, "expected " + headerFields + " comma-separated fields as in the header, found " + fields);
        }
        int base = batch.size * FlowFeatures.COUNT;
        float[] out = batch.features;
        for (int f = 0; f < FlowFeatures.COUNT; f++) {
            int column = columnOf[f];
            if (column < 0) {
                continue;
            }
            double v = lines.plainNumber(column);
            if (!(v >= 0)) {
                // Not a plain decimal (negative, an exponent, Infinity, empty...): parse it in full.
                v = lines.number(column);
                if (lines.numberStatus() == CsvLineReader.NumberStatus.INVALID) {
                    return new BadRow(line, column + 1, "not a number for " + FlowFeatures.name(f)
                            + ": \"" + lines.excerpt(column) + "\"");
                }
                if (!Double.isFinite(v)) {
                    nonFinite++;
                    v = 0;
                }
            }
            String outOfRange = FlowFeatures.outOfRange(f, v);
            if (outOfRange != null) {
                return new BadRow(line, column + 1, outOfRange);
            }
            out[base + f] = (float) v;
        }
        if (columnOf[FlowFeatures.FWD_HEADER_LENGTH_COPY] < 0) {
            out[base + FlowFeatures.FWD_HEADER_LENGTH_COPY] = out[base + FlowFeatures.FWD_HEADER_LENGTH];
        }
        String label = null;
        if (labelColumn >= 0) {
            String raw = lines.sharedText(labelColumn, symbols);
            label = normalisedLabels.get(raw);
            if (label == null) {
                label = FlowLabels.normalise(raw);
                if (label != null) {
                    label = symbols.intern(label);
                    if (normalisedLabels.size() < MAX_LABEL_TEXTS) {
                        normalisedLabels.put(raw, label);
                    }
                }
            }
            labelled |= label != null;
        }
        batch.label[batch.size] = label;
        batch.line[batch.size] = line;
        identity.read(lines, batch, batch.size);
        return null;
    }

    /**
     * Reads the next line, appending it to {@code batch} (which must have room) when it is a
     * valid record; the first line of the input is the header. For inputs read one record at a
     * time, such as lines taken from a message stream under a header given once.
     */
    public RecordOutcome readRecord(FlowBatch batch) throws IOException {
        while (true) {
            if (!lines.next()) {
                return RecordOutcome.END;
            }
            if (columnOf != null) {
                break;
            }
            readHeader();
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

    /** Cells holding Infinity, NaN or nothing that were read as 0. */
    public long nonFiniteCells() {
        return nonFinite;
    }

    /** Remarks on identity values that could not be read and were left empty, one per identity part. */
    public List<String> identityNotes() {
        return identity.notes();
    }

    /** True when the header names identity columns (addresses, ports, times...) beyond the destination port. */
    public boolean hasIdentityColumns() {
        return identity.any();
    }

    public BadRowLog badRows() {
        return tally.badRows();
    }

    /** True once any record carried a label. */
    public boolean labelled() {
        return labelled;
    }

    /** True when the header has a Label column. */
    public boolean hasLabelColumn() {
        return labelColumn >= 0;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
