package io.anomalyze.capture.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.capture.Captures;
import io.anomalyze.capture.Packet;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures written byte by byte, read by the capture reader and cut into flows with identity. */
class CaptureFlowReaderTest {

    static final long T = 1_700_000_000_000_000L;
    @TempDir
    Path tmp;

    private FlowBatch flows(TestCapture capture) throws IOException {
        Path file = capture.writeTo(tmp.resolve("test.pcap"));
        FlowBatch all = new FlowBatch(64);
        try (CaptureFlowReader reader = new CaptureFlowReader(Captures.open(file, InputLimits.DEFAULTS), FlowSettings.DEFAULTS)) {
            FlowBatch batch = new FlowBatch(64);
            while (reader.read(batch)) {
                for (int r = 0; r < batch.size(); r++) {
                    int row = all.addRow();
                    System.arraycopy(batch.features, r * FlowFeatures.COUNT, all.features, row * FlowFeatures.COUNT, FlowFeatures.COUNT);
                    all.flowId[row] = batch.flowId[r];
                    all.srcAddress[row] = batch.srcAddress[r];
                    all.dstAddress[row] = batch.dstAddress[r];
                    all.srcPort[row] = batch.srcPort[r];
                    all.dstPort[row] = batch.dstPort[r];
                    all.protocol[row] = batch.protocol[r];
                    all.startMicros[row] = batch.startMicros[r];
                    all.endMicros[row] = batch.endMicros[r];
                }
            }
            assertFalse(reader.read(batch));
        }
        return all;
    }

    private static float f(FlowBatch b, int row, String feature) {
        return b.feature(row, FlowFeatures.indexOf(feature));
    }

    @Test
    void aTcpConnectionInACaptureBecomesOneFlowWithItsIdentity() throws IOException {
        FlowBatch b = flows(new TestCapture()
                .tcp(T, "192.168.1.10", 51000, "192.168.1.20", 443, Packet.SYN, 0)
                .tcp(T + 250, "192.168.1.20", 443, "192.168.1.10", 51000, Packet.SYN | Packet.ACK, 0)
                .tcp(T + 500, "192.168.1.10", 51000, "192.168.1.20", 443, Packet.ACK | Packet.PSH, 300)
                .tcp(T + 900, "192.168.1.20", 443, "192.168.1.10", 51000, Packet.ACK | Packet.PSH, 1200));
        assertEquals(1, b.size());
        assertEquals("192.168.1.10-192.168.1.20-51000-443-6", b.flowId(0));
        assertEquals("192.168.1.10", b.srcAddress[0]);
        assertEquals("192.168.1.20", b.dstAddress[0]);
        assertEquals(51000, b.srcPort[0]);
        assertEquals(443, b.dstPort[0]);
        assertEquals(6, b.protocol[0]);
        assertEquals(T, b.startMicros[0]);
        assertEquals(T + 900, b.endMicros[0]);
        assertEquals(900f, f(b, 0, "Flow Duration"));
        assertEquals(300f, f(b, 0, "Total Length of Fwd Packets"));
        assertEquals(1200f, f(b, 0, "Total Length of Bwd Packets"));
        assertEquals(40f, f(b, 0, "Fwd Header Length"));
        assertEquals(29200f, f(b, 0, "Init_Win_bytes_forward"), "the window field 0x7210");
    }

    @Test
    void vlanTaggedPacketsMakeTheSameFlowAsUntaggedOnes() throws IOException {
        FlowBatch b = flows(new TestCapture().vlan(42)
                .udp(T, "10.1.1.1", 5353, "10.1.1.2", 53, 40)
                .vlan(-1)
                .udp(T + 100, "10.1.1.2", 53, "10.1.1.1", 5353, 120));
        assertEquals(1, b.size());
        assertEquals(1f, f(b, 0, "Total Fwd Packets"));
        assertEquals(1f, f(b, 0, "Total Backward Packets"));
        assertEquals(120f, f(b, 0, "Total Length of Bwd Packets"));
        assertEquals(16f, f(b, 0, "Fwd Header Length") + f(b, 0, "Bwd Header Length"));
    }

    @Test
    void ipv6FlowsCarryTheirAddresses() throws IOException {
        FlowBatch b = flows(new TestCapture()
                .tcp(T, "2001:db8::a", 40000, "2001:db8::b", 22, Packet.SYN, 0)
                .tcp(T + 30, "2001:db8::b", 22, "2001:db8::a", 40000, Packet.SYN | Packet.ACK, 0));
        assertEquals(1, b.size());
        assertEquals("2001:db8::a", b.srcAddress[0]);
        assertEquals("2001:db8::a-2001:db8::b-40000-22-6", b.flowId(0));
        assertEquals(1f, f(b, 0, "Total Backward Packets"));
    }

    @Test
    void icmpEchoIsAFlowWithoutPorts() throws IOException {
        FlowBatch b = flows(new TestCapture()
                .icmpEcho(T, "10.0.0.1", "10.0.0.2", true, 56)
                .icmpEcho(T + 700, "10.0.0.2", "10.0.0.1", false, 56));
        assertEquals(1, b.size());
        assertEquals(1, b.protocol[0]);
        assertEquals(0, b.srcPort[0]);
        assertEquals("10.0.0.1-10.0.0.2-0-0-1", b.flowId(0));
        assertEquals(700f, f(b, 0, "Flow Duration"));
    }

    @Test
    void bothFragmentsOfADatagramCountToItsFlow() throws IOException {
        FlowBatch b = flows(new TestCapture().fragmentedUdp(T, "10.0.0.1", 7000, "10.0.0.2", 53, 1472, 100));
        assertEquals(1, b.size());
        assertEquals(17, b.protocol[0]);
        assertEquals(7000, b.srcPort[0]);
        assertEquals(2f, f(b, 0, "Total Fwd Packets"));
    }

    @Test
    void packetsWrittenOutOfOrderAreCountedInTimeOrder() throws IOException {
        FlowBatch b = flows(new TestCapture()
                .udp(T, "10.0.0.1", 1111, "10.0.0.2", 53, 10)
                .udp(T + 300, "10.0.0.1", 1111, "10.0.0.2", 53, 10)
                .udp(T + 100, "10.0.0.2", 53, "10.0.0.1", 1111, 10));
        assertEquals(1, b.size());
        assertEquals(300f, f(b, 0, "Flow Duration"));
        assertEquals(100f, f(b, 0, "Flow IAT Min"), "no negative gap: the late packet took its place");
        assertEquals(200f, f(b, 0, "Flow IAT Max"));
    }

    @Test
    void aSynFloodKeepsEverySinglePacketFlow() throws IOException {
        TestCapture c = new TestCapture();
        for (int i = 0; i < 200; i++) {
            c.tcp(T + i * 10L, "172.16." + (i / 250) + "." + (i % 250 + 1), 1024 + i, "10.0.0.9", 80, Packet.SYN, 0);
        }
        Path file = c.writeTo(tmp.resolve("flood.pcap"));
        long flows = 0;
        try (CaptureFlowReader reader = new CaptureFlowReader(Captures.open(file, InputLimits.DEFAULTS), FlowSettings.DEFAULTS)) {
            FlowBatch batch = new FlowBatch(64);
            while (reader.read(batch)) {
                assertTrue(batch.size() <= 64);
                for (int r = 0; r < batch.size(); r++) {
                    assertEquals(1f, batch.feature(r, FlowFeatures.indexOf("Total Fwd Packets")));
                }
                flows += batch.size();
            }
            assertEquals(200, reader.packets());
        }
        assertEquals(200, flows);
    }
}
