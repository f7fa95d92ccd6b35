package io.anomalyze.read.flow;

import io.anomalyze.read.CsvLineReader;
import io.anomalyze.read.FlowTimestampReader;
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
 *
 * <p>Reading a row's identity makes no object: addresses are shared Strings (and a row that
 * repeats the previous row's address is not even looked up), a Flow ID that is the row's own
 * five-tuple is marked rather than copied (see {@link FlowBatch#flowId(int)}), times reuse the
 * previous row's minute ({@link FlowTimestampReader}).
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
    /** Per address part: the previous row's text (up to 64 bytes) and its String, or null. */
    private final byte[][] lastAddressText = new byte[PARTS][];
    private final int[] lastAddressLength = new int[PARTS];
    private final String[] lastAddress = new String[PARTS];
    private final FlowTimestampReader startTimes = new FlowTimestampReader();
    private final FlowTimestampReader endTimes = new FlowTimestampReader();
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
        batch.srcAddress[r] = column[SRC_ADDRESS] < 0 ? null : address(lines, SRC_ADDRESS);
        batch.dstAddress[r] = column[DST_ADDRESS] < 0 ? null : address(lines, DST_ADDRESS);
        batch.srcPort[r] = column[SRC_PORT] < 0 ? FlowBatch.UNKNOWN : whole(lines, SRC_PORT, 65_535);
        batch.dstPort[r] = column[DST_PORT] < 0 ? FlowBatch.UNKNOWN : whole(lines, DST_PORT, 65_535);
        batch.protocol[r] = column[PROTOCOL] < 0 ? FlowBatch.UNKNOWN : whole(lines, PROTOCOL, 255);
        batch.flowId[r] = column[FLOW_ID] < 0 ? null : flowId(lines, batch, r);
        long start = column[START] < 0 ? FlowBatch.NO_TIME : time(lines, START, startTimes);
        long end;
        if (column[END] >= 0) {
            end = time(lines, END, endTimes);
        } else if (start != FlowBatch.NO_TIME && durationColumn >= 0) {
            double duration = lines.plainNumber(durationColumn);
            end = duration >= 0 && duration < 1e15 ? start + (long) duration : FlowBatch.NO_TIME;
        } else {
            end = FlowBatch.NO_TIME;
        }
        batch.startMicros[r] = start;
        batch.endMicros[r] = end;
    }

    /** The Flow ID: a mark when it is the row's five-tuple either way round, else its shared text. */
    private String flowId(CsvLineReader lines, FlowBatch batch, int r) {
        int s = lines.valueStart(column[FLOW_ID]);
        int e = lines.valueEnd(column[FLOW_ID]);
        if (s == e) {
            return null;
        }
        if (batch.srcAddress[r] != null && batch.dstAddress[r] != null && batch.srcPort[r] >= 0 && batch.dstPort[r] >= 0
                && batch.protocol[r] >= 0) {
            byte[] b = lines.bytes();
            int srcStart = lines.valueStart(column[SRC_ADDRESS]);
            int srcEnd = lines.valueEnd(column[SRC_ADDRESS]);
            int dstStart = lines.valueStart(column[DST_ADDRESS]);
            int dstEnd = lines.valueEnd(column[DST_ADDRESS]);
            if (isTuple(b, s, e, srcStart, srcEnd, dstStart, dstEnd, batch.srcPort[r], batch.dstPort[r], batch.protocol[r])) {
                return FlowBatch.FLOW_ID_FORWARD;
            }
            if (isTuple(b, s, e, dstStart, dstEnd, srcStart, srcEnd, batch.dstPort[r], batch.srcPort[r], batch.protocol[r])) {
                return FlowBatch.FLOW_ID_REVERSE;
            }
        }
        return flowIds.intern(lines.bytes(), s, e);
    }

    /** True when {@code b[s, e)} is {@code b[aStart, aEnd)-b[bStart, bEnd)-portA-portB-protocol}, ports in plain decimal. */
    private static boolean isTuple(byte[] b, int s, int e, int aStart, int aEnd, int bStart, int bEnd, int portA, int portB,
            int protocol) {
        int i = matchText(b, s, e, aStart, aEnd);
        i = matchDash(b, i, e);
        i = matchText(b, i, e, bStart, bEnd);
        i = matchDash(b, i, e);
        i = matchNumber(b, i, e, portA);
        i = matchDash(b, i, e);
        i = matchNumber(b, i, e, portB);
        i = matchDash(b, i, e);
        i = matchNumber(b, i, e, protocol);
        return i == e;
    }

    private static int matchText(byte[] b, int i, int e, int from, int to) {
        int n = to - from;
        return i >= 0 && e - i >= n && java.util.Arrays.equals(b, i, i + n, b, from, to) ? i + n : -1;
    }

    private static int matchDash(byte[] b, int i, int e) {
        return i >= 0 && i < e && b[i] == '-' ? i + 1 : -1;
    }

    /** Matches {@code value} written in decimal without leading zeros. */
    private static int matchNumber(byte[] b, int i, int e, int value) {
        if (i < 0) {
            return -1;
        }
        int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1_000 ? 3 : value < 10_000 ? 4 : 5;
        if (e - i < digits) {
            return -1;
        }
        for (int k = digits - 1, v = value; k >= 0; k--, v /= 10) {
            if (b[i + k] != '0' + v % 10) {
                return -1;
            }
        }
        return i + digits;
    }

    private String address(CsvLineReader lines, int part) {
        int c = column[part];
        int s = lines.valueStart(c);
        int e = lines.valueEnd(c);
        if (s == e) {
            return null;
        }
        byte[] b = lines.bytes();
        byte[] last = lastAddressText[part];
        if (last != null && lastAddressLength[part] == e - s && java.util.Arrays.equals(last, 0, e - s, b, s, e)) {
            return lastAddress[part];
        }
        if (IpAddresses.parse(b, s, e, scratch) == 0) {
            unreadable(lines, part);
            return null;
        }
        String address = addresses.intern(b, s, e);
        if (e - s <= 64) {
            if (last == null) {
                last = lastAddressText[part] = new byte[64];
            }
            System.arraycopy(b, s, last, 0, e - s);
            lastAddressLength[part] = e - s;
            lastAddress[part] = address;
        }
        return address;
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

    private long time(CsvLineReader lines, int part, FlowTimestampReader times) {
        int c = column[part];
        int s = lines.valueStart(c);
        int e = lines.valueEnd(c);
        if (s == e) {
            return FlowBatch.NO_TIME;
        }
        long t = times.parse(lines.bytes(), s, e);
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
