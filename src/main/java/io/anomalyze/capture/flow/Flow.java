package io.anomalyze.capture.flow;

import io.anomalyze.capture.Packet;
import io.anomalyze.read.flow.FlowFeatures;

/**
 * One bidirectional flow being built: its identity (the forward direction is fixed when the flow
 * starts) and running statistics from which the 78 CICIDS2017 features are computed the way the
 * corrected CICFlowMeter computes them. Instances are pooled and reused by {@link FlowTable}, so
 * building flows allocates nothing per packet; a flow of one packet is kept in the table's
 * arrays and replayed into a {@code Flow} only when it grows or ends.
 *
 * <p>Lengths are transport payload bytes (none for ICMP, as in CICFlowMeter); header lengths are TCP and UDP header bytes (ICMP
 * counts 0, as in CICFlowMeter). A packet is forward when its source address is the flow's
 * source address (ports are not compared, so traffic between two ports of one host is all
 * forward, as in CICFlowMeter).
 */
public final class Flow {

    static final int TCP_OPEN = 0;
    static final int TCP_FIRST_FIN = 1;
    static final int TCP_SECOND_FIN = 2;
    /** FIN seen both ways and the last ACK, or an RST: a SYN now starts a new flow. */
    static final int TCP_CLOSED = 3;

    private static final double MICROS_PER_SECOND = 1_000_000L;
    /** Packets closer than this belong to the same bulk or subflow (CICFlowMeter's 1 s). */
    private static final double ONE_SECOND = 1.0;

    // identity
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int srcPort;
    int dstPort;
    int protocol;
    int ipVersion;
    int icmpType;
    int icmpCode;

    int tcpState;

    private long activityTimeout;
    long start;
    long lastSeen;
    private long fwdLastSeen;
    private long bwdLastSeen;

    private final RunningStats fwdLength = new RunningStats();
    private final RunningStats bwdLength = new RunningStats();
    private final RunningStats length = new RunningStats();
    private final RunningStats flowIat = new RunningStats();
    private final RunningStats fwdIat = new RunningStats();
    private final RunningStats bwdIat = new RunningStats();
    private final RunningStats active = new RunningStats();
    private final RunningStats idle = new RunningStats();

    private long fwdHeaderBytes;
    private long bwdHeaderBytes;
    private int fwdPsh;
    private int bwdPsh;
    private int fwdUrg;
    private int bwdUrg;
    int fwdFin;
    int bwdFin;
    private int fin;
    private int syn;
    private int rst;
    private int psh;
    private int ack;
    private int urg;
    private int cwr;
    private int ece;
    private long fwdActData;
    private long fwdMinSegment;
    private long bwdMinSegment;
    private int fwdInitWindow;
    private int bwdInitWindow;

    private long activeStart;
    private long activeEnd;
    private long subflowLastSeen;
    private int subflows;

    private final Bulk fwdBulk = new Bulk();
    private final Bulk bwdBulk = new Bulk();

    /** Bulk transfer tracking of one direction, as CICFlowMeter defines a bulk (4+ data packets, gaps under 1 s). */
    private static final class Bulk {
        long duration;
        long packets;
        long bytes;
        long count;
        long runPackets;
        long runStart;
        long runBytes;
        long lastTime;

        void reset() {
            duration = 0;
            packets = 0;
            bytes = 0;
            count = 0;
            runPackets = 0;
            runStart = 0;
            runBytes = 0;
            lastTime = 0;
        }

        void add(long time, long size, long otherDirectionLastBulkTime) {
            if (otherDirectionLastBulkTime > runStart) {
                runStart = 0;
            }
            if (size <= 0) {
                return;
            }
            if (runStart == 0) {
                runStart = time;
                runPackets = 1;
                runBytes = size;
                lastTime = time;
            } else if ((time - lastTime) / MICROS_PER_SECOND > ONE_SECOND) {
                runStart = time;
                lastTime = time;
                runPackets = 1;
                runBytes = size;
            } else {
                runPackets++;
                runBytes += size;
                if (runPackets == 4) {
                    count++;
                    packets += runPackets;
                    bytes += runBytes;
                    duration += time - runStart;
                } else if (runPackets > 4) {
                    packets++;
                    bytes += size;
                    duration += time - lastTime;
                }
                lastTime = time;
            }
        }

        double bytesPerBulk() {
            return count != 0 ? (double) bytes / count : 0;
        }

