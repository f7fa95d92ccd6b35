package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBytes.concat;
import static io.anomalyze.capture.CaptureBytes.ethernet;
import static io.anomalyze.capture.CaptureBytes.icmp;
import static io.anomalyze.capture.CaptureBytes.ip;
import static io.anomalyze.capture.CaptureBytes.ipv4;
import static io.anomalyze.capture.CaptureBytes.ipv6;
import static io.anomalyze.capture.CaptureBytes.loopback;
import static io.anomalyze.capture.CaptureBytes.mapped;
import static io.anomalyze.capture.CaptureBytes.sll;
import static io.anomalyze.capture.CaptureBytes.sll2;
import static io.anomalyze.capture.CaptureBytes.tcp;
import static io.anomalyze.capture.CaptureBytes.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every supported link type, IPv4 and IPv6 with extension headers, ICMP, fragments and the skip reasons. */
class PacketDecodingTest {

    private static final int A = ip(192, 168, 1, 10);
    private static final int B = ip(192, 168, 1, 20);
    private static final byte[] IPV4_TCP = ipv4(A, B, Packet.TCP, tcp(51000, 80, Packet.PSH | Packet.ACK, 502, 0, 100));
    private static final long V6_HIGH = 0x2001_0db8_0000_0000L;
    private static final byte[] IPV6_UDP = ipv6(V6_HIGH, 1, V6_HIGH, 2, Packet.UDP, udp(5000, 4789, 50));

    private static Packet one(int linkType, byte[] frame) throws Exception {
        CaptureRead read = CaptureRead.of(new CaptureBytes.Pcap(linkType).record(1_000_000, frame).bytes());
        assertEquals(new CaptureStats(1, 1, Map.of(), -1), read.stats());
        return read.only();
    }

    private static void assertIpv4Tcp(Packet p, String what) {
        assertEquals(4, p.ipVersion, what);
        assertEquals(mapped(A), p.srcLow, what);
        assertEquals(mapped(B), p.dstLow, what);
        assertEquals(51000, p.srcPort, what);
        assertEquals(80, p.dstPort, what);
        assertEquals(Packet.PSH | Packet.ACK, p.tcpFlags, what);
        assertEquals(100, p.payloadLength, what);
    }

    private static void assertIpv6Udp(Packet p, String what) {
        assertEquals(6, p.ipVersion, what);
        assertEquals(V6_HIGH, p.srcHigh, what);
        assertEquals(1, p.srcLow, what);
        assertEquals(V6_HIGH, p.dstHigh, what);
        assertEquals(2, p.dstLow, what);
        assertEquals(Packet.UDP, p.protocol, what);
        assertEquals(4789, p.dstPort, what);
        assertEquals(40, p.ipHeaderLength, what);
        assertEquals(50, p.payloadLength, what);
    }

    @Test
    void everyLinkTypeIsTakenApartDownToIp() throws Exception {
        assertIpv4Tcp(one(1, ethernet(0x0800, IPV4_TCP)), "Ethernet");
        assertIpv4Tcp(one(1, ethernet(0x0800, IPV4_TCP, 0x8100, 0x0064)), "802.1Q");
        assertIpv4Tcp(one(1, ethernet(0x0800, IPV4_TCP, 0x88A8, 0x0064, 0x8100, 0x0005)), "QinQ");
        assertIpv4Tcp(one(113, sll(0x0800, IPV4_TCP)), "SLL");
        assertIpv4Tcp(one(276, sll2(0x0800, IPV4_TCP)), "SLL2");
        assertIpv4Tcp(one(101, IPV4_TCP), "RAW");
        assertIpv4Tcp(one(12, IPV4_TCP), "DLT_RAW 12");
        assertIpv4Tcp(one(228, IPV4_TCP), "IPv4");
        assertIpv4Tcp(one(0, loopback(2, ByteOrder.LITTLE_ENDIAN, IPV4_TCP)), "NULL little-endian");
        assertIpv4Tcp(one(0, loopback(2, ByteOrder.BIG_ENDIAN, IPV4_TCP)), "NULL big-endian");
        assertIpv4Tcp(one(108, loopback(2, ByteOrder.BIG_ENDIAN, IPV4_TCP)), "LOOP");
        assertIpv6Udp(one(1, ethernet(0x86DD, IPV6_UDP)), "Ethernet v6");
        assertIpv6Udp(one(1, ethernet(0x86DD, IPV6_UDP, 0x8100, 0x0064)), "802.1Q v6");
        assertIpv6Udp(one(113, sll(0x86DD, IPV6_UDP)), "SLL v6");
        assertIpv6Udp(one(276, sll2(0x86DD, IPV6_UDP)), "SLL2 v6");
        assertIpv6Udp(one(101, IPV6_UDP), "RAW v6");
        assertIpv6Udp(one(229, IPV6_UDP), "IPv6");
        assertIpv6Udp(one(0, loopback(30, ByteOrder.LITTLE_ENDIAN, IPV6_UDP)), "NULL v6 (macOS)");
        assertIpv6Udp(one(0, loopback(24, ByteOrder.BIG_ENDIAN, IPV6_UDP)), "NULL v6 (OpenBSD)");
        assertIpv6Udp(one(108, loopback(28, ByteOrder.BIG_ENDIAN, IPV6_UDP)), "LOOP v6 (FreeBSD)");
    }

