package io.anomalyze.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.Verdict;
import io.anomalyze.detect.flow.FlowDetector;
import io.anomalyze.detect.kmeans.KMeansDetector;
import io.anomalyze.read.BadRow;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.RecordOutcome;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.connection.ConnectionRecordReader;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowRecordReader;
import io.anomalyze.read.flow.JsonFlowReader;
import io.anomalyze.report.EcsAlertWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Scores the records of one poll as one batch per detector, and hands back, in input order,
 * an Elastic Common Schema verdict per readable record and a reason per unreadable one.
 *
 * <p>A record is read by its first byte: {@code {} starts a JSON flow ({@link JsonFlowReader});
 * anything else is a CSV line, a connection record when it has 41 to 43 fields, else a flow line
 * under the CSV header given once. CSV lines of a poll go through the same readers as files
 * ({@link ConnectionRecordReader}, {@link FlowRecordReader}), as one small file each, so a
 * record scores exactly as the same line of an uploaded file.
 */
final class RecordScorer {

    /** What becomes of each record, in input order. */
    interface Output {
        /** The verdict document of record {@code index}, keyed by its source address when known, else null. */
        void verdict(int index, byte[] key, byte[] document);

        /** Record {@code index} could not be read. */
        void deadLetter(int index, String reason);
    }

    /** A record's bytes and where it came from. */
    record Input(byte[] value, String topic, int partition, long offset) {
    }

    private static final byte DEAD = 0;
    private static final byte FLOW = 1;
    private static final byte CONNECTION = 2;
    private static final int SRC_BYTES = 1;
    private static final int DST_BYTES = 2;

    private final FlowDetector flowDetector;
    private final EcsAlertWriter.Model flowModel;
    private final KMeansDetector.BatchScorer connectionScorer;
    private final EcsAlertWriter.Model connectionModel;
    private final byte[] csvHeader;
    private final InputLimits limits;
    private final int capacity;
    private final JsonFlowReader jsonFlows = new JsonFlowReader();
    private final FlowBatch flows;
    private final ConnectionBatch connections;
    private final JsonFactory json = Json.MAPPER.getFactory();
    private final ByteArrayBuilder document = new ByteArrayBuilder(2048);

    private final byte[] kind;
    private final int[] row;
    private final String[] reason;
    private final LineBuffer connectionLines = new LineBuffer();
    private final LineBuffer flowLines = new LineBuffer();

    /**
     * @param flowModel       the flow model, or null when flows are not scored
     * @param connectionModel the connection-record model, or null
     * @param csvHeader       the header line of flow CSV records, or null when none are expected
     * @param capacity        most records handed to {@link #score} at once
     */
    RecordScorer(DetectorRegistry.LoadedModel flowModel, DetectorRegistry.LoadedModel connectionModel, String csvHeader,
                 int capacity, int maxRecordBytes) {
        this.flowDetector = flowModel == null ? null : (FlowDetector) flowModel.detector();
        this.flowModel = flowModel == null ? null : new EcsAlertWriter.Model(flowModel.file(), flowModel.detector().kind(), flowModel.sha256());
        this.connectionScorer = connectionModel == null ? null : ((KMeansDetector) connectionModel.detector()).newBatchScorer();
        this.connectionModel = connectionModel == null ? null
                : new EcsAlertWriter.Model(connectionModel.file(), connectionModel.detector().kind(), connectionModel.sha256());
        this.csvHeader = csvHeader == null ? null : (csvHeader.strip() + "\n").getBytes(StandardCharsets.UTF_8);
        this.limits = new InputLimits(maxRecordBytes, 1.0, Long.MAX_VALUE, Long.MAX_VALUE, Double.MAX_VALUE);
        this.capacity = capacity;
        this.flows = new FlowBatch(capacity);
        this.connections = new ConnectionBatch(capacity);
        this.kind = new byte[capacity];
        this.row = new int[capacity];
        this.reason = new String[capacity];
        if (this.csvHeader != null) {
            checkHeader(this.csvHeader);
        }
    }

    /** Refuses a CSV header that does not name the 78 flow features, before any record is read. */
    private void checkHeader(byte[] header) {
        try (FlowRecordReader reader = new FlowRecordReader(new ByteArrayInputStream(header), "the CSV header", limits)) {
            reader.readRecord(new FlowBatch(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scores {@code records} (at most the capacity) and reports each, in order, to {@code out}. */
    void score(List<Input> records, long scoredMillis, Output out) {
        int n = records.size();
        if (n > capacity) {
            throw new IllegalArgumentException(n + " records, more than the capacity of " + capacity);
        }
        flows.clear();
        connections.clear();
        connectionLines.reset(null);
        flowLines.reset(csvHeader);
        Arrays.fill(reason, 0, n, null);
        for (int i = 0; i < n; i++) {
            sort(records.get(i).value(), i);
        }
        readConnectionLines();
        readFlowLines();
        List<Verdict> flowVerdicts = flows.size() == 0 ? List.of() : flowDetector.verdicts(flows);
        List<Verdict> connectionVerdicts = connections.size() == 0 ? List.of() : connectionScorer.verdicts(connections);
        String scoredAt = EcsAlertWriter.iso(scoredMillis);
        for (int i = 0; i < n; i++) {
            Input in = records.get(i);
            switch (kind[i]) {
                case FLOW -> {
                    int r = row[i];
                    String source = flows.srcAddress[r];
                    out.verdict(i, source == null ? null : source.getBytes(StandardCharsets.UTF_8),
                            document(flowVerdicts.get(r), flowVolume(r), flowModel, in, scoredAt));
                }
                case CONNECTION -> {
                    int r = row[i];
                    out.verdict(i, null, document(connectionVerdicts.get(r), connectionVolume(r), connectionModel, in, scoredAt));
                }
                default -> out.deadLetter(i, reason[i]);
            }
        }
    }

    /** Reads a JSON flow at once; gathers CSV lines for their readers. */
    private void sort(byte[] value, int i) {
        kind[i] = DEAD;
        int start = 0;
        int end = value == null ? 0 : value.length;
        while (start < end && isSpace(value[start])) {
            start++;
        }
        while (end > start && isSpace(value[end - 1])) {
            end--;
        }
        if (start == end) {
            reason[i] = "empty record";
            return;
        }
        if (end - start > limits.maxLineBytes()) {
            reason[i] = "the record is longer than the limit of " + limits.maxLineBytes() + " bytes";
            return;
        }
        if (value[start] == '{') {
            if (flowDetector == null) {
                reason[i] = "a JSON flow record, but no flow model is loaded";
                return;
            }
            int r = flows.size();
            String problem = jsonFlows.read(value, start, end - start, flows, i);
            if (problem != null) {
                reason[i] = problem;
                return;
            }
            kind[i] = FLOW;
            row[i] = r;
            return;
        }
        int fields = 1;
        boolean quoted = false;
        for (int b = start; b < end; b++) {
            byte c = value[b];
            if (c == '\n' || c == '\r') {
                reason[i] = "a CSV record must be one line; this one has a line break at byte " + (b - start + 1);
                return;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields++;
            }
        }
        if (fields >= ConnectionLayout.FEATURE_COUNT && fields <= ConnectionLayout.FEATURE_COUNT + 2) {
            if (connectionScorer == null) {
                reason[i] = "a connection record, but no connection-record model is loaded";
                return;
            }
            connectionLines.add(value, start, end, i);
        } else if (csvHeader != null && flowDetector != null) {
            flowLines.add(value, start, end, i);
        } else {
            reason[i] = "a CSV line of " + fields + " field" + (fields == 1 ? "" : "s") + " is neither a connection record"
                    + " (41 to 43 fields)" + (csvHeader == null ? " nor, without a CSV header (--csv-header), a flow line"
                    : " nor a flow line (no flow model is loaded)");
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void readConnectionLines() {
        if (connectionLines.lines == 0) {
            return;
        }
        try (ConnectionRecordReader reader = new ConnectionRecordReader(connectionLines.stream(), "record", limits)) {
            RecordOutcome o;
            while ((o = reader.readRecord(connections)) != RecordOutcome.END) {
                if (o == RecordOutcome.RECORD) {
                    int r = connections.size() - 1;
                    int i = connectionLines.record((int) connections.line[r] - 1);
                    kind[i] = CONNECTION;
                    row[i] = r;
                } else {
                    BadRow bad = reader.lastBadRow();
                    reason[connectionLines.record((int) bad.line() - 1)] = describe(bad);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readFlowLines() {
        if (flowLines.lines == 0) {
            return;
        }
        try (FlowRecordReader reader = new FlowRecordReader(flowLines.stream(), "record", limits)) {
            while (true) {
                clearIdentity(flows.size());
                RecordOutcome o = reader.readRecord(flows);
                if (o == RecordOutcome.END) {
                    break;
                }
                if (o == RecordOutcome.RECORD) {
                    int r = flows.size() - 1;
                    // Line 1 is the header.
                    int i = flowLines.record((int) flows.line[r] - 2);
                    kind[i] = FLOW;
                    row[i] = r;
                        } else {
                    BadRow bad = reader.lastBadRow();
                    reason[flowLines.record((int) bad.line() - 2)] = describe(bad);
                }
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void clearIdentity(int r) {
        if (r >= flows.capacity) {
            return;
        }
        flows.clearIdentity(r);
    }

    /** A bad row's reason without its line, which means nothing outside this batch. */
    private static String describe(BadRow bad) {
        return bad.column() > 0 ? "column " + bad.column() + ": " + bad.reason() : bad.reason();
    }

    private EcsAlertWriter.Volume flowVolume(int r) {
        int base = r * FlowFeatures.COUNT;
        float[] f = flows.features;
        return new EcsAlertWriter.Volume((long) f[base + 4] + (long) f[base + 5], (long) f[base + 2] + (long) f[base + 3]);
    }

    private EcsAlertWriter.Volume connectionVolume(int r) {
        return new EcsAlertWriter.Volume((long) connections.numeric(r, SRC_BYTES) + (long) connections.numeric(r, DST_BYTES), -1);
    }

    private byte[] document(Verdict v, EcsAlertWriter.Volume volume, EcsAlertWriter.Model model, Input in, String scoredAt) {
        document.reset();
        try (JsonGenerator g = json.createGenerator(document)) {
            EcsAlertWriter.write(g, v, volume, model, new EcsAlertWriter.Origin(in.topic(), in.partition(), in.offset()), scoredAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return document.toByteArray();
    }

    /** CSV lines of one poll joined into one small file, remembering which record each line is. */
    private final class LineBuffer {
        private byte[] bytes = new byte[1 << 16];
        private int length;
        private int lines;
        private int[] recordOfLine = new int[64];

        void reset(byte[] header) {
            length = 0;
            lines = 0;
            if (header != null) {
                append(header, 0, header.length);
            }
        }

        void add(byte[] value, int start, int end, int record) {
            append(value, start, end - start);
            append(NEWLINE, 0, 1);
            if (lines == recordOfLine.length) {
                recordOfLine = Arrays.copyOf(recordOfLine, lines * 2);
            }
            recordOfLine[lines++] = record;
        }

        int record(int line) {
            return recordOfLine[line];
        }

        private void append(byte[] b, int off, int len) {
            if (length + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
            }
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        ByteArrayInputStream stream() {
            return new ByteArrayInputStream(bytes, 0, length);
        }
    }

    private static final byte[] NEWLINE = {'\n'};
}
