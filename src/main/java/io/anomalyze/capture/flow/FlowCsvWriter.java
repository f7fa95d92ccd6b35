package io.anomalyze.capture.flow;

import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.report.IsoTimeText;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes flows as CICFlowMeter-style CSV: {@code Flow ID, Src IP, Src Port, Dst IP, Dst Port,
 * Protocol, Timestamp} (ISO-8601 UTC with microseconds), the 78 features under their
 * CICIDS2017 names, and an empty {@code Label}. Rows are encoded into a byte buffer by hand:
 * addresses, ports, timestamps and whole numbers (most feature values) without going through
 * {@code String}.
 */
public final class FlowCsvWriter implements FlowSink, AutoCloseable {

    /** Room the identity columns need at most: two IPv6 addresses twice, ports, protocol, a timestamp of a far year. */
    private static final int MAX_IDENTITY = 4 * 39 + 4 * 5 + 2 * 3 + 40 + 16;

    /** {@code ,0} once per feature: the cells of a run of zero values. */
    private static final byte[] ZERO_CELLS = ",0".repeat(FlowFeatures.COUNT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public static final String IDENTITY_HEADER = "Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp";

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private final double[] features = new double[FlowFeatures.COUNT];
    private final StringBuilder text = new StringBuilder(64);
    private long rows;
    private IOException failure;

    public FlowCsvWriter(OutputStream out) throws IOException {
        this.out = out;
        StringBuilder header = new StringBuilder(IDENTITY_HEADER);
        for (String name : FlowFeatures.NAMES) {
            header.append(',').append(name);
        }
        header.append(",Label\n");
        ascii(header);
    }

    /** Writes one flow; an I/O failure is kept and thrown by {@link #flush} or {@link #close}. */
    @Override
    public void accept(Flow flow) {
        if (failure != null) {
            return;
        }
        try {
            write(flow);
        } catch (IOException e) {
            failure = e;
        }
    }

    public void write(Flow flow) throws IOException {
        flow.features(features, 0);
        write(flow.srcHigh(), flow.srcLow(), flow.dstHigh(), flow.dstLow(), flow.srcPort(), flow.dstPort(), flow.protocol(),
                flow.startMicros(), features, 0);
    }

    /** Writes one row from a flow's identity and its 78 features at {@code offset} of {@code values}. */
    public void write(long srcHigh, long srcLow, long dstHigh, long dstLow, int srcPort, int dstPort, int protocol,
                      long startMicros, double[] values, int offset) throws IOException {
        if (position + MAX_IDENTITY > buffer.length) {
            drain();
        }
        byte[] b = buffer;
        // Flow ID (source-destination-ports-protocol), then the same parts as columns.
        int src = position;
        int p = address(srcHigh, srcLow, src);
        int srcEnd = p;
        b[p++] = '-';
        int dst = p;
        p = address(dstHigh, dstLow, dst);
        int dstEnd = p;
        b[p++] = '-';
        p = whole(srcPort, p);
        b[p++] = '-';
        p = whole(dstPort, p);
        b[p++] = '-';
        p = whole(protocol, p);
        b[p++] = ',';
        System.arraycopy(b, src, b, p, srcEnd - src);
        p += srcEnd - src;
        b[p++] = ',';
        p = whole(srcPort, p);
        b[p++] = ',';
        System.arraycopy(b, dst, b, p, dstEnd - dst);
        p += dstEnd - dst;
        b[p++] = ',';
        p = whole(dstPort, p);
        b[p++] = ',';
        p = whole(protocol, p);
        b[p++] = ',';
        position = timestamp(startMicros, p);
        for (int i = offset, end = offset + FlowFeatures.COUNT; i < end; ) {
            if (position + ZERO_CELLS.length + 32 > buffer.length) {
                drain();
            }
            if (values[i] == 0) {
                // Zeros come in runs (no bulk transfer, no backward packets, unset flags): one copy per run.
                int run = i + 1;
                while (run < end && values[run] == 0) {
                    run++;
                }
                int bytes = 2 * (run - i);
                System.arraycopy(ZERO_CELLS, 0, buffer, position, bytes);
                position += bytes;
                i = run;
            } else {
                buffer[position++] = ',';
                number(values[i]);
                i++;
            }
        }
        if (position + 8 > buffer.length) {
            drain();
        }
        buffer[position++] = ',';
        buffer[position++] = '\n';
        rows++;
    }

    /** Writes an address at {@code p}; returns the position after it. */
    private int address(long high, long low, int p) {
        if (AddressText.isIpv4(high, low)) {
            byte[] b = buffer;
            for (int shift = 24; shift >= 0; shift -= 8) {
                p = whole((int) (low >>> shift) & 0xff, p);
                b[p++] = '.';
            }
            return p - 1;
        }
        text.setLength(0);
        AddressText.append(text, high, low);
        for (int i = 0; i < text.length(); i++) {
            buffer[p++] = (byte) text.charAt(i);
        }
        return p;
    }

    /** Writes a non-negative int at {@code p}; returns the position after it. */
    private int whole(int v, int p) {
        byte[] b = buffer;
        int digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : Integer.toString(v).length();
        int end = p + digits;
        for (int i = end - 1; i >= p; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /** Writes {@code 2025-03-11T15:16:43.245565Z} at {@code p}; returns the position after it. */
    private int timestamp(long micros, int p) {
        long second = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        byte[] b = buffer;
        int end = IsoTimeText.writeSecond(second, b, p);
        p = end >= 0 ? end : distantSecond(second, p);
        b[p++] = '.';
        for (int i = p + 5; i >= p; i--) {
            b[i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        p += 6;
        b[p++] = 'Z';
        return p;
    }

    /** A second of a year before 0 or after 9999, as {@link LocalDateTime} writes it (with its seconds). */
    private int distantSecond(long second, int p) {
        String text = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
        if (Math.floorMod(second, 60) == 0) {
            text += ":00"; // LocalDateTime leaves out zero seconds
        }
        for (int i = 0; i < text.length(); i++) {
            buffer[p++] = (byte) text.charAt(i);
        }
        return p;
    }

    private void number(double v) {
        int small = (int) v;
        if (small == v && small > -100_000 && small < 100_000) {
            // Counts, flags, ports, lengths and the -1 of rates without duration: most values of most rows.
            if (small < 0) {
                buffer[position++] = '-';
                small = -small;
            }
            position = whole(small, position);
            return;
        }
        long whole = (long) v;
        if (whole == v && Math.abs(v) < 1e15) {
            if (whole < 0) {
                buffer[position++] = '-';
                whole = -whole;
            }
            if (whole == 0) {
                buffer[position++] = '0';
                return;
            }
            int digits = 0;
            for (long w = whole; w > 0; w /= 10) {
                digits++;
            }
            int end = position + digits;
            for (int i = end - 1; i >= position; i--) {
                buffer[i] = (byte) ('0' + whole % 10);
                whole /= 10;
            }
            position = end;
        } else {
            String s = Double.isFinite(v) ? Double.toString(v) : "0";
            for (int i = 0; i < s.length(); i++) {
                buffer[position++] = (byte) s.charAt(i);
            }
        }
    }

    private void ascii(CharSequence s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            if (position == buffer.length) {
                drain();
            }
            buffer[position++] = (byte) s.charAt(i);
        }
    }

    private void drain() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
    }

    public long rows() {
        return rows;
    }

    public void flush() throws IOException {
        if (failure != null) {
            throw failure;
        }
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
