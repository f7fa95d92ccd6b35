package io.anomalyze.read.flow;

/**
 * A reusable block of flow records in primitive arrays: the 78 features row-major as floats
 * (the model's input type), the normalised labels, the line numbers and each flow's identity
 * (who talked to whom, when) where the input carries it.
 */
public final class FlowBatch {

    public final int capacity;
    /** {@code size * 78} values, row-major, in {@link FlowFeatures#NAMES} order. */
    public final float[] features;
    /** The normalised label (see {@link FlowLabels#normalise}), or null when the file has none. */
    public final String[] label;
    public final long[] line;
    /**
     * CICFlowMeter's Flow ID text, or null when the input has none, or {@link #FLOW_ID_FORWARD} or
     * {@link #FLOW_ID_REVERSE} when it is the row's own addresses, ports and protocol joined by
     * dashes: read it with {@link #flowId(int)}.
     */
    public final String[] flowId;
    /** Source and destination address as text, or null when unknown. */
    public final String[] srcAddress;
    public final String[] dstAddress;
    /** Ports, or {@link #UNKNOWN} when unknown. */
    public final int[] srcPort;
    public final int[] dstPort;
    /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6), or {@link #UNKNOWN}. */
    public final int[] protocol;
    /** First and last packet time, microseconds since 1970-01-01T00:00Z, or {@link #NO_TIME}. */
    public final long[] startMicros;
    public final long[] endMicros;
    int size;

    /** An identity number (port, protocol) the input does not give. */
    public static final int UNKNOWN = -1;
    /** A time the input does not give. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** In {@link #flowId}: the Flow ID is {@code src-dst-srcPort-dstPort-protocol}. */
    public static final String FLOW_ID_FORWARD = new String("src-dst-srcPort-dstPort-protocol");
    /** In {@link #flowId}: the Flow ID is {@code dst-src-dstPort-srcPort-protocol}. */
    public static final String FLOW_ID_REVERSE = new String("dst-src-dstPort-srcPort-protocol");

    public FlowBatch(int capacity) {
        this.capacity = capacity;
        this.features = new float[capacity * FlowFeatures.COUNT];
        this.label = new String[capacity];
        this.line = new long[capacity];
        this.flowId = new String[capacity];
        this.srcAddress = new String[capacity];
        this.dstAddress = new String[capacity];
        this.srcPort = new int[capacity];
        this.dstPort = new int[capacity];
        this.protocol = new int[capacity];
        this.startMicros = new long[capacity];
        this.endMicros = new long[capacity];
        java.util.Arrays.fill(srcPort, UNKNOWN);
        java.util.Arrays.fill(dstPort, UNKNOWN);
        java.util.Arrays.fill(protocol, UNKNOWN);
        java.util.Arrays.fill(startMicros, NO_TIME);
        java.util.Arrays.fill(endMicros, NO_TIME);
    }

    /** Forgets row {@code r}'s Flow ID, addresses, ports, protocol and times. */
    public void clearIdentity(int r) {
        flowId[r] = null;
        srcAddress[r] = null;
        dstAddress[r] = null;
        srcPort[r] = UNKNOWN;
        dstPort[r] = UNKNOWN;
        protocol[r] = UNKNOWN;
        startMicros[r] = NO_TIME;
        endMicros[r] = NO_TIME;
    }

    /**
     * The IANA number of a protocol named tcp, udp, icmp or icmpv6 (any case) or given as a
     * number from 0 to 255; else {@link #UNKNOWN}.
     */
    public static int protocolNumber(String text) {
        // The usual spellings first, without making a trimmed lower-case copy of every record's protocol.
        int usual = namedProtocol(text);
        return usual != UNKNOWN ? usual : protocolOf(text.strip().toLowerCase(java.util.Locale.ROOT));
    }

    private static int protocolOf(String lowerCase) {
        int named = namedProtocol(lowerCase);
        if (named != UNKNOWN) {
            return named;
        }
        try {
            int n = Integer.parseInt(lowerCase);
            return n >= 0 && n <= 255 ? n : UNKNOWN;
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    private static int namedProtocol(String lowerCase) {
        return switch (lowerCase) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "ipv6-icmp", "icmpv6" -> 58;
            default -> UNKNOWN;
        };
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /**
     * Reserves the next row for a producer outside this package (such as the capture flow
     * builder) and returns its index; the caller fills every array at that index.
     */
    public int addRow() {
        if (size == capacity) {
            throw new IllegalStateException("the batch is full (" + capacity + " rows)");
        }
        return size++;
    }

    /**
     * The Flow ID of row {@code r} as the input wrote it, or null. Most Flow IDs are the flow's
     * five-tuple, which readers mark instead of keeping a text per row; it is made here, when
     * a verdict needs it.
     */
    public String flowId(int r) {
        String id = flowId[r];
        if (id == FLOW_ID_FORWARD) {
            return srcAddress[r] + '-' + dstAddress[r] + '-' + srcPort[r] + '-' + dstPort[r] + '-' + protocol[r];
        }
        if (id == FLOW_ID_REVERSE) {
            return dstAddress[r] + '-' + srcAddress[r] + '-' + dstPort[r] + '-' + srcPort[r] + '-' + protocol[r];
        }
        return id;
    }

    /** Feature {@code i} of row {@code r}. */
    public float feature(int row, int i) {
        return features[row * FlowFeatures.COUNT + i];
    }

    /** The row's 78 feature values as text, for display and export. */
    public String[] featureTexts(int row) {
        String[] out = new String[FlowFeatures.COUNT];
        for (int i = 0; i < out.length; i++) {
            out[i] = format(feature(row, i));
        }
        return out;
    }

    /** Whole numbers without a fraction, others in the shortest float form. */
    public static String format(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9f ? Long.toString((long) v) : Float.toString(v);
    }
}