        double packetsPerBulk() {
            return count != 0 ? (double) packets / count : 0;
        }

        double rate() {
            return duration != 0 ? bytes / (duration / MICROS_PER_SECOND) : 0;
        }
    }

    /**
     * Starts the flow with its first packet.
     *
     * @param packetIsForward whether the packet goes in the flow's forward direction (false when
     *                        a SYN-ACK opens the flow: its receiver is the client)
     */
    void begin(Packet p, boolean packetIsForward, long activityTimeoutMicros) {
        reset();
        activityTimeout = activityTimeoutMicros;
        protocol = p.protocol;
        ipVersion = p.ipVersion;
        icmpType = p.icmpType;
        icmpCode = p.icmpCode;
        if (packetIsForward) {
            srcHigh = p.srcHigh;
            srcLow = p.srcLow;
            srcPort = p.srcPort;
            dstHigh = p.dstHigh;
            dstLow = p.dstLow;
            dstPort = p.dstPort;
        } else {
            srcHigh = p.dstHigh;
            srcLow = p.dstLow;
            srcPort = p.dstPort;
            dstHigh = p.srcHigh;
            dstLow = p.srcLow;
            dstPort = p.srcPort;
        }
        long t = p.timestampMicros;
        boolean forward = isForward(p);
        bulk(p, forward);
        countFlags(p.tcpFlags);
        activeEnd = t;
        start = t;
        lastSeen = t;
        activeStart = t;
        subflow(t);
        int payload = payloadBytes(p);
        int header = headerBytes(p);
        length.add(payload);
        if (forward) {
            fwdMinSegment = header;
            fwdInitWindow = p.tcpWindow;
            fwdLength.add(payload);
            fwdHeaderBytes = header;
            fwdLastSeen = t;
            if (payload >= 1) {
                fwdActData++;
            }
            directionFlags(p.tcpFlags, true);
        } else {
            bwdMinSegment = header;
            bwdInitWindow = p.tcpWindow;
            bwdLength.add(payload);
            bwdHeaderBytes = header;
            bwdLastSeen = t;
            directionFlags(p.tcpFlags, false);
        }
    }

    /** Starts the flow with its first packet in the direction of an earlier flow of the same connection. */
    void beginLike(Packet p, long earlierSrcHigh, long earlierSrcLow, long activityTimeoutMicros) {
        begin(p, p.srcHigh == earlierSrcHigh && p.srcLow == earlierSrcLow, activityTimeoutMicros);
    }

    /** Adds a later packet: first the active/idle bookkeeping, then the packet's statistics. */
    void add(Packet p) {
        long t = p.timestampMicros;
        updateActiveIdle(t);
        boolean forward = isForward(p);
        bulk(p, forward);
        subflow(t);
        countFlags(p.tcpFlags);
        int payload = payloadBytes(p);
        int header = headerBytes(p);
        length.add(payload);
        if (forward) {
            if (payload >= 1) {
                fwdActData++;
            }
            fwdLength.add(payload);
            fwdHeaderBytes += header;
            if (fwdLength.n > 1) {
                fwdIat.add(t - fwdLastSeen);
            }
            fwdLastSeen = t;
            fwdMinSegment = Math.min(header, fwdMinSegment);
            directionFlags(p.tcpFlags, true);
        } else {
            bwdLength.add(payload);
            if (bwdInitWindow == 0) {
                bwdInitWindow = p.tcpWindow;
            }
            bwdHeaderBytes += header;
            if (bwdLength.n > 1) {
                bwdIat.add(t - bwdLastSeen);
            }
            bwdLastSeen = t;
            bwdMinSegment = Math.min(header, bwdMinSegment);
            directionFlags(p.tcpFlags, false);
        }
        flowIat.add(t - lastSeen);
        lastSeen = t;
    }

    boolean isForward(Packet p) {
        return p.srcHigh == srcHigh && p.srcLow == srcLow;
    }

    /** CICFlowMeter counts no payload for ICMP packets. */
    private static int payloadBytes(Packet p) {
        return p.protocol == Packet.ICMP || p.protocol == Packet.ICMPV6 ? 0 : p.payloadLength;
    }

    private static int headerBytes(Packet p) {
        return p.protocol == Packet.TCP || p.protocol == Packet.UDP ? p.transportHeaderLength : 0;
    }

