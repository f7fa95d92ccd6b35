package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBytes.ethernet;
import static io.anomalyze.capture.CaptureBytes.ip;
import static io.anomalyze.capture.CaptureBytes.ipv4;
import static io.anomalyze.capture.CaptureBytes.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.InputLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Each kind of broken capture ends in one exact, one-line message; a capture cut off mid-packet is read up to the cut. */
class BadCaptureTest {

    private static final byte[] FRAME = ethernet(0x0800, ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), Packet.UDP, udp(1, 2, 20)));
    private static final String SUPPORTED = "Ethernet (1), Linux cooked SLL (113) and SLL2 (276), raw IP (101, 228, 229),"
            + " BSD loopback (0, 108)";

    private static byte[] pcapng(CaptureBytes.Pcapng blocks) {
        return blocks.bytes();
    }

    @Test
    void somethingElseIsNotACapture() throws Exception {
        assertEquals("test.pcap: not a packet capture (it starts with 64 75 72 61; expected the magic number of pcap or pcapng)",
                CaptureRead.error("duration,protocol_type\n0,tcp\n".getBytes()));
        assertEquals("test.pcap: not a packet capture (it is empty; expected the magic number of pcap or pcapng)",
                CaptureRead.error(new byte[0]));
        assertEquals("test.pcap: not a packet capture (it holds only 2 bytes: d4 c3; expected the magic number of pcap or pcapng)",
                CaptureRead.error(new byte[] {(byte) 0xd4, (byte) 0xc3}));
    }

    @Test
    void aCutOffGlobalHeaderIsRefused() throws Exception {
        byte[] header = new CaptureBytes.Pcap(1).bytes();
        assertEquals("test.pcap: the pcap global header is cut off after 10 of 24 bytes",
                CaptureRead.error(Arrays.copyOf(header, 10)));
    }

    @Test
    void anUnsupportedVersionOrLinkTypeIsRefused() throws Exception {
        byte[] header = new CaptureBytes.Pcap(1).bytes();
        header[4] = 3;
        assertEquals("test.pcap: byte 4: pcap version 3.4 is not supported (expected 2.4)", CaptureRead.error(header));
        assertEquals("test.pcap: byte 20: link type 105 is not supported (supported: " + SUPPORTED + ")",
                CaptureRead.error(new CaptureBytes.Pcap(105).record(1, FRAME).bytes()));
    }

    @Test
    void aRecordOverTheSizeLimitOrTheSnaplenIsRefused() throws Exception {
        byte[] huge = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1).rawRecord(300_000, 300_000, new byte[64]).bytes();
        InvalidInputException limit = assertThrows(InvalidInputException.class, () -> CaptureRead.of(huge));
        assertEquals("test.pcap: byte 24: packet record 1 claims 300000 bytes, over the limit of 262144", limit.getMessage());
        assertTrue(limit.isLimitExceeded());
        byte[] overSnaplen = new CaptureBytes.Pcap(ByteOrder.BIG_ENDIAN, false, 128, 1).record(1, FRAME)
                .rawRecord(200, 200, new byte[200]).bytes();
        assertEquals("test.pcap: byte " + (24 + 16 + FRAME.length) + ": packet record 2 claims 200 bytes,"
                + " more than the capture's snaplen of 128", CaptureRead.error(overSnaplen));
        byte[] bigger = ethernet(0x0800, ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), Packet.UDP, udp(1, 2, 100)));
        assertEquals("test.pcap: byte 24: packet record 1 claims 142 bytes, over the limit of 64",
                CaptureRead.error(new CaptureBytes.Pcap(1).record(1, bigger).bytes(), CaptureOptions.DEFAULTS.withMaxPacketBytes(64)));
    }

    @Test
    void aCaptureWithoutIpPacketsIsRefused() throws Exception {
        byte[] arp = ethernet(0x0806, new byte[28]);
        assertEquals("test.pcap: no IP packet among its 2 packet records (non-IP: 2)",
                CaptureRead.error(new CaptureBytes.Pcap(1).record(1, arp).record(2, arp).bytes()));
        assertEquals("test.pcap: no IP packet (the capture holds no packet records)",
                CaptureRead.error(new CaptureBytes.Pcap(1).bytes()));
        byte[] cutArp = new CaptureBytes.Pcap(1).record(1, arp).record(2, arp).bytes();
        assertEquals("test.pcap: no IP packet among its 1 packet record (non-IP: 1; cut off at byte 82)",
                CaptureRead.error(Arrays.copyOf(cutArp, cutArp.length - 3)));
    }

    @Test
    void aCaptureCutOffMidPacketIsReadUpToTheCut() throws Exception {
        byte[] whole = new CaptureBytes.Pcap(1).record(1, FRAME).record(2, FRAME).record(3, FRAME).bytes();
        long thirdRecord = 24 + 2L * (16 + FRAME.length);
        for (int cut : new int[] {1, 10, 16 + FRAME.length - 1}) {
            CaptureRead read = CaptureRead.of(Arrays.copyOf(whole, (int) thirdRecord + cut));
            assertEquals(2, read.packets().size());
            assertEquals(new CaptureStats(2, 2, Map.of(), thirdRecord), read.stats(), "cut " + cut);
        }
        byte[] ng = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1).enhanced(0, 1, FRAME).enhanced(0, 2, FRAME).bytes();
        int epb = 28 + 24 + 96; // section header, interface, first packet
        assertEquals(epb + 96, ng.length);
        CaptureRead read = CaptureRead.of(Arrays.copyOf(ng, ng.length - 5));
        assertEquals(new CaptureStats(1, 1, Map.of(), epb), read.stats());
    }

    @Test
    void pcapngBlocksOfWrongLengthAreRefused() throws Exception {
        CaptureBytes.Pcapng start = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1);
        byte[] oddLength = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(22).array();
        assertEquals("test.pcap: byte 52: enhanced packet block 3 has length 22, which is not a multiple of 4",
                CaptureRead.error(pcapng(new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1).raw(oddLength))));
        byte[] tiny = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(5).putInt(8).putInt(8).array();
        assertEquals("test.pcap: byte 52: block of type 0x00000005 3 has length 8, shorter than the 12 bytes of an empty block",
                CaptureRead.error(pcapng(start.raw(tiny))));
        byte[] mismatch = new CaptureBytes.Pcapng(ByteOrder.BIG_ENDIAN).iface(1, 0, -1).enhanced(0, 1, FRAME).bytes();
        mismatch[mismatch.length - 1] = 4;
        assertEquals("test.pcap: byte 52: enhanced packet block 3 has length 96 at its start but 4 at its end",
                CaptureRead.error(mismatch));
        byte[] overlong = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1).enhanced(0, 1, FRAME).bytes();
        ByteBuffer.wrap(overlong).order(ByteOrder.LITTLE_ENDIAN).putInt(52 + 20, 200);
        assertEquals("test.pcap: byte 52: enhanced packet block 3 claims 200 captured bytes, but its length leaves room for 64",
                CaptureRead.error(overlong));
    }

    @Test
    void pcapngPacketsOfUndescribedInterfacesOrOverTheSnaplenAreRefused() throws Exception {
        assertEquals("test.pcap: byte 52: enhanced packet block 3 names interface 1, but the section describes 1 interface",
                CaptureRead.error(new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(1, 0, -1).enhanced(1, 1, FRAME).bytes()));
        assertEquals("test.pcap: byte 52: enhanced packet block 3 claims 62 bytes, more than interface 0's snaplen of 40",
                CaptureRead.error(new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(1, 40, -1).enhanced(0, 1, FRAME).bytes()));
        byte[] badMagic = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN).bytes();
        badMagic[8] = 0;
        assertEquals("test.pcap: byte 0: section header block has byte-order magic 0x1A2B3C00, not 0x1A2B3C4D",
                CaptureRead.error(badMagic));
    }

    @Test
    void aSectionWithTooManyInterfacesIsRefused() throws Exception {
        CaptureBytes.Pcapng ng = new CaptureBytes.Pcapng(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= PcapngReader.MAX_INTERFACES; i++) {
            ng.iface(1, 0, -1);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CaptureRead.of(ng.bytes()));
        assertEquals("test.pcap: byte " + (28 + 24L * 65_536) + ": interface description block 65538 describes one interface"
                + " more than the limit of 65536 per section", e.getMessage());
        assertTrue(e.isLimitExceeded());
    }

    @Test
    void aGzipBombIsRefused() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(new CaptureBytes.Pcap(1).record(1, FRAME).bytes());
            gzip.write(new byte[1 << 20]);
        }
        InputLimits small = new InputLimits(1 << 20, 0.01, 1000, 500_000, 200);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CaptureRead.of(zipped.toByteArray(), CaptureOptions.DEFAULTS, small));
        assertEquals("test.pcap: decompresses to more than the limit of 500000 bytes", e.getMessage());
        assertTrue(e.isLimitExceeded());
    }
}
