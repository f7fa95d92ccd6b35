package io.anomalyze.report;

import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Verdict;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes verdicts as CSV. Cells are quoted when needed, and a cell that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with a quote.
 * Every file has the same columns: after the line come the record's identity (Flow ID,
 * addresses, ports, protocol name, start and end as ISO-8601 UTC, and for connection records
 * service and flag), empty where the input did not give them.
 */
public final class VerdictCsvWriter {

    public static final String HEADER = "line,flow_id,src_ip,src_port,dst_ip,dst_port,protocol,start,end,service,flag,"
            + "anomalous,severity,score,confidence,class,label,top_features";

    private final Writer out;
    /** The row being written, then its characters: one write to {@code out} per row. */
    private final StringBuilder row = new StringBuilder(256);
    private char[] chars = new char[256];
    private final byte[] timeScratch = new byte[IsoTimeText.SECOND_LENGTH];

    public VerdictCsvWriter(Writer out) throws IOException {
        this.out = out;
        out.write(HEADER);
        out.write('\n');
    }

    public void write(Verdict v) throws IOException {
        StringBuilder r = row;
        r.setLength(0);
        r.append(v.line()).append(',');
        FlowIdentity id = v.identity();
        r.append(cell(id.flowId())).append(',');
        r.append(cell(id.srcAddress())).append(',');
        number(r, id.srcPort());
        r.append(cell(id.dstAddress())).append(',');
        number(r, id.dstPort());
        r.append(cell(id.protocolName())).append(',');
        time(r, id.start());
        time(r, id.end());
        r.append(cell(id.service())).append(',');
        r.append(cell(id.flag())).append(',');
        r.append(v.anomalous()).append(',');
        r.append(v.severity().label()).append(',');
        r.append(SixDigits.format(v.score())).append(',');
        r.append(SixDigits.format(v.confidence())).append(',');
        r.append(cell(v.predictedClass())).append(',');
        r.append(cell(v.label())).append(',');
        r.append(cell(topFeatures(v.topFeatures()))).append('\n');
        int length = r.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
        r.getChars(0, length, chars, 0);
        out.write(chars, 0, length);
    }

    public static String topFeatures(List<FeatureContribution> top) {
        StringBuilder sb = new StringBuilder();
        for (FeatureContribution f : top) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f.feature()).append('=').append(f.value());
        }
        return sb.toString();
    }

    private static void number(StringBuilder r, int n) {
        if (n != FlowIdentity.UNKNOWN) {
            r.append(n);
        }
        r.append(',');
    }

    private void time(StringBuilder r, java.time.Instant t) {
        if (t != null) {
            IsoTimeText.append(r, t, timeScratch);
        }
        r.append(',');
    }

    /** A CSV cell that is safe to open in a spreadsheet. */
    public static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String safe = text;
        char first = text.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            safe = "'" + text;
        }
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            safe = '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
