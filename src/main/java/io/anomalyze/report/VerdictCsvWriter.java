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

    public VerdictCsvWriter(Writer out) throws IOException {
        this.out = out;
        out.write(HEADER);
        out.write('\n');
    }

    public void write(Verdict v) throws IOException {
        out.write(Long.toString(v.line()));
        out.write(',');
        FlowIdentity id = v.identity();
        out.write(cell(id.flowId()));
        out.write(',');
        out.write(cell(id.srcAddress()));
        out.write(',');
        out.write(number(id.srcPort()));
        out.write(',');
        out.write(cell(id.dstAddress()));
        out.write(',');
        out.write(number(id.dstPort()));
        out.write(',');
        out.write(cell(id.protocolName()));
        out.write(',');
        out.write(time(id.start()));
        out.write(',');
        out.write(time(id.end()));
        out.write(',');
        out.write(cell(id.service()));
        out.write(',');
        out.write(cell(id.flag()));
        out.write(',');
        out.write(Boolean.toString(v.anomalous()));
        out.write(',');
        out.write(v.severity().label());
        out.write(',');
        out.write(format(v.score()));
        out.write(',');
        out.write(format(v.confidence()));
        out.write(',');
        out.write(cell(v.predictedClass()));
        out.write(',');
        out.write(cell(v.label()));
        out.write(',');
        out.write(cell(topFeatures(v.topFeatures())));
        out.write('\n');
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

    private static String number(int n) {
        return n == FlowIdentity.UNKNOWN ? "" : Integer.toString(n);
    }

    private static String time(java.time.Instant t) {
        return t == null ? "" : t.toString();
    }

    static String format(double v) {
        return SixDigits.format(v);
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
