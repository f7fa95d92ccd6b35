package io.anomalyze.read.flow;

import io.anomalyze.read.CsvLineReader;
import io.anomalyze.read.FlowTimestamps;
import io.anomalyze.read.InternedStrings;
import io.anomalyze.read.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The columns of a flow file that say who talked to whom and when (Flow ID, source and
 * destination address and port, protocol, start and end time), found by header name in every
 * dialect the readers know, and read from each line into a {@link FlowBatch}.
 *
 * <p>Names are matched like feature names (case, spaces and underscores ignored):
 * {@code Flow ID}; {@code Source IP} / {@code Src IP} / {@code src_addr}; {@code Source Port} /
 * {@code Src Port}; {@code Destination IP} / {@code Dst IP}; the destination port is the
 * {@code Destination Port} / {@code Dst Port} feature; {@code Protocol}; {@code Timestamp} /
 * {@code Start Time} / {@code Flow Start}; {@code End Time} / {@code Flow End}. Without an end
 * column the end is the start plus {@code Flow Duration} (microseconds in CICFlowMeter files).
 *
 * <p>A value that cannot be read (an address that is no IPv4 or IPv6 address, a port outside
 * 0..65535, a timestamp in no known form, see {@link FlowTimestamps}) leaves that part of the
 * identity empty and is counted; the row itself is kept, as its features are what the detector
 * needs. Empty cells are simply unknown and not counted.
 */
final class FlowIdentityColumns {

    private static final int FLOW_ID = 0;
    private static final int SRC_ADDRESS = 1;
    private static final int SRC_PORT = 2;
    private static final int DST_ADDRESS = 3;
    private static final int DST_PORT = 4;
    private static final int PROTOCOL = 5;
    private static final int START = 6;
    private static final int END = 7;
    private static final int PARTS = 8;
    private static final String[] WHAT = {"Flow ID", "source address", "source port", "destination address",
            "destination port", "protocol", "start time", "end time"};

    private static final Map<String, Integer> BY_KEY = Map.ofEntries(
            Map.entry("flowid", FLOW_ID),
            Map.entry("sourceip", SRC_ADDRESS), Map.entry("srcip", SRC_ADDRESS), Map.entry("srcaddr", SRC_ADDRESS),
            Map.entry("srcaddress", SRC_ADDRESS), Map.entry("sourceaddress", SRC_ADDRESS),
            Map.entry("sourceport", SRC_PORT), Map.entry("srcport", SRC_PORT),
            Map.entry("destinationip", DST_ADDRESS), Map.entry("dstip", DST_ADDRESS), Map.entry("dstaddr", DST_ADDRESS),
            Map.entry("dstaddress", DST_ADDRESS), Map.entry("destinationaddress", DST_ADDRESS),
            Map.entry("protocol", PROTOCOL), Map.entry("proto", PROTOCOL),
            Map.entry("timestamp", START), Map.entry("starttime", START), Map.entry("flowstart", START),
            Map.entry("flowstarttime", START), Map.entry("firstseen", START),
            Map.entry("endtime", END), Map.entry("flowend", END), Map.entry("flowendtime", END), Map.entry("lastseen", END));

    private final int[] column = {-1, -1, -1, -1, -1, -1, -1, -1};
    private int durationColumn = -1;
    /** Addresses and Flow IDs repeat across a file's flows: one String each, kept apart from labels. */
    private final InternedStrings addresses = new InternedStrings();
    private final InternedStrings flowIds = new InternedStrings();
    private final byte[] scratch = new byte[16];
    private final long[] unreadable = new long[PARTS];
    private final String[] firstUnreadable = new String[PARTS];

    /** Takes note of header column {@code c} named {@code name} when it is an identity column; true if it is. */
    boolean consider(int c, String name) {
        Integer part = BY_KEY.get(FlowFeatures.key(name));
        if (part == null || column[part] >= 0) {
            return false;
        }
        column[part] = c;
        return true;
    }

    /** Called once the header is read, with the columns of the destination port and duration features. */
    void featureColumns(int dstPortColumn, int flowDurationColumn) {
        column[DST_PORT] = dstPortColumn;
        durationColumn = flowDurationColumn;
    }