    private void bulk(Packet p, boolean forward) {
        if (forward) {
            fwdBulk.add(p.timestampMicros, payloadBytes(p), bwdBulk.lastTime);
        } else {
            bwdBulk.add(p.timestampMicros, payloadBytes(p), fwdBulk.lastTime);
        }
    }

    private void subflow(long t) {
        if (subflowLastSeen == -1) {
            subflowLastSeen = t;
        }
        if ((t - subflowLastSeen) / MICROS_PER_SECOND > ONE_SECOND) {
            subflows++;
            updateActiveIdle(t);
        }
        subflowLastSeen = t;
    }

    private void updateActiveIdle(long t) {
        if (t - activeEnd > activityTimeout) {
            if (activeEnd - activeStart > 0) {
                active.add(activeEnd - activeStart);
            }
            idle.add(t - activeEnd);
            activeStart = t;
            activeEnd = t;
        } else {
            activeEnd = t;
        }
    }

    private void countFlags(int flags) {
        if (flags == 0) {
            return;
        }
        fin += flags & Packet.FIN;
        syn += (flags >> 1) & 1;
        rst += (flags >> 2) & 1;
        psh += (flags >> 3) & 1;
        ack += (flags >> 4) & 1;
        urg += (flags >> 5) & 1;
        ece += (flags >> 6) & 1;
        cwr += (flags >> 7) & 1;
    }

    private void directionFlags(int flags, boolean forward) {
        if (forward) {
            fwdPsh += (flags >> 3) & 1;
            fwdUrg += (flags >> 5) & 1;
            fwdFin += flags & Packet.FIN;
        } else {
            bwdPsh += (flags >> 3) & 1;
            bwdUrg += (flags >> 5) & 1;
            bwdFin += flags & Packet.FIN;
        }
    }

    private void reset() {
        tcpState = TCP_OPEN;
        fwdLength.reset();
        bwdLength.reset();
        length.reset();
        flowIat.reset();
        fwdIat.reset();
        bwdIat.reset();
        active.reset();
        idle.reset();
        fwdLastSeen = 0;
        bwdLastSeen = 0;
        fwdHeaderBytes = 0;
        bwdHeaderBytes = 0;
        fwdPsh = 0;
        bwdPsh = 0;
        fwdUrg = 0;
        bwdUrg = 0;
        fwdFin = 0;
        bwdFin = 0;
        fin = 0;
        syn = 0;
        rst = 0;
        psh = 0;
        ack = 0;
        urg = 0;
        cwr = 0;
        ece = 0;
        fwdActData = 0;
        fwdMinSegment = 0;
        bwdMinSegment = 0;
        fwdInitWindow = 0;
        bwdInitWindow = 0;
        subflowLastSeen = -1;
        subflows = 0;
        fwdBulk.reset();
        bwdBulk.reset();
    }

    // ---- identity ----

    public long srcHigh() {
        return srcHigh;
    }

    public long srcLow() {
        return srcLow;
    }

    public long dstHigh() {
        return dstHigh;
    }

