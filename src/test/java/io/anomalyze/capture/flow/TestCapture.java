package io.anomalyze.capture.flow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds small classic-pcap captures (Ethernet, optionally 802.1Q-tagged; IPv4 or IPv6; TCP,
 * UDP or ICMP) byte by byte, so tests need no capture files.
 */
public final class TestCapture {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int vlan = -1;
    private int ipId = 1;

    public TestCapture() {
        int32le(0xa1b2c3d4);
        int16le(2);
        int16le(4);
        int32le(0);
        int32le(0);
        int32le(65535);
        int32le(1);
    }

    /** Tags the following frames with this 802.1Q VLAN id (-1 for untagged). */
    public TestCapture vlan(int id) {
        vlan = id;
        return this;
    }

    public TestCapture tcp(long micros, String src, int srcPort, String dst, int dstPort, int flags, int payload) {
        byte[] l4 = new byte[20 + payload];
        port(l4, 0, srcPort);
        port(l4, 2, dstPort);
        l4[12] = 0x50;
        l4[13] = (byte) flags;
        l4[14] = (byte) 0x72;
        l4[15] = (byte) 0x10;
        return ip(micros, src, dst, 6, l4, 0, false);
    }

    public TestCapture udp(long micros, String src, int srcPort, String dst, int dstPort, int payload) {
        byte[] l4 = new byte[8 + payload];
        port(l4, 0, srcPort);
        port(l4, 2, dstPort);
        port(l4, 4, 8 + payload);
        return ip(micros, src, dst, 17, l4, 0, false);
    }

    public TestCapture icmpEcho(long micros, String src, String dst, boolean request, int payload) {
        byte[] l4 = new byte[8 + payload];
        l4[0] = (byte) (request ? 8 : 0);
        return ip(micros, src, dst, 1, l4, 0, false);
    }

    /**
     * A UDP datagram sent as two IPv4 fragments: the first carries the UDP header and
     * {@code firstPayload} bytes, the second the remaining {@code secondPayload} bytes.
     */
    public TestCapture fragmentedUdp(long micros, String src, int srcPort, String dst, int dstPort, int firstPayload,
                                     int secondPayload) {
        if ((8 + firstPayload) % 8 != 0) {
            throw new IllegalArgumentException("fragment data must be a multiple of 8 bytes");
        }
        byte[] first = new byte[8 + firstPayload];
        port(first, 0, srcPort);
        port(first, 2, dstPort);
        port(first, 4, 8 + firstPayload + secondPayload);
        int id = ipId;
        ip(micros, src, dst, 17, first, 0, true);
        ipId = id;
        return ip(micros + 1, src, dst, 17, new byte[secondPayload], (8 + firstPayload) / 8, false);
    }

    private TestCapture ip(long micros, String src, String dst, int protocol, byte[] l4, int fragmentOffset8,
                           boolean moreFragments) {
        byte[] s = address(src);
        byte[] d = address(dst);
        boolean v6 = s.length == 16;
        byte[] frame;
        int l2 = vlan >= 0 ? 18 : 14;
        if (!v6) {
            frame = new byte[l2 + 20 + l4.length];
            int o = l2;
            frame[o] = 0x45;
            port(frame, o + 2, 20 + l4.length);
            port(frame, o + 4, ipId++);
            port(frame, o + 6, (moreFragments ? 0x2000 : 0) | fragmentOffset8);
            frame[o + 8] = 64;
            frame[o + 9] = (byte) protocol;
            System.arraycopy(s, 0, frame, o + 12, 4);
            System.arraycopy(d, 0, frame, o + 16, 4);
            System.arraycopy(l4, 0, frame, o + 20, l4.length);
        } else {
            frame = new byte[l2 + 40 + l4.length];
            int o = l2;
            frame[o] = 0x60;
            port(frame, o + 4, l4.length);
            frame[o + 6] = (byte) (protocol == 1 ? 58 : protocol);
            if (protocol == 1) {
                l4[0] = (byte) (l4[0] == 8 ? 128 : 129);
            }
            frame[o + 7] = 64;
            System.arraycopy(s, 0, frame, o + 8, 16);
            System.arraycopy(d, 0, frame, o + 24, 16);
            System.arraycopy(l4, 0, frame, o + 40, l4.length);
        }
        frame[0] = 2;
        frame[6] = 2;
        frame[11] = 1;
        if (vlan >= 0) {
            port(frame, 12, 0x8100);
            port(frame, 14, vlan);
            port(frame, 16, v6 ? 0x86dd : 0x0800);
        } else {
            port(frame, 12, v6 ? 0x86dd : 0x0800);
        }
        int32le((int) (micros / 1_000_000L));
        int32le((int) (micros % 1_000_000L));
        int32le(frame.length);
        int32le(frame.length);
        out.writeBytes(frame);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public Path writeTo(Path file) {
        try {
            return Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] address(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void port(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private void int16le(int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    private void int32le(int v) {
        int16le(v & 0xffff);
        int16le(v >>> 16);
    }
}
