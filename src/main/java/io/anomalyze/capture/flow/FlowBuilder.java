package io.anomalyze.capture.flow;

import io.anomalyze.capture.Packet;

/**
 * Cuts a time-ordered packet stream into bidirectional flows by the rules of the corrected
 * CICFlowMeter (G. Engelen's fork):
 * <ul>
 *   <li>the first packet of a 5-tuple sets the forward direction, except a SYN-ACK, whose
 *       receiver is taken as the client;</li>
 *   <li>a packet arriving more than the flow timeout after its flow's first packet ends that
 *       flow and starts the next one (a TCP connection, or a UDP exchange without a gap longer
 *       than the flow timeout, keeps the earlier flow's direction);</li>
 *   <li>a TCP flow is closed by FIN in both directions followed by an ACK, or by an RST; the next
 *       SYN on its 5-tuple then starts a new flow, while stray packets still count to it;</li>
 *   <li>an ICMP packet whose type and code both differ from its flow's starts a new flow;</li>
 *   <li>every flow is kept, single-packet flows included.</li>
 * </ul>
 * To keep memory bounded, flows nobody has sent to for longer than the flow timeout are ended
 * as time moves on (CICFlowMeter would end them at their next packet or at the end of the
 * capture, with the same statistics), and past {@link FlowSettings#maxOpenFlows} the flow seen
 * least recently is ended early.
 */
public final class FlowBuilder {

    /** Timed-out flows ended per packet at most, so one packet never stalls on a long sweep. */
    private static final int SWEEP_PER_PACKET = 4;

    private final FlowSettings settings;
    private final FlowSink sink;
    private final FlowTable table = new FlowTable();
    private long packets;
    private long flows;
    private long evicted;
    private long latest = Long.MIN_VALUE;

    public FlowBuilder(FlowSettings settings, FlowSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** Adds one packet; may end and emit flows. */
    public void accept(Packet p) {
        packets++;
        long t = p.timestampMicros;
        if (t > latest) {
            latest = t;
        }
        int flags = p.tcpFlags;
        boolean syn = (flags & Packet.SYN) != 0;
        boolean synAck = syn && (flags & Packet.ACK) != 0;
        Flow f = table.find(p);
        if (f == null) {
            if (table.size() >= settings.maxOpenFlows()) {
                end(table.oldest());
                evicted++;
                table.find(p);
            }
            table.create().begin(p, !synAck, settings.activityTimeoutMicros());
        } else if (t - f.start > settings.flowTimeoutMicros() || f.tcpState == Flow.TCP_CLOSED && syn) {
            restart(f, p, syn, synAck);
        } else if ((flags & Packet.FIN) != 0) {
            f.add(p);
            if (f.tcpState == Flow.TCP_OPEN) {
                f.tcpState = Flow.TCP_FIRST_FIN;
            } else if (f.tcpState == Flow.TCP_FIRST_FIN && f.fwdFin > 0 && f.bwdFin > 0) {
                f.tcpState = Flow.TCP_SECOND_FIN;
            }
            table.touch(f);
        } else if ((flags & Packet.RST) != 0) {
            f.add(p);
            f.tcpState = Flow.TCP_CLOSED;
            table.touch(f);
        } else if ((flags & Packet.ACK) != 0) {
            f.add(p);
            if (f.tcpState == Flow.TCP_SECOND_FIN) {
                f.tcpState = Flow.TCP_CLOSED;
            }
            table.touch(f);
        } else if (f.protocol == Packet.ICMP && f.icmpCode != p.icmpCode && f.icmpType != p.icmpType) {
            emit(f);
            f.begin(p, true, settings.activityTimeoutMicros());
            table.touch(f);
        } else {
            f.add(p);
            table.touch(f);
        }
        sweep();
    }

    /** Ends the flow and starts the next one on the same 5-tuple with this packet. */
    private void restart(Flow f, Packet p, boolean syn, boolean synAck) {
        boolean closedAndSyn = f.tcpState == Flow.TCP_CLOSED && syn;
        boolean newUdpExchange = f.protocol == Packet.UDP && p.timestampMicros - f.lastSeen > settings.flowTimeoutMicros();
        boolean tcpOrUdp = p.protocol == Packet.TCP || p.protocol == Packet.UDP;
        long earlierSrcHigh = f.srcHigh;
        long earlierSrcLow = f.srcLow;
        emit(f);
        if (closedAndSyn || newUdpExchange || !tcpOrUdp) {
            f.begin(p, !synAck, settings.activityTimeoutMicros());
        } else {
            f.beginLike(p, earlierSrcHigh, earlierSrcLow, settings.activityTimeoutMicros());
        }
        table.touch(f);
    }

    /** Ends flows idle for longer than the flow timeout, a few per packet. */
    private void sweep() {
        for (int i = 0; i < SWEEP_PER_PACKET; i++) {
            Flow f = table.oldest();
            if (f == null || latest - f.lastSeen <= settings.flowTimeoutMicros()) {
                return;
            }
            end(f);
        }
    }

    private void end(Flow f) {
        emit(f);
        table.remove(f);
    }

    private void emit(Flow f) {
        flows++;
        sink.accept(f);
    }

    /** Ends and emits every open flow, oldest activity first (at the end of the capture). */
    public void finish() {
        for (Flow f = table.oldest(); f != null; f = table.oldest()) {
            end(f);
        }
    }

    /** Ends at most {@code max} open flows, oldest activity first; returns how many. */
    public int finish(int max) {
        int n = 0;
        for (Flow f = table.oldest(); f != null && n < max; f = table.oldest()) {
            end(f);
            n++;
        }
        return n;
    }

    public long packets() {
        return packets;
    }

    /** Flows emitted so far. */
    public long flows() {
        return flows;
    }

    /** Flows ended early because the open-flow cap was reached. */
    public long evicted() {
        return evicted;
    }

    public int openFlows() {
        return table.size();
    }
}
