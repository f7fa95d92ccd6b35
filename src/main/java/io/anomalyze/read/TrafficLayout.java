package io.anomalyze.read;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.connection.ConnectionLayout;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The record layouts Anomalyze reads, and recognition of a file's layout from its first lines:
 * connection records (41 to 43 fields with a protocol word in column 2, optionally under a
 * header), flow records (a CSV header naming CICFlowMeter features such as "Flow Duration") or a
 * packet capture (by its magic number), whose packets become flow records.
 */
public enum TrafficLayout {
    CONNECTION("connection records", "kmeans"),
    FLOW("flow records", "mlp"),
    /** A pcap or pcapng capture: its packets become flow records, scored by the flow detector. */
    CAPTURE("a packet capture", "mlp");

    /** Bytes looked at to recognise a layout; a header or first record longer than this is not recognised. */
    public static final int SNIFF_BYTES = 64 * 1024;

    /** Header names (normalised) that only flow exports carry. */
    private static final Set<String> FLOW_MARKERS = Set.of(
            "flowduration", "totalfwdpackets", "totfwdpkts", "flowbytess", "flowbyts/s", "destinationport", "dstport",
            "fwdpacketlengthmax", "flowiatmean");

    private final String description;
    private final String detectorKind;

    TrafficLayout(String description, String detectorKind) {
        this.description = description;
        this.detectorKind = detectorKind;
    }

    public String description() {
        return description;
    }

    /** The detector kind that scores this layout. */
    public String detectorKind() {
        return detectorKind;
    }

    /**
     * Looks at the start of a (decompressed) stream without consuming it.
     *
     * @throws InvalidInputException when the start fits no layout
     */
    public static TrafficLayout sniff(BufferedInputStream in, String source) throws IOException {
        in.mark(SNIFF_BYTES + 1);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        if (io.anomalyze.capture.CaptureFormat.looksLikeCapture(head)) {
            return CAPTURE;
        }
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(3).toList();
        if (lines.isEmpty()) {
            throw new InvalidInputException(source + ": the file is empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidInputException(source + ": this is binary data, not a text file of traffic records");
        }
        for (String cell : lines.get(0).split(",", -1)) {
            if (FLOW_MARKERS.contains(normalise(cell))) {
                return FLOW;
            }
        }
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length >= ConnectionLayout.FEATURE_COUNT && fields.length <= ConnectionLayout.FEATURE_COUNT + 2
                    && ConnectionLayout.PROTOCOLS.contains(fields[ConnectionLayout.PROTOCOL_COLUMN].strip().toLowerCase(Locale.ROOT))) {
                return CONNECTION;
            }
        }
        int fields = lines.get(0).split(",", -1).length;
        throw new InvalidInputException(source + ": cannot tell what this file holds (line 1 has " + fields
                + " comma-separated field" + (fields == 1 ? "" : "s") + "); expected connection records"
                + " (41 to 43 fields with tcp, udp or icmp in column 2) or flow records"
                + " (a CSV header naming CICFlowMeter features such as \"Flow Duration\")");
    }

    /** A header cell compared without case, spaces, underscores or stray quotes. */
    public static String normalise(String headerCell) {
        StringBuilder sb = new StringBuilder(headerCell.length());
        for (int i = 0; i < headerCell.length(); i++) {
            char c = Character.toLowerCase(headerCell.charAt(i));
            if (c != ' ' && c != '_' && c != '"' && c != '\t' && c != '\uFEFF') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