    /** True when the header names any identity column beyond the destination port feature. */
    boolean any() {
        for (int p = 0; p < PARTS; p++) {
            if (p != DST_PORT && column[p] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Fills the identity of row {@code r} of {@code batch} from the current line. */
    void read(CsvLineReader lines, FlowBatch batch, int r) {
        batch.flowId[r] = column[FLOW_ID] < 0 ? null : flowId(lines, column[FLOW_ID]);
        batch.srcAddress[r] = column[SRC_ADDRESS] < 0 ? null : address(lines, SRC_ADDRESS);
        batch.dstAddress[r] = column[DST_ADDRESS] < 0 ? null : address(lines, DST_ADDRESS);
        batch.srcPort[r] = column[SRC_PORT] < 0 ? FlowBatch.UNKNOWN : whole(lines, SRC_PORT, 65_535);
        batch.dstPort[r] = column[DST_PORT] < 0 ? FlowBatch.UNKNOWN : whole(lines, DST_PORT, 65_535);
        batch.protocol[r] = column[PROTOCOL] < 0 ? FlowBatch.UNKNOWN : whole(lines, PROTOCOL, 255);
        long start = column[START] < 0 ? FlowBatch.NO_TIME : time(lines, START);
        long end;
        if (column[END] >= 0) {
            end = time(lines, END);
        } else if (start != FlowBatch.NO_TIME && durationColumn >= 0) {
            double duration = lines.plainNumber(durationColumn);
            end = duration >= 0 && duration < 1e15 ? start + (long) duration : FlowBatch.NO_TIME;
        } else {
            end = FlowBatch.NO_TIME;
        }
        batch.startMicros[r] = start;
        batch.endMicros[r] = end;
    }

    private String flowId(CsvLineReader lines, int c) {
        int s = lines.valueStart(c);
        int e = lines.valueEnd(c);
        return s == e ? null : flowIds.intern(lines.bytes(), s, e);
    }

    private String address(CsvLineReader lines, int part) {
        int c = column[part];
        int s = lines.valueStart(c);
        int e = lines.valueEnd(c);
        if (s == e) {
            return null;
        }
        if (IpAddresses.parse(lines.bytes(), s, e, scratch) == 0) {
            unreadable(lines, part);
            return null;
        }
        return addresses.intern(lines.bytes(), s, e);
    }

    private int whole(CsvLineReader lines, int part, int max) {
        int c = column[part];
        double v = lines.plainNumber(c);
        if (v >= 0 && v <= max && v == Math.rint(v)) {
            return (int) v;
        }
        if (lines.valueStart(c) != lines.valueEnd(c)) {
            unreadable(lines, part);
        }
        return FlowBatch.UNKNOWN;
    }

    private long time(CsvLineReader lines, int part) {
        int c = column[part];
        int s = lines.valueStart(c);
        int e = lines.valueEnd(c);
        if (s == e) {
            return FlowBatch.NO_TIME;
        }
        long t = FlowTimestamps.parse(lines.bytes(), s, e);
        if (t == FlowTimestamps.INVALID) {
            unreadable(lines, part);
            return FlowBatch.NO_TIME;
        }
        return t;
    }

    private void unreadable(CsvLineReader lines, int part) {
        if (unreadable[part]++ == 0) {
            firstUnreadable[part] = "line " + lines.lineNumber() + ", column " + (column[part] + 1) + ": \"" + lines.excerpt(column[part]) + "\"";
        }
    }

    /** Values per identity part that could not be read, worded for an analysis's notes. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (int p = 0; p < PARTS; p++) {
            if (unreadable[p] > 0) {
                notes.add(unreadable[p] + (unreadable[p] == 1 ? " " + WHAT[p] + " value" : " " + WHAT[p] + " values")
                        + " could not be read and " + (unreadable[p] == 1 ? "was" : "were") + " left empty (first at "
                        + firstUnreadable[p] + ")");
            }
        }
        return notes;
    }

    /** Unreadable values of all identity parts. */
    long unreadable() {
        long n = 0;
        for (long u : unreadable) {
            n += u;
        }
        return n;
    }
}
