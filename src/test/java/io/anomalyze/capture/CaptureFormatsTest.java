package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBytes.ethernet;
import static io.anomalyze.capture.CaptureBytes.ip;
import static io.anomalyze.capture.CaptureBytes.ipv4;
import static io.anomalyze.capture.CaptureBytes.mapped;
import static io.anomalyze.capture.CaptureBytes.tcp;
import static io.anomalyze.capture.CaptureBytes.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Classic pcap in both byte orders and timestamp precisions, pcapng blocks and sections, gzip: all by magic number. */
class CaptureFormatsTest {

    private static final long T0 = 1_700_000_000_123_456L;
    private static final byte[] SYN = ethernet(0x0800, ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), Packet.TCP,
            tcp(40000, 443, Packet.SYN, 64240, 12, 0)));
    private static final byte[] DNS = ethernet(0x0800, ipv4(ip(10, 0, 0, 2), ip(8, 8, 8, 8), Packet.UDP, udp(5353, 53, 30)));

    private static byte[] pcap(ByteOrder order, boolean nanos) {
        return new CaptureBytes.Pcap(order, nanos, 65535, 1).record(T0, SYN).record(T0 + 1, DNS).bytes();
    }

    @Test
    void classicPcapInBothByteOrdersAndBothPrecisionsReadsTheSamePackets() throws Exception {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (boolean nanos : new boolean[] {false, true}) {
                CaptureRead read = CaptureRead.of(pcap(order, nanos));
                String what = order + (nanos ? " ns" : " µs");
                assertEquals(2, read.packets().size(), what);
                Packet syn = read.packets().get(0);
                assertEquals(T0, syn.timestampMicros, what);
                assertEquals(0, syn.index, what);
                assertEquals(24, syn.offset, what);
                assertEquals(4, syn.ipVersion);
                assertEquals(0, syn.srcHigh);
                assertEquals(mapped(ip(10, 0, 0, 1)), syn.srcLow);
                assertEquals(mapped(ip(10, 0, 0, 2)), syn.dstLow);
                assertEquals(Packet.TCP, syn.protocol);
                assertEquals(40000, syn.srcPort);
                assertEquals(443, syn.dstPort);
                assertEquals(Packet.SYN, syn.tcpFlags);
                assertEquals(64240, syn.tcpWindow);
                assertEquals(20, syn.ipHeaderLength);
                assertEquals(32, syn.transportHeaderLength);
                assertEquals(0, syn.payloadLength);
                assertEquals(14 + 20 + 32, syn.wireLength);
                assertEquals(-1, syn.icmpType);
                Packet dns = read.packets().get(1);
                assertEquals(T0 + 1, dns.timestampMicros, what);
                assertEquals(1, dns.index);
                assertEquals(24 + 16 + SYN.length, dns.offset);
                assertEquals(Packet.UDP, dns.protocol);
                assertEquals(5353, dns.srcPort);
                assertEquals(53, dns.dstPort);
                assertEquals(8, dns.transportHeaderLength);
                assertEquals(30, dns.payloadLength);
                assertEquals(0, dns.tcpFlags);
                assertEquals(new CaptureStats(2, 2, Map.of(), -1), read.stats(), what);
            }
        }
    }

    @Test
    void nanosecondTimestampsAreTruncatedToMicroseconds() throws Exception {
        byte[] capture = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, true, 65535, 1)
                .record(1_700_000_000L, 999_999_999L, SYN, SYN.length).bytes();
        assertEquals(1_700_000_000_999_999L, CaptureRead.of(capture).only().timestampMicros);
    }

    @Test
    void theModifiedPcapFormatsLongerRecordHeadersAreRead() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + 24 + SYN.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2cd34).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt((int) (T0 / 1_000_000)).putInt((int) (T0 % 1_000_000)).putInt(SYN.length).putInt(SYN.length)
                .putInt(3).putShort((short) 0x0800).put((byte) 0).put((byte) 0).put(SYN);
        Packet p = CaptureRead.of(b.array()).only();
        assertEquals(T0, p.timestampMicros);
        assertEquals(443, p.dstPort);
    }

    @Test
    void gzipCompressedCapturesAreRecognisedByTheirBytes() throws Exception {
        byte[] plain = pcap(ByteOrder.BIG_ENDIAN, true);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(plain);
        }
        CaptureRead read = CaptureRead.of(zipped.toByteArray());
        assertEquals(2, read.packets().size());
        assertEquals(T0 + 1, read.packets().get(1).timestampMicros);
        assertTrue(CaptureFormat.looksLikeCapture(zipped.toByteArray()));
        assertTrue(CaptureFormat.looksLikeCapture(java.util.Arrays.copyOf(zipped.toByteArray(), 64)));
        ByteArrayOutputStream zippedText = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zippedText)) {
            gzip.write("duration,protocol_type\n".getBytes());
        }
        assertFalse(CaptureFormat.looksLikeCapture(zippedText.toByteArray()));
    }

    @Test
    void magicNumbersAreRecognised() {
        assertTrue(CaptureFormat.looksLikeCapture(pcap(ByteOrder.LITTLE_ENDIAN, false)));
        assertTrue(CaptureFormat.looksLikeCapture(pcap(ByteOrder.BIG_ENDIAN, true)));
        assertTrue(CaptureFormat.looksLikeCapture(new CaptureBytes.Pcapng(ByteOrder.BIG_ENDIAN).bytes()));
        assertEquals(CaptureFormat.PCAPNG, CaptureFormat.detect(new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).bytes(), 4));
        assertEquals(CaptureFormat.PCAP, CaptureFormat.detect(pcap(ByteOrder.LITTLE_ENDIAN, true), 4));
        assertFalse(CaptureFormat.looksLikeCapture("0,tcp,http,SF,181".getBytes()));
        assertFalse(CaptureFormat.looksLikeCapture(new byte[] {(byte) 0xd4, (byte) 0xc3}));
    }

    @Test
    void pcapngHonoursEachInterfacesLinkTypeAndTimestampResolution() throws Exception {
        byte[] rawSyn = java.util.Arrays.copyOfRange(SYN, 14, SYN.length);
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] capture = new CaptureBytes.Pcapng(order)
                    .iface(1, 65535, -1)            // Ethernet, default resolution 10^-6
                    .iface(101, 65535, 9)           // raw IP, nanoseconds
                    .iface(1, 65535, 0x80 | 10)     // Ethernet, 2^-10 s
                    .block(5, new byte[12])         // interface statistics: skipped
                    .block(0x0BAD, new byte[40])    // a custom block: skipped
                    .enhanced(0, T0, SYN)
                    .enhanced(1, (T0 + 5) * 1000 + 999, rawSyn)
                    .enhanced(2, (T0 / 1_000_000 + 1) * 1024 + 512, DNS)
                    .bytes();
            CaptureRead read = CaptureRead.of(capture);
            assertEquals(3, read.packets().size(), order.toString());
            assertEquals(T0, read.packets().get(0).timestampMicros);
            assertEquals(T0 + 5, read.packets().get(1).timestampMicros);
            assertEquals(40000, read.packets().get(1).srcPort);
            assertEquals((T0 / 1_000_000 + 1) * 1_000_000 + 500_000, read.packets().get(2).timestampMicros);
            assertEquals(53, read.packets().get(2).dstPort);
            assertEquals(new CaptureStats(3, 3, Map.of(), -1), read.stats());
        }
    }

    @Test
    void pcapngCoarseResolutionsAndTimestampOffsetsAreScaled() throws Exception {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] capture = new CaptureBytes.Pcapng(order)
                    .iface(1, 0, 3)                     // milliseconds
                    .iface(1, 0, 0x80, 1_000_000_000L)  // whole seconds (2^0), times counted from 2001-09-09
                    .enhanced(0, 1_700_000_000_123L, SYN)
                    .enhanced(1, 700_000_001L, SYN)
                    .bytes();
            CaptureRead read = CaptureRead.of(capture);
            assertEquals(1_700_000_000_123_000L, read.packets().get(0).timestampMicros);
            assertEquals(1_700_000_001_000_000L, read.packets().get(1).timestampMicros);
        }
    }

    @Test
    void pcapngSimpleAndObsoletePacketBlocksAndSeveralSectionsAreRead() throws Exception {
        byte[] capture = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN)
                .iface(1, 65535, -1)
                .obsolete(0, T0, SYN)
                .simple(DNS)                         // no timestamp: takes the previous packet's
                .section(ByteOrder.BIG_ENDIAN)       // a new section forgets the interfaces
                .iface(228, 65535, 9)                // raw IPv4, nanoseconds
                .enhanced(0, (T0 + 7) * 1000, java.util.Arrays.copyOfRange(DNS, 14, DNS.length))
                .bytes();
        CaptureRead read = CaptureRead.of(capture);
        assertEquals(3, read.packets().size());
        assertEquals(443, read.packets().get(0).dstPort);
        assertEquals(T0, read.packets().get(0).timestampMicros);
        assertEquals(53, read.packets().get(1).dstPort);
        assertEquals(T0, read.packets().get(1).timestampMicros);
        assertEquals(T0 + 7, read.packets().get(2).timestampMicros);
        assertEquals(30, read.packets().get(2).payloadLength);
    }

    @Test
    void pcapngBlocksLargerThanTheBufferAreSkippedWhole() throws Exception {
        byte[] capture = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN)
                .iface(1, 0, -1)
                .block(0x00000BAD, new byte[3 << 20]) // a 3 MB custom block
                .enhanced(0, T0, DNS)
                .bytes();
        CaptureRead read = CaptureRead.of(capture);
        assertEquals(53, read.only().dstPort);
        assertEquals(28 + 24 + 12 + (3 << 20), read.only().offset);
    }

    @Test
    void aPcapngInterfaceOfAnUnsupportedLinkTypeIsCountedNotRefused() throws Exception {
        byte[] capture = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN)
                .iface(105, 65535, -1) // IEEE 802.11
                .iface(1, 65535, -1)
                .enhanced(0, T0, new byte[30])
                .enhanced(1, T0 + 1, SYN)
                .enhanced(0, T0 + 2, new byte[30])
                .bytes();
        CaptureRead read = CaptureRead.of(capture);
        assertEquals(1, read.packets().size());
        assertEquals(new CaptureStats(3, 1, Map.of("unsupported link type 105", 2L), -1), read.stats());
    }
}
