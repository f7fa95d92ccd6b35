package io.anomalyze.capture.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anomalyze.capture.Packet;
import io.anomalyze.read.flow.FlowFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowBuilderTest {

    static final long T0 = 1_600_000_000_000_000L;
    static final int CLIENT = 0x0a000001;
    static final int SERVER = 0x0a000002;

    /** A flow as emitted: identity and features copied out of the reused object. */
    record Emitted(String src, int srcPort, String dst, int dstPort, int protocol, long start, long end, double[] f) {
        double get(String feature) {
            return f[FlowFeatures.indexOf(feature)];
        }
    }

    static final class Collector implements FlowSink {
        final List<Emitted> flows = new ArrayList<>();

        @Override
        public void accept(Flow flow) {
            flows.add(new Emitted(AddressText.of(flow.srcHigh(), flow.srcLow()), flow.srcPort(),
                    AddressText.of(flow.dstHigh(), flow.dstLow()), flow.dstPort(), flow.protocol(),
                    flow.startMicros(), flow.endMicros(), flow.features()));
        }
    }

    static Packet tcp(long micros, int src, int srcPort, int dst, int dstPort, int flags, int payload) {
        Packet p = ip4(micros, src, dst, Packet.TCP);
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.tcpFlags = flags;
        p.tcpWindow = 1000 + srcPort % 1000;
        p.transportHeaderLength = 20;
        p.payloadLength = payload;
        return p;
    }

    static Packet udp(long micros, int src, int srcPort, int dst, int dstPort, int payload) {
        Packet p = ip4(micros, src, dst, Packet.UDP);
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.transportHeaderLength = 8;
        p.payloadLength = payload;
        return p;
    }

    static Packet icmp(long micros, int src, int dst, int type, int payload) {
        Packet p = ip4(micros, src, dst, Packet.ICMP);
        p.icmpType = type;
        p.icmpCode = 0;
        p.transportHeaderLength = 8;
        p.payloadLength = payload;
        return p;
    }

    static Packet ip4(long micros, int src, int dst, int protocol) {
        Packet p = new Packet();
        p.timestampMicros = micros;
        p.ipVersion = 4;
        p.srcLow = 0x0000_ffff_0000_0000L | (src & 0xffffffffL);
        p.dstLow = 0x0000_ffff_0000_0000L | (dst & 0xffffffffL);
        p.protocol = protocol;
        p.icmpType = -1;
        p.icmpCode = -1;
        p.ipHeaderLength = 20;
        return p;
    }

    static List<Emitted> build(FlowSettings settings, Packet... packets) {
        Collector c = new Collector();
        FlowBuilder b = new FlowBuilder(settings, c);
        for (Packet p : packets) {
            b.accept(p);
        }
        b.finish();
        return c.flows;
    }

    static List<Emitted> build(Packet... packets) {
        return build(FlowSettings.DEFAULTS, packets);
    }

    @Test
    void tcpConnectionIsOneFlowInTheClientsDirectionWithExactFeatures() {
        int syn = Packet.SYN, ack = Packet.ACK, synAck = Packet.SYN | Packet.ACK;
        List<Emitted> flows = build(
                tcp(T0, CLIENT, 40000, SERVER, 80, syn, 0),
                tcp(T0 + 100, SERVER, 80, CLIENT, 40000, synAck, 0),
                tcp(T0 + 300, CLIENT, 40000, SERVER, 80, ack, 0),
                tcp(T0 + 400, CLIENT, 40000, SERVER, 80, ack | Packet.PSH, 100),
                tcp(T0 + 1000, SERVER, 80, CLIENT, 40000, ack | Packet.PSH, 300),
                tcp(T0 + 1200, CLIENT, 40000, SERVER, 80, ack | Packet.FIN, 0),
                tcp(T0 + 1300, SERVER, 80, CLIENT, 40000, ack | Packet.FIN, 0),
                tcp(T0 + 1400, CLIENT, 40000, SERVER, 80, ack, 0));
        assertEquals(1, flows.size());
        Emitted f = flows.get(0);
        assertEquals("10.0.0.1", f.src());
        assertEquals(40000, f.srcPort());
        assertEquals("10.0.0.2", f.dst());
        assertEquals(80, f.dstPort());
        assertEquals(T0, f.start());
        assertEquals(T0 + 1400, f.end());
        assertEquals(80, f.get("Destination Port"));
        assertEquals(1400, f.get("Flow Duration"));
        assertEquals(5, f.get("Total Fwd Packets"));
        assertEquals(3, f.get("Total Backward Packets"));
        assertEquals(100, f.get("Total Length of Fwd Packets"));
        assertEquals(300, f.get("Total Length of Bwd Packets"));
        assertEquals(100, f.get("Fwd Packet Length Max"));
        assertEquals(0, f.get("Fwd Packet Length Min"));
        assertEquals(20, f.get("Fwd Packet Length Mean"));
        assertEquals(Math.sqrt(2000), f.get("Fwd Packet Length Std"), 1e-12);
        assertEquals(100, f.get("Bwd Packet Length Mean"));
        assertEquals(400 / 0.0014, f.get("Flow Bytes/s"), 1e-6);
        assertEquals(8 / 0.0014, f.get("Flow Packets/s"), 1e-6);
        assertEquals(200, f.get("Flow IAT Mean"));
        assertEquals(600, f.get("Flow IAT Max"));
        assertEquals(100, f.get("Flow IAT Min"));
        assertEquals(1400, f.get("Fwd IAT Total"));
        assertEquals(350, f.get("Fwd IAT Mean"));
        assertEquals(1200, f.get("Bwd IAT Total"));
        assertEquals(1, f.get("Fwd PSH Flags"));
        assertEquals(1, f.get("Bwd PSH Flags"));
        assertEquals(100, f.get("Fwd Header Length"));
        assertEquals(60, f.get("Bwd Header Length"));
        assertEquals(100, f.get("Fwd Header Length.1"));
        assertEquals(2, f.get("FIN Flag Count"));
        assertEquals(2, f.get("SYN Flag Count"));
        assertEquals(7, f.get("ACK Flag Count"));
        assertEquals(2, f.get("PSH Flag Count"));
        assertEquals(0.6, f.get("Down/Up Ratio"), 1e-12);
        assertEquals(50, f.get("Average Packet Size"));
        assertEquals(20, f.get("Avg Fwd Segment Size"));
        assertEquals(100, f.get("Avg Bwd Segment Size"));
        assertEquals(1000, f.get("Init_Win_bytes_forward"));
        assertEquals(1080, f.get("Init_Win_bytes_backward"));
        assertEquals(1, f.get("act_data_pkt_fwd"));
        assertEquals(20, f.get("min_seg_size_forward"));
        assertEquals(0, f.get("Subflow Fwd Packets"));
        assertEquals(0, f.get("Idle Mean"));
    }

    @Test
    void aSynAckSeenFirstMakesItsReceiverTheSource() {
        List<Emitted> flows = build(
                tcp(T0, SERVER, 80, CLIENT, 40000, Packet.SYN | Packet.ACK, 0),
                tcp(T0 + 10, CLIENT, 40000, SERVER, 80, Packet.ACK, 0));
        assertEquals(1, flows.size());
        Emitted f = flows.get(0);
        assertEquals("10.0.0.1", f.src());
        assertEquals(80, f.dstPort());
        assertEquals(1, f.get("Total Fwd Packets"));
        assertEquals(1, f.get("Total Backward Packets"));
        assertEquals(1080, f.get("Init_Win_bytes_backward"));
        assertEquals(0, f.get("min_seg_size_forward"), "CICFlowMeter never sets it when the flow starts backward");
    }

    @Test
    void anRstClosesTheFlowAndTheNextSynStartsANewOne() {
        List<Emitted> flows = build(
                tcp(T0, CLIENT, 40000, SERVER, 80, Packet.SYN, 0),
                tcp(T0 + 10, SERVER, 80, CLIENT, 40000, Packet.RST | Packet.ACK, 0),
                tcp(T0 + 20, CLIENT, 40000, SERVER, 80, Packet.ACK, 0),
                tcp(T0 + 30, CLIENT, 40000, SERVER, 80, Packet.SYN, 0));
        assertEquals(2, flows.size());
        assertEquals(3, flows.get(0).get("Total Fwd Packets") + flows.get(0).get("Total Backward Packets"),
                "a stray packet after the RST still counts to the closed flow");
        assertEquals(1, flows.get(0).get("RST Flag Count"));
        assertEquals(T0 + 30, flows.get(1).start());
        assertEquals(1, flows.get(1).get("Total Fwd Packets"));
    }

    @Test
    void finInBothDirectionsThenAckClosesTheFlow() {
        List<Emitted> flows = build(
                tcp(T0, CLIENT, 40000, SERVER, 80, Packet.SYN, 0),
                tcp(T0 + 10, CLIENT, 40000, SERVER, 80, Packet.FIN | Packet.ACK, 0),
                tcp(T0 + 20, SERVER, 80, CLIENT, 40000, Packet.FIN | Packet.ACK, 0),
                tcp(T0 + 30, CLIENT, 40000, SERVER, 80, Packet.ACK, 0),
                tcp(T0 + 40, CLIENT, 40000, SERVER, 80, Packet.SYN, 0));
        assertEquals(2, flows.size());
        assertEquals(4, flows.get(0).get("Total Fwd Packets") + flows.get(0).get("Total Backward Packets"));
        assertEquals(T0 + 40, flows.get(1).start());
    }

    @Test
    void oneFinIsNotEnoughToEndAFlow() {
        List<Emitted> flows = build(
                tcp(T0, CLIENT, 40000, SERVER, 80, Packet.SYN, 0),
                tcp(T0 + 10, CLIENT, 40000, SERVER, 80, Packet.FIN | Packet.ACK, 0),
                tcp(T0 + 20, SERVER, 80, CLIENT, 40000, Packet.ACK, 0),
                tcp(T0 + 30, CLIENT, 40000, SERVER, 80, Packet.SYN, 0));
        assertEquals(1, flows.size());
        assertEquals(4, flows.get(0).get("Total Fwd Packets") + flows.get(0).get("Total Backward Packets"));
    }

    @Test
    void thePacketAfterTheFlowTimeoutStartsANewFlowInTheConnectionsDirection() {
        FlowSettings settings = new FlowSettings(10_000_000L, 5_000_000L, 1000);
        List<Emitted> flows = build(settings,
                tcp(T0, CLIENT, 40000, SERVER, 80, Packet.SYN, 0),
                tcp(T0 + 9_000_000L, SERVER, 80, CLIENT, 40000, Packet.ACK, 10),
                tcp(T0 + 10_000_001L, SERVER, 80, CLIENT, 40000, Packet.ACK, 20));
        assertEquals(2, flows.size());
        assertEquals(9_000_000, flows.get(0).get("Flow Duration"));
        Emitted second = flows.get(1);
        assertEquals("10.0.0.1", second.src(), "the continuation keeps the client as source");
        assertEquals(0, second.get("Total Fwd Packets"));
        assertEquals(1, second.get("Total Backward Packets"));
        assertEquals(20, second.get("Total Length of Bwd Packets"));
    }

    @Test
    void gapsLongerThanTheActivityTimeoutAreIdleTime() {
        List<Emitted> flows = build(
                udp(T0, CLIENT, 5000, SERVER, 53, 10),
                udp(T0 + 1_000_000L, SERVER, 53, CLIENT, 5000, 10),
                udp(T0 + 8_000_000L, CLIENT, 5000, SERVER, 53, 10),
                udp(T0 + 8_500_000L, CLIENT, 5000, SERVER, 53, 10),
                udp(T0 + 20_000_000L, CLIENT, 5000, SERVER, 53, 10));
        assertEquals(1, flows.size());
        Emitted f = flows.get(0);
        assertEquals(7_000_000, f.get("Idle Min"));
        assertEquals(11_500_000, f.get("Idle Max"));
        assertEquals(9_250_000, f.get("Idle Mean"));
        assertEquals(750_000, f.get("Active Mean"), "the active periods are 1 s and 0.5 s");
        assertEquals(1_000_000, f.get("Active Max"));
        assertEquals(500_000, f.get("Active Min"));
        assertEquals(2, f.get("Subflow Fwd Packets"), "two gaps over 1 s: four forward packets over two subflows");
        assertEquals(0.5, f.get("Subflow Bwd Packets"));
        assertEquals(32, f.get("Fwd Header Length"), "four forward UDP headers");
    }

    @Test
    void everySynOfAFloodIsAFlowOfItsOwn() {
        Packet[] packets = new Packet[1000];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = tcp(T0 + i, 0x0b000000 + i, 1024 + i, SERVER, 80, Packet.SYN, 0);
        }
        List<Emitted> flows = build(packets);
        assertEquals(1000, flows.size());
        Emitted f = flows.get(0);
        assertEquals(1, f.get("Total Fwd Packets"));
        assertEquals(0, f.get("Flow Duration"));
        assertEquals(-1, f.get("Flow Bytes/s"));
        assertEquals(-1, f.get("Flow Packets/s"));
        assertEquals(0, f.get("Flow IAT Mean"));
        assertEquals(1, f.get("SYN Flag Count"));
    }

    @Test
    void theOpenFlowCapEndsTheFlowSeenLeastRecently() {
        Collector c = new Collector();
        FlowBuilder b = new FlowBuilder(new FlowSettings(120_000_000L, 5_000_000L, 2), c);
        b.accept(udp(T0, CLIENT, 1, SERVER, 53, 1));
        b.accept(udp(T0 + 1, CLIENT, 2, SERVER, 53, 1));
        b.accept(udp(T0 + 2, CLIENT, 1, SERVER, 53, 1));
        b.accept(udp(T0 + 3, CLIENT, 3, SERVER, 53, 1));
        assertEquals(1, c.flows.size());
        assertEquals(2, c.flows.get(0).srcPort(), "port 2 was idle longest");
        assertEquals(1, b.evicted());
        assertEquals(2, b.openFlows());
        b.finish();
        assertEquals(3, c.flows.size());
    }

    @Test
    void flowsIdleLongerThanTheFlowTimeoutAreEndedAsTimeMovesOn() {
        Collector c = new Collector();
        FlowBuilder b = new FlowBuilder(new FlowSettings(10_000_000L, 5_000_000L, 1000), c);
        b.accept(udp(T0, CLIENT, 1, SERVER, 53, 1));
        b.accept(udp(T0 + 5_000_000L, CLIENT, 2, SERVER, 53, 1));
        b.accept(udp(T0 + 10_000_000L, CLIENT, 3, SERVER, 53, 1));
        assertEquals(0, c.flows.size(), "idle for exactly the timeout is not yet over it");
        b.accept(udp(T0 + 15_000_001L, CLIENT, 4, SERVER, 53, 1));
        assertEquals(2, c.flows.size());
        assertEquals(1, c.flows.get(0).srcPort());
        assertEquals(2, c.flows.get(1).srcPort());
        assertEquals(2, b.openFlows());
    }

    @Test
    void icmpEchoRequestAndReplyAreOneFlowWithoutHeaderOrPayloadBytes() {
        List<Emitted> flows = build(
                icmp(T0, CLIENT, SERVER, 8, 56),
                icmp(T0 + 500, SERVER, CLIENT, 0, 56),
                icmp(T0 + 1_000_000L, CLIENT, SERVER, 8, 56),
                icmp(T0 + 1_000_400L, SERVER, CLIENT, 0, 56));
        assertEquals(1, flows.size());
        Emitted f = flows.get(0);
        assertEquals(1, f.protocol());
        assertEquals(0, f.srcPort());
        assertEquals(2, f.get("Total Fwd Packets"));
        assertEquals(2, f.get("Total Backward Packets"));
        assertEquals(0, f.get("Fwd Header Length"));
        assertEquals(0, f.get("Total Length of Fwd Packets"), "CICFlowMeter counts no ICMP payload");
    }

    @Test
    void ipv6FlowsAreKeyedAndWrittenByTheirFullAddresses() {
        Packet a = udp(T0, 0, 5353, 0, 53, 20);
        a.ipVersion = 6;
        a.srcHigh = 0x20010db800000000L;
        a.srcLow = 1;
        a.dstHigh = 0x20010db800000000L;
        a.dstLow = 2;
        Packet b = new Packet();
        b.copyFrom(a);
        b.timestampMicros = T0 + 7;
        b.srcLow = 2;
        b.dstLow = 1;
        b.srcPort = 53;
        b.dstPort = 5353;
        List<Emitted> flows = build(a, b);
        assertEquals(1, flows.size());
        assertEquals("2001:db8::1", flows.get(0).src());
        assertEquals("2001:db8::2", flows.get(0).dst());
        assertEquals(1, flows.get(0).get("Total Backward Packets"));
    }

    @Test
    void aLaterFragmentCarryingItsDatagramsPortsJoinsTheDatagramsFlow() {
        Packet first = udp(T0, CLIENT, 5000, SERVER, 53, 1472);
        Packet later = udp(T0 + 3, CLIENT, 5000, SERVER, 53, 528);
        later.laterFragment = true;
        later.transportHeaderLength = 0;
        List<Emitted> flows = build(first, later);
        assertEquals(1, flows.size());
        assertEquals(2, flows.get(0).get("Total Fwd Packets"));
        assertEquals(2000, flows.get(0).get("Total Length of Fwd Packets"));
        assertEquals(8, flows.get(0).get("Fwd Header Length"));
    }

    @Test
    void trafficBetweenTwoPortsOfOneHostIsAllForward() {
        List<Emitted> flows = build(
                tcp(T0, CLIENT, 40000, CLIENT, 80, Packet.SYN, 0),
                tcp(T0 + 5, CLIENT, 80, CLIENT, 40000, Packet.SYN | Packet.ACK, 0));
        assertEquals(1, flows.size());
        assertEquals(2, flows.get(0).get("Total Fwd Packets"));
        assertEquals(0, flows.get(0).get("Total Backward Packets"));
    }
}
