package io.anomalyze.capture.flow;

import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes flows as CICFlowMeter-style CSV: {@code Flow ID, Src IP, Src Port, Dst IP, Dst Port,
 * Protocol, Timestamp} (ISO-8601 UTC with microseconds), the 78 features under their
 * CICIDS2017 names, and an empty {@code Label}. Rows are encoded into a byte buffer by hand:
 * whole numbers (most feature values) without going through {@code String}.
 */
public final class FlowCsvWriter implements FlowSink, AutoCloseable {

    public static final String IDENTITY_HEADER = "Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp";

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private final double[] features = new double[FlowFeatures.COUNT];
    private final StringBuilder text = new StringBuilder(128);
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText;
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
        StringBuilder t = text;
        t.setLength(0);
        int idStart = 0;
        AddressText.append(t, flow.srcHigh(), flow.srcLow());
        int srcEnd = t.length();
        t.append('-');
        AddressText.append(t, flow.dstHigh(), flow.dstLow());
        int dstEnd = t.length();
        t.append('-').append(flow.srcPort()).append('-').append(flow.dstPort()).append('-').append(flow.protocol());
        t.append(',').append(t, idStart, srcEnd).append(',').append(flow.srcPort())
                .append(',').append(t, srcEnd + 1, dstEnd).append(',').append(flow.dstPort())
                .append(',').append(flow.protocol()).append(',');
        appendTimestamp(t, flow.startMicros());
        ascii(t);
        flow.features(features, 0);
        for (double v : features) {
            if (position + 32 > buffer.length) {
                drain();
            }
            buffer[position++] = ',';
            number(v);
        }
        if (position + 8 > buffer.length) {
            drain();
        }
        buffer[position++] = ',';
        buffer[position++] = '\n';
        rows++;
    }

    /** {@code 2025-03-11T15:16:43.245565Z}. */
    private void appendTimestamp(StringBuilder t, long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedSecondText = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
            if (cachedSecondText.length() == 16) {
                cachedSecondText += ":00";
            }
        }
        t.append(cachedSecondText).append('.');
        String digits = Integer.toString(fraction);
        for (int i = digits.length(); i < 6; i++) {
            t.append('0');
        }
        t.append(digits).append('Z');
    }

    private void number(double v) {
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
