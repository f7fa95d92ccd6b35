package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBuffer.i32be;
import static io.anomalyze.capture.CaptureBuffer.i64be;
import static io.anomalyze.capture.CaptureBuffer.u16be;

/**
 * Takes a captured frame apart: link-layer header, IPv4 or IPv6 (with extension headers) and
 * the TCP, UDP, ICMP or ICMPv6 header, into a {@link Packet}. Reads straight from the capture
 * buffer and allocates nothing.
 *
 * <p>IPv4 and IPv6 fragments are not reassembled: a first fragment is decoded like any packet
 * (its payload length is that of the fragment), and a later fragment takes the ports of its
 * first from the {@link FragmentTable}, with its whole fragment as payload, so the datagram's
 * bytes all count towards one flow.
 */
final class PacketDecoder {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    /** Unknown-version marker for an ethertype that says "IP, read the version nibble". */
    private static final int ANY_IP = -1;
    private static final int MAX_IPV6_EXTENSION_HEADERS = 16;

    private final FragmentTable fragments = new FragmentTable();

    /**
     * Decodes {@code f} into {@code p}.
     *
     * @return null for an IP packet that is flow input, else why it is skipped
     */
    SkipReason decode(LinkFrame f, Packet p) {
        byte[] d = f.data;
        int start = f.start;
        int end = start + f.capturedLength;
        int ip;
        int version;
        switch (f.linkType) {
            case LinkType.ETHERNET -> {
                if (end - start < 14) {
                    return cut(f, SkipReason.BAD_LINK_HEADER);
                }
                int at = start + 12;
                int type = u16be(d, at);
                while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
                    at += 4;
                    if (end - at < 2) {
                        return cut(f, SkipReason.BAD_LINK_HEADER);
                    }
                    type = u16be(d, at);
                }
                ip = at + 2;
                version = ipVersionOf(type);
            }
            case LinkType.LINUX_SLL -> {
                if (end - start < 16) {
                    return cut(f, SkipReason.BAD_LINK_HEADER);
                }
                ip = start + 16;
                version = ipVersionOf(u16be(d, start + 14));
            }
            case LinkType.LINUX_SLL2 -> {
                if (end - start < 20) {
                    return cut(f, SkipReason.BAD_LINK_HEADER);
                }
                ip = start + 20;
                version = ipVersionOf(u16be(d, start));
            }
            case LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.RAW_BSD -> {
                ip = start;
                version = ANY_IP;
            }
            case LinkType.IPV4 -> {
                ip = start;
                version = 4;
            }
            case LinkType.IPV6 -> {
                ip = start;
                version = 6;
            }
            case LinkType.NULL, LinkType.LOOP -> {
                if (end - start < 4) {
                    return cut(f, SkipReason.BAD_LINK_HEADER);
                }
                int family = i32be(d, start);
                if (f.linkType == LinkType.NULL && (family & 0xffff) == 0) {
                    // NULL stores the family in the capturing host's byte order; little-endian hosts are the common case.
                    family = Integer.reverseBytes(family);
                }
                ip = start + 4;
                version = switch (family) {
                    case 2 -> 4;
                    case 10, 24, 28, 30 -> 6; // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS
                    default -> 0;
                };
            }
            default -> {
                return SkipReason.UNSUPPORTED_LINK_TYPE;
            }
        }
        if (version == 0) {
            return SkipReason.NON_IP;
        }
        if (version == ANY_IP) {
            if (end - ip < 1) {
                return cut(f, SkipReason.BAD_IPV4_HEADER);
            }
            version = (d[ip] & 0xff) >>> 4;
            if (version != 4 && version != 6) {
                return SkipReason.NON_IP;
            }
        }
        p.index = f.index;
        p.offset = f.offset;
        p.timestampMicros = f.timestampMicros;
        p.wireLength = f.wireLength;
        p.laterFragment = false;
        return version == 4 ? ipv4(f, ip, end, p) : ipv6(f, ip, end, p);
    }

    private static int ipVersionOf(int ethertype) {
        return ethertype == ETHERTYPE_IPV4 ? 4 : ethertype == ETHERTYPE_IPV6 ? 6 : 0;
    }

    private SkipReason ipv4(LinkFrame f, int ip, int end, Packet p) {
        byte[] d = f.data;
        if (end - ip < 20) {
            return cut(f, SkipReason.BAD_IPV4_HEADER);
        }
        int versionAndLength = d[ip] & 0xff;
        int headerLength = (versionAndLength & 0x0f) << 2;
        if (versionAndLength >>> 4 != 4 || headerLength < 20) {
            return SkipReason.BAD_IPV4_HEADER;
        }
        if (end - ip < headerLength) {
            return cut(f, SkipReason.BAD_IPV4_HEADER);
        }
        int totalLength = u16be(d, ip + 2);
        if (totalLength == 0) {
            // Packets captured on the sending host before segmentation offload carry length 0.
            totalLength = f.wireLength - (ip - f.start);
        }
        if (totalLength < headerLength) {
            return SkipReason.BAD_IPV4_HEADER;
        }
        int fragment = u16be(d, ip + 6);
        int protocol = d[ip + 9] & 0xff;
        p.ipVersion = 4;
        p.srcHigh = 0;
        p.srcLow = 0x0000_ffff_0000_0000L | (i32be(d, ip + 12) & 0xffff_ffffL);
        p.dstHigh = 0;
        p.dstLow = 0x0000_ffff_0000_0000L | (i32be(d, ip + 16) & 0xffff_ffffL);
        p.ipHeaderLength = headerLength;
        int ipPayload = totalLength - headerLength;
        if ((fragment & 0x1fff) != 0) {
            return laterFragment(p, protocol, u16be(d, ip + 4), ipPayload);
        }
        SkipReason skip = transport(f, ip + headerLength, end, protocol, ipPayload, p);
        if (skip == null && (fragment & 0x2000) != 0) {
            fragments.remember(p, u16be(d, ip + 4));
        }
        return skip;
    }

    private SkipReason ipv6(LinkFrame f, int ip, int end, Packet p) {
        byte[] d = f.data;
        if (end - ip < 40) {
            return cut(f, SkipReason.BAD_IPV6_HEADER);
        }
        if ((d[ip] & 0xff) >>> 4 != 6) {
            return SkipReason.BAD_IPV6_HEADER;
        }
        int remaining = u16be(d, ip + 4);
        if (remaining == 0) {
            // A jumbogram, or a packet captured before segmentation offload: the frame's length tells.
            remaining = Math.max(0, f.wireLength - (ip - f.start) - 40);
        }
        int next = d[ip + 6] & 0xff;
        p.ipVersion = 6;
        p.srcHigh = i64be(d, ip + 8);
        p.srcLow = i64be(d, ip + 16);
        p.dstHigh = i64be(d, ip + 24);
        p.dstLow = i64be(d, ip + 32);
        int at = ip + 40;
        boolean fragmented = false;
        boolean later = false;
        long fragmentId = 0;
        for (int headers = 0; ; headers++) {
            int length;
            switch (next) {
                case 0, 43, 60, 135, 139, 140, 253, 254 -> length = 8; // hop-by-hop, routing, destination, mobility, HIP, shim6, experiments
                case 51 -> length = 8; // authentication header
                case 44 -> length = 8; // fragment
                default -> length = -1;
            }
            if (length < 0) {
                break;
            }
            if (headers == MAX_IPV6_EXTENSION_HEADERS || remaining < length) {
                return SkipReason.BAD_IPV6_HEADER;
            }
            if (end - at < length) {
                return cut(f, SkipReason.BAD_IPV6_HEADER);
            }
            if (next == 44) {
                int offsetAndFlags = u16be(d, at + 2);
                fragmented = true;
                later = (offsetAndFlags & 0xfff8) != 0;
                fragmentId = i32be(d, at + 4) & 0xffff_ffffL;
            } else {
                length = next == 51 ? ((d[at + 1] & 0xff) + 2) << 2 : ((d[at + 1] & 0xff) + 1) << 3;
                if (remaining < length) {
                    return SkipReason.BAD_IPV6_HEADER;
                }
                if (end - at < length) {
                    return cut(f, SkipReason.BAD_IPV6_HEADER);
                }
            }
            next = d[at] & 0xff;
            at += length;
            remaining -= length;
            if (later) {
                break; // what follows a later fragment's header is data, not headers
            }
        }
        p.ipHeaderLength = at - ip;
        if (later) {
            return laterFragment(p, next, fragmentId, remaining);
        }
        SkipReason skip = transport(f, at, end, next, remaining, p);
        if (skip == null && fragmented) {
            fragments.remember(p, fragmentId);
        }
        return skip;
    }

    private SkipReason laterFragment(Packet p, int protocol, long id, int ipPayload) {
        if (!isFlowProtocol(protocol)) {
            return SkipReason.OTHER_IP_PROTOCOL;
        }
        p.protocol = protocol;
        if (!fragments.attach(p, id)) {
            return SkipReason.FRAGMENT_WITHOUT_FIRST;
        }
        p.laterFragment = true;
        p.tcpFlags = 0;
        p.tcpWindow = 0;
        p.transportHeaderLength = 0;
        p.payloadLength = ipPayload;
        return null;
    }

    private static boolean isFlowProtocol(int protocol) {
        return protocol == Packet.TCP || protocol == Packet.UDP || protocol == Packet.ICMP || protocol == Packet.ICMPV6;
    }

    /**
     * Decodes the transport header at {@code at}; {@code ipPayload} is the IP payload length the
     * IP header declares (the header's checks use it, the captured bytes only bound what is read).
     */
    private static SkipReason transport(LinkFrame f, int at, int end, int protocol, int ipPayload, Packet p) {
        byte[] d = f.data;
        p.protocol = protocol;
        switch (protocol) {
            case Packet.TCP -> {
                if (ipPayload < 20) {
                    return SkipReason.BAD_TCP_HEADER;
                }
                if (end - at < 20) {
                    return cut(f, SkipReason.BAD_TCP_HEADER);
                }
                int headerLength = ((d[at + 12] & 0xff) >>> 4) << 2;
                if (headerLength < 20 || headerLength > ipPayload) {
                    return SkipReason.BAD_TCP_HEADER;
                }
                p.srcPort = u16be(d, at);
                p.dstPort = u16be(d, at + 2);
                p.tcpFlags = d[at + 13] & 0xff;
                p.tcpWindow = u16be(d, at + 14);
                p.icmpType = -1;
                p.icmpCode = -1;
                p.transportHeaderLength = headerLength;
                p.payloadLength = ipPayload - headerLength;
                return null;
            }
            case Packet.UDP -> {
                if (ipPayload < 8) {
                    return SkipReason.BAD_UDP_HEADER;
                }
                if (end - at < 8) {
                    return cut(f, SkipReason.BAD_UDP_HEADER);
                }
                p.srcPort = u16be(d, at);
                p.dstPort = u16be(d, at + 2);
                p.icmpType = -1;
                p.icmpCode = -1;
            }
            case Packet.ICMP, Packet.ICMPV6 -> {
                if (ipPayload < 8) {
                    return SkipReason.BAD_ICMP_HEADER;
                }
                if (end - at < 8) {
                    return cut(f, SkipReason.BAD_ICMP_HEADER);
                }
                p.srcPort = 0;
                p.dstPort = 0;
                p.icmpType = d[at] & 0xff;
                p.icmpCode = d[at + 1] & 0xff;
            }
            default -> {
                return SkipReason.OTHER_IP_PROTOCOL;
            }
        }
        p.tcpFlags = 0;
        p.tcpWindow = 0;
        p.transportHeaderLength = 8;
        p.payloadLength = ipPayload - 8;
        return null;
    }

    /** A header that does not fit in the captured bytes: the snaplen's doing, or a malformed packet. */
    private static SkipReason cut(LinkFrame f, SkipReason otherwise) {
        return f.cutBySnaplen() ? SkipReason.TRUNCATED_BY_SNAPLEN : otherwise;
    }
}
