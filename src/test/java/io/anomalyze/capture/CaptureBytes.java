package io.anomalyze.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds capture files and the packets in them byte by byte, for tests: classic pcap and pcapng
 * writers, link-layer framings, and IPv4/IPv6 packets with TCP, UDP or ICMP headers.
 */
final class CaptureBytes {

    private CaptureBytes() {
    }

    // ---- packets ----

    /** An IPv4 packet: 20-byte header, then {@code transport} (header and payload). */
    static byte[] ipv4(int src, int dst, int protocol, int id, int fragmentField, byte[] transport) {
        ByteBuffer b = ByteBuffer.allocate(20 + transport.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + transport.length)).putShort((short) id)
                .putShort((short) fragmentField).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(src).putInt(dst).put(transport);
        return b.array();
    }

    static byte[] ipv4(int src, int dst, int protocol, byte[] transport) {
        return ipv4(src, dst, protocol, 1, 0, transport);
    }

    /** An IPv6 packet; {@code afterHeader} holds extension headers (if any) then the transport header and payload. */
    static byte[] ipv6(long srcHigh, long srcLow, long dstHigh, long dstLow, int nextHeader, byte[] afterHeader) {
        ByteBuffer b = ByteBuffer.allocate(40 + afterHeader.length);
        b.putInt(0x6000_0000).putShort((short) afterHeader.length).put((byte) nextHeader).put((byte) 64)
                .putLong(srcHigh).putLong(srcLow).putLong(dstHigh).putLong(dstLow).put(afterHeader);
        return b.array();
    }

    /** A TCP header with {@code options} bytes of options (a multiple of 4) and {@code payload} bytes of data. */
    static byte[] tcp(int srcPort, int dstPort, int flags, int window, int options, int payload) {
        int header = 20 + options;
        ByteBuffer b = ByteBuffer.allocate(header + payload);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(1000).putInt(0)
                .put((byte) ((header / 4) << 4)).put((byte) flags).putShort((short) window).putInt(0);
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    static byte[] icmp(int type, int code, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.put((byte) type).put((byte) code);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /** The low long of an IPv4 address held as IPv4-mapped IPv6. */
    static long mapped(int ipv4) {
        return 0x0000_ffff_0000_0000L | (ipv4 & 0xffff_ffffL);
    }

    // ---- link layers ----

    /** An Ethernet frame; {@code vlanTags} are (TPID, TCI) pairs put before the ethertype. */
    static byte[] ethernet(int ethertype, byte[] payload, int... vlanTags) {
        ByteBuffer b = ByteBuffer.allocate(14 + 2 * vlanTags.length + payload.length);
        b.put(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        for (int tag : vlanTags) {
            b.putShort((short) tag);
        }
        b.putShort((short) ethertype).put(payload);
        return b.array();
    }

    static byte[] sll(int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 6).put(new byte[8]).putShort((short) protocol).put(payload);
        return b.array();
    }

    static byte[] sll2(int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) protocol).putShort((short) 0).putInt(2).putShort((short) 1).put((byte) 0).put((byte) 6)
                .put(new byte[8]).put(payload);
        return b.array();
    }

    /** A BSD loopback frame: the address family as a 4-byte integer in the given order. */
    static byte[] loopback(int family, ByteOrder order, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length).order(order);
        b.putInt(family).put(payload);
        return b.array();
    }

    // ---- classic pcap ----

    /** A classic pcap file being written. */
    static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;
        private final boolean nanos;

        Pcap(ByteOrder order, boolean nanos, int snaplen, int linkType) {
            this.order = order;
            this.nanos = nanos;
            ByteBuffer b = ByteBuffer.allocate(24).order(order);
            b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(snaplen).putInt(linkType);
            out.writeBytes(b.array());
        }

        Pcap(int linkType) {
            this(ByteOrder.LITTLE_ENDIAN, false, 65535, linkType);
        }

        /** A record at {@code seconds} plus {@code fraction} (µs or ns) holding the first {@code captured} bytes of {@code frame}. */
        Pcap record(long seconds, long fraction, byte[] frame, int captured) {
            ByteBuffer b = ByteBuffer.allocate(16).order(order);
            b.putInt((int) seconds).putInt((int) fraction).putInt(captured).putInt(frame.length);
            out.writeBytes(b.array());
            out.write(frame, 0, captured);
            return this;
        }

        Pcap record(long micros, byte[] frame) {
            return record(micros / 1_000_000, nanos ? micros % 1_000_000 * 1000 : micros % 1_000_000, frame, frame.length);
        }

        /** A record header with any lengths, and {@code body} after it. */
        Pcap rawRecord(int captured, int wire, byte[] body) {
            ByteBuffer b = ByteBuffer.allocate(16).order(order);
            b.putInt(1).putInt(0).putInt(captured).putInt(wire);
            out.writeBytes(b.array());
            out.writeBytes(body);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ---- pcapng ----

    /** A pcapng file being written, block by block; each section may have its own byte order. */
    static final class Pcapng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        Pcapng(ByteOrder order) {
            section(order);
        }

        Pcapng section(ByteOrder order) {
            this.order = order;
            ByteBuffer body = buffer(16);
            body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            return block(0x0A0D0D0A, body.array());
        }

        /** An interface with an optional {@code if_tsresol} (-1 for none). */
        Pcapng iface(int linkType, int snaplen, int tsresol) {
            return iface(linkType, snaplen, tsresol, 0);
        }

        /** An interface with an optional {@code if_tsresol} (-1 for none) and {@code if_tsoffset} (0 for none). */
        Pcapng iface(int linkType, int snaplen, int tsresol, long offsetSeconds) {
            ByteBuffer body = buffer(8 + (tsresol >= 0 ? 8 : 0) + (offsetSeconds != 0 ? 12 : 0) + 4);
            body.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
            if (tsresol >= 0) {
                body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            }
            if (offsetSeconds != 0) {
                body.putShort((short) 14).putShort((short) 8).putLong(offsetSeconds); // a 64-bit integer in the section's byte order
            }
            body.putInt(0); // opt_endofopt
            return block(1, body.array());
        }

        Pcapng enhanced(int iface, long units, byte[] frame, int captured) {
            ByteBuffer body = buffer(20 + pad(captured));
            body.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(captured).putInt(frame.length)
                    .put(frame, 0, captured);
            return block(6, body.array());
        }

        Pcapng enhanced(int iface, long units, byte[] frame) {
            return enhanced(iface, units, frame, frame.length);
        }

        Pcapng simple(byte[] frame) {
            ByteBuffer body = buffer(4 + pad(frame.length));
            body.putInt(frame.length).put(frame);
            return block(3, body.array());
        }

        Pcapng obsolete(int iface, long units, byte[] frame) {
            ByteBuffer body = buffer(20 + pad(frame.length));
            body.putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                    .putInt(frame.length).putInt(frame.length).put(frame);
            return block(2, body.array());
        }

        /** A block of any type with the given body (padded to 4 bytes). */
        Pcapng block(int type, byte[] body) {
            int length = 12 + pad(body.length);
            ByteBuffer b = buffer(length);
            b.putInt(type).putInt(length).put(body).position(length - 4);
            b.putInt(length);
            out.writeBytes(b.array());
            return this;
        }

        /** Raw bytes, for malformed blocks. */
        Pcapng raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        ByteBuffer buffer(int size) {
            return ByteBuffer.allocate(size).order(order);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private static int pad(int n) {
            return (n + 3) & ~3;
        }
    }
}