    public long dstLow() {
        return dstLow;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public int protocol() {
        return protocol;
    }

    /** Time of the first packet, microseconds since the epoch (UTC). */
    public long startMicros() {
        return start;
    }

    /** Time of the last packet, microseconds since the epoch (UTC). */
    public long endMicros() {
        return lastSeen;
    }

    public long packets() {
        return fwdLength.n + bwdLength.n;
    }

    /**
     * Writes the 78 features in {@link FlowFeatures#NAMES} order.
     *
     * @param out    destination
     * @param offset index of the first feature in {@code out}
     */
    public void features(double[] out, int offset) {
        long duration = lastSeen - start;
        double seconds = duration / MICROS_PER_SECOND;
        long fwdPackets = fwdLength.n;
        long bwdPackets = bwdLength.n;
        long packets = fwdPackets + bwdPackets;
        double bytes = fwdLength.sum + bwdLength.sum;
        int o = offset;
        out[o] = dstPort;
        out[o + 1] = duration;
        out[o + 2] = fwdPackets;
        out[o + 3] = bwdPackets;
        out[o + 4] = fwdLength.sum;
        out[o + 5] = bwdLength.sum;
        out[o + 6] = fwdLength.maxOrZero();
        out[o + 7] = fwdLength.minOrZero();
        out[o + 8] = fwdLength.mean();
        out[o + 9] = fwdLength.std();
        out[o + 10] = bwdLength.maxOrZero();
        out[o + 11] = bwdLength.minOrZero();
        out[o + 12] = bwdLength.mean();
        out[o + 13] = bwdLength.std();
        // The corrected CICFlowMeter writes -1 rather than Infinity/NaN for a zero-length flow.
        out[o + 14] = duration != 0 ? bytes / seconds : -1;
        out[o + 15] = duration != 0 ? packets / seconds : -1;
        out[o + 16] = flowIat.mean();
        out[o + 17] = flowIat.std();
        out[o + 18] = flowIat.maxOrZero();
        out[o + 19] = flowIat.minOrZero();
        boolean fwdIats = fwdPackets > 1;
        out[o + 20] = fwdIats ? fwdIat.sum : 0;
        out[o + 21] = fwdIats ? fwdIat.mean() : 0;
        out[o + 22] = fwdIats ? fwdIat.std() : 0;
        out[o + 23] = fwdIats ? fwdIat.maxOrZero() : 0;
        out[o + 24] = fwdIats ? fwdIat.minOrZero() : 0;
        boolean bwdIats = bwdPackets > 1;
        out[o + 25] = bwdIats ? bwdIat.sum : 0;
        out[o + 26] = bwdIats ? bwdIat.mean() : 0;
        out[o + 27] = bwdIats ? bwdIat.std() : 0;
        out[o + 28] = bwdIats ? bwdIat.maxOrZero() : 0;
        out[o + 29] = bwdIats ? bwdIat.minOrZero() : 0;
        out[o + 30] = fwdPsh;
        out[o + 31] = bwdPsh;
        out[o + 32] = fwdUrg;
        out[o + 33] = bwdUrg;
        out[o + 34] = fwdHeaderBytes;
        out[o + 35] = bwdHeaderBytes;
        out[o + 36] = duration > 0 ? fwdPackets / seconds : 0;
        out[o + 37] = duration > 0 ? bwdPackets / seconds : 0;
        out[o + 38] = length.minOrZero();
        out[o + 39] = length.maxOrZero();
        out[o + 40] = length.mean();
        out[o + 41] = length.std();
        out[o + 42] = length.variance();
        out[o + 43] = fin;
        out[o + 44] = syn;
        out[o + 45] = rst;
        out[o + 46] = psh;
        out[o + 47] = ack;
        out[o + 48] = urg;
        out[o + 49] = cwr;
        out[o + 50] = ece;
        out[o + 51] = fwdPackets > 0 ? (double) bwdPackets / fwdPackets : 0;
        out[o + 52] = packets > 0 ? length.sum / packets : 0;
        out[o + 53] = fwdPackets != 0 ? fwdLength.sum / fwdPackets : 0;
        out[o + 54] = bwdPackets != 0 ? bwdLength.sum / bwdPackets : 0;
        out[o + 55] = fwdHeaderBytes;
        out[o + 56] = fwdBulk.bytesPerBulk();
        out[o + 57] = fwdBulk.packetsPerBulk();
        out[o + 58] = fwdBulk.rate();
        out[o + 59] = bwdBulk.bytesPerBulk();
        out[o + 60] = bwdBulk.packetsPerBulk();
        out[o + 61] = bwdBulk.rate();
        out[o + 62] = subflows > 0 ? (double) fwdPackets / subflows : 0;
        out[o + 63] = subflows > 0 ? fwdLength.sum / subflows : 0;
        out[o + 64] = subflows > 0 ? (double) bwdPackets / subflows : 0;
        out[o + 65] = subflows > 0 ? bwdLength.sum / subflows : 0;
        out[o + 66] = fwdInitWindow;
        out[o + 67] = bwdInitWindow;
        out[o + 68] = fwdActData;
        out[o + 69] = fwdMinSegment;
        out[o + 70] = active.mean();
        out[o + 71] = active.std();
        out[o + 72] = active.maxOrZero();
        out[o + 73] = active.minOrZero();
        out[o + 74] = idle.mean();
        out[o + 75] = idle.std();
        out[o + 76] = idle.maxOrZero();
        out[o + 77] = idle.minOrZero();
    }

    /** The 78 features as a new array (for tests and one-off use; the hot path uses {@link #features(double[], int)}). */
    public double[] features() {
        double[] out = new double[FlowFeatures.COUNT];
        features(out, 0);
        return out;
    }
}