    @Test
    void ipv6ExtensionHeadersAreSkipped() throws Exception {
        byte[] hopByHop = {(byte) 60, 0, 1, 4, 0, 0, 0, 0};                     // 8 bytes, next: destination options
        byte[] destination = {(byte) 43, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // 16 bytes, next: routing
        byte[] routing = {(byte) 51, 0, 0, 0, 0, 0, 0, 0};                       // 8 bytes, next: authentication
        byte[] authentication = new byte[16];                                  // (2 + 2) * 4 bytes, next: TCP
        authentication[0] = (byte) Packet.TCP;
        authentication[1] = 2;
        byte[] packet = ipv6(V6_HIGH, 7, V6_HIGH, 8, 0,
                concat(hopByHop, destination, routing, authentication, tcp(1234, 22, Packet.SYN, 1000, 20, 10)));
        Packet p = one(1, ethernet(0x86DD, packet));
        assertEquals(Packet.TCP, p.protocol);
        assertEquals(40 + 8 + 16 + 8 + 16, p.ipHeaderLength);
        assertEquals(40, p.transportHeaderLength);
        assertEquals(10, p.payloadLength);
        assertEquals(22, p.dstPort);
        assertEquals(Packet.SYN, p.tcpFlags);
    }

    @Test
    void icmpAndIcmpv6CarryTheirTypeAndCode() throws Exception {
        Packet echo = one(1, ethernet(0x0800, ipv4(A, B, Packet.ICMP, icmp(8, 0, 56))));
        assertEquals(Packet.ICMP, echo.protocol);
        assertEquals(8, echo.icmpType);
        assertEquals(0, echo.icmpCode);
        assertEquals(0, echo.srcPort);
        assertEquals(0, echo.dstPort);
        assertEquals(8, echo.transportHeaderLength);
        assertEquals(56, echo.payloadLength);
        Packet unreachable = one(1, ethernet(0x86DD, ipv6(V6_HIGH, 1, V6_HIGH, 2, Packet.ICMPV6, icmp(1, 4, 48))));
        assertEquals(Packet.ICMPV6, unreachable.protocol);
        assertEquals(1, unreachable.icmpType);
        assertEquals(4, unreachable.icmpCode);
        assertEquals(48, unreachable.payloadLength);
    }

    @Test
    void laterIpv4FragmentsJoinTheirFirstFragmentsPorts() throws Exception {
        byte[] udpStart = udp(53, 33000, 1472); // a 3,000-byte DNS answer's first fragment ...
        byte[] first = ipv4(A, B, Packet.UDP, 0x1234, 0x2000, udpStart);
        byte[] middle = ipv4(A, B, Packet.UDP, 0x1234, 0x2000 | 185, new byte[1480]);
        byte[] last = ipv4(A, B, Packet.UDP, 0x1234, 370, new byte[48]);
        byte[] orphan = ipv4(A, B, Packet.UDP, 0x9999, 185, new byte[100]); // its first never came
        byte[] capture = new CaptureBytes.Pcap(1)
                .record(1, ethernet(0x0800, first)).record(2, ethernet(0x0800, middle))
                .record(3, ethernet(0x0800, orphan)).record(4, ethernet(0x0800, last)).bytes();
        CaptureRead read = CaptureRead.of(capture);
        assertEquals(3, read.packets().size());
        Packet p0 = read.packets().get(0);
        assertFalse(p0.laterFragment);
        assertEquals(1472, p0.payloadLength);
        for (Packet later : read.packets().subList(1, 3)) {
            assertTrue(later.laterFragment);
            assertEquals(53, later.srcPort);
            assertEquals(33000, later.dstPort);
            assertEquals(Packet.UDP, later.protocol);
            assertEquals(0, later.transportHeaderLength);
        }
        assertEquals(1480, read.packets().get(1).payloadLength);
        assertEquals(48, read.packets().get(2).payloadLength);
        assertEquals(new CaptureStats(4, 3, Map.of("IP fragment whose first fragment was not seen", 1L), -1), read.stats());
    }

    @Test
    void laterIpv6FragmentsJoinTheirFirstFragmentsPorts() throws Exception {
        byte[] firstHeader = {(byte) Packet.UDP, 0, 0, 1, 0, 0, 0x12, 0x34};   // offset 0, more fragments, id 0x1234
        byte[] laterHeader = {(byte) Packet.UDP, 0, 0, (byte) 0xb8, 0, 0, 0x12, 0x34}; // offset 23 (184 bytes), last
        byte[] capture = new CaptureBytes.Pcap(101)
                .record(1, ipv6(V6_HIGH, 1, V6_HIGH, 2, 44, concat(firstHeader, udp(4500, 500, 176))))
                .record(2, ipv6(V6_HIGH, 1, V6_HIGH, 2, 44, concat(laterHeader, new byte[60])))
                .bytes();
        CaptureRead read = CaptureRead.of(capture);
        assertEquals(2, read.packets().size());
        assertEquals(48, read.packets().get(0).ipHeaderLength);
        assertEquals(176, read.packets().get(0).payloadLength);
        Packet later = read.packets().get(1);
        assertTrue(later.laterFragment);
        assertEquals(4500, later.srcPort);
        assertEquals(500, later.dstPort);
        assertEquals(60, later.payloadLength);
    }

    @Test
    void skippedRecordsAreCountedByReason() throws Exception {
        byte[] arp = ethernet(0x0806, new byte[28]);
        byte[] gre = ethernet(0x0800, ipv4(A, B, 47, new byte[24]));
        byte[] badVersion = ethernet(0x0800, ipv4(A, B, Packet.TCP, tcp(1, 2, 0, 0, 0, 0)));
        badVersion[14] = 0x55;
        byte[] shortTcp = ethernet(0x0800, ipv4(A, B, Packet.TCP, new byte[12]));
        byte[] badOffset = ethernet(0x0800, ipv4(A, B, Packet.TCP, tcp(1, 2, 0, 0, 0, 0)));
        badOffset[14 + 20 + 12] = 0x30; // data offset 3 words
        byte[] shortUdp = ethernet(0x0800, ipv4(A, B, Packet.UDP, new byte[4]));
        byte[] shortIcmp = ethernet(0x0800, ipv4(A, B, Packet.ICMP, new byte[4]));
        byte[] shortV6 = ethernet(0x86DD, new byte[30]);
        byte[] runt = new byte[10];
        CaptureBytes.Pcap pcap = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, false, 128, 1);
        byte[] full = ethernet(0x0800, IPV4_TCP);
        byte[] small = ethernet(0x0800, ipv4(A, B, Packet.UDP, udp(1, 2, 10)));
        byte[] capture = pcap.record(1, small)
                .record(0, 1, full, 54)                              // kept: its payload is past the snaplen, its headers are not
                .record(0, 2, full, 40)                              // cut inside the TCP header by the snaplen
                .record(3, arp).record(4, arp).record(5, gre).record(6, badVersion).record(7, shortTcp)
                .record(8, badOffset).record(9, shortUdp).record(10, shortIcmp).record(11, shortV6).record(12, runt)
                .bytes();
        CaptureRead read = CaptureRead.of(capture);
        assertEquals(2, read.packets().size());
        assertEquals(100, read.packets().get(1).payloadLength);
        assertEquals(54 + 100, read.packets().get(1).wireLength);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("truncated by snaplen", 1L);
        expected.put("non-IP", 2L);
        expected.put("IP protocol other than TCP, UDP, ICMP or ICMPv6", 1L);
        expected.put("bad IPv4 header", 1L);
        expected.put("bad TCP header", 2L);
        expected.put("bad UDP header", 1L);
        expected.put("bad ICMP header", 1L);
        expected.put("bad IPv6 header", 1L);
        expected.put("bad link-layer header", 1L);
        assertEquals(new CaptureStats(13, 2, expected, -1), read.stats());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(read.stats().skipped().keySet()));
    }

    @Test
    void aZeroIpv4TotalLengthFromSegmentationOffloadTakesTheFramesLength() throws Exception {
        byte[] packet = ipv4(A, B, Packet.TCP, tcp(51000, 80, Packet.ACK, 502, 0, 1000));
        ByteBuffer.wrap(packet).putShort(2, (short) 0);
        assertEquals(1000, one(101, packet).payloadLength);
    }
}
