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
        FlowTable table = this.table;
        int e = table.find(p);
        if (e == FlowTable.NONE) {
            if (table.size() >= settings.maxOpenFlows()) {
                end(table.oldest());
                evicted++;
                table.find(p);
            }
            table.create(p, !synAck);
            sweep();
            return;
        }
        Flow f = table.flow(e);
        int tcpState = f == null ? Flow.TCP_OPEN : f.tcpState;
        if (t - table.start(e) > settings.flowTimeoutMicros() || tcpState == Flow.TCP_CLOSED && syn) {
            restart(e, p, tcpState, syn, synAck);
        } else if ((flags & Packet.FIN) != 0) {
            f = table.promote(e, settings.activityTimeoutMicros());
            f.add(p);
            if (f.tcpState == Flow.TCP_OPEN) {
                f.tcpState = Flow.TCP_FIRST_FIN;
            } else if (f.tcpState == Flow.TCP_FIRST_FIN && f.fwdFin > 0 && f.bwdFin > 0) {
                f.tcpState = Flow.TCP_SECOND_FIN;
            }
            table.touch(e, t);
        } else if ((flags & Packet.RST) != 0) {
            f = table.promote(e, settings.activityTimeoutMicros());
            f.add(p);
            f.tcpState = Flow.TCP_CLOSED;
            table.touch(e, t);
        } else if ((flags & Packet.ACK) != 0) {
            f = table.promote(e, settings.activityTimeoutMicros());
            f.add(p);
            if (f.tcpState == Flow.TCP_SECOND_FIN) {
                f.tcpState = Flow.TCP_CLOSED;
            }
            table.touch(e, t);
        } else if (table.protocol(e) == Packet.ICMP && table.icmpCode(e) != p.icmpCode && table.icmpType(e) != p.icmpType) {
            emit(e);
            table.restart(e, p, true);
        } else {
            table.promote(e, settings.activityTimeoutMicros()).add(p);
            table.touch(e, t);
        }
        sweep();
    }

    /** Ends the entry's flow and starts the next one on the same 5-tuple with this packet. */
    private void restart(int e, Packet p, int tcpState, boolean syn, boolean synAck) {
        boolean closedAndSyn = tcpState == Flow.TCP_CLOSED && syn;
        boolean newUdpExchange = table.protocol(e) == Packet.UDP
                && p.timestampMicros - table.lastSeen(e) > settings.flowTimeoutMicros();
        boolean tcpOrUdp = p.protocol == Packet.TCP || p.protocol == Packet.UDP;
        long earlierSrcHigh = table.srcHigh(e);
        long earlierSrcLow = table.srcLow(e);
        emit(e);
        boolean packetIsForward = closedAndSyn || newUdpExchange || !tcpOrUdp
                ? !synAck
                // The next flow of a connection keeps the earlier flow's direction.
                : p.srcHigh == earlierSrcHigh && p.srcLow == earlierSrcLow;
        table.restart(e, p, packetIsForward);
    }

    /** Ends flows idle for longer than the flow timeout, a few per packet. */
    private void sweep() {
        for (int i = 0; i < SWEEP_PER_PACKET; i++) {
            int e = table.oldest();
            if (e == FlowTable.NONE || latest - table.lastSeen(e) <= settings.flowTimeoutMicros()) {
                return;
            }
            end(e);
        }
    }

    private void end(int e) {
        emit(e);
        table.remove(e);
    }

    private void emit(int e) {
        flows++;
        sink.accept(table.materialize(e, settings.activityTimeoutMicros()));
    }

    /** Ends and emits every open flow, oldest activity first (at the end of the capture). */
    public void finish() {
        for (int e = table.oldest(); e != FlowTable.NONE; e = table.oldest()) {
            end(e);
        }
    }

    /** Ends at most {@code max} open flows, oldest activity first; returns how many. */
    public int finish(int max) {
        int n = 0;
        for (int e = table.oldest(); e != FlowTable.NONE && n < max; e = table.oldest()) {
            end(e);
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
