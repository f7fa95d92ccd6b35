package io.anomalyze.detect;

import io.anomalyze.read.FlowTimestamps;
import java.time.Instant;

/**
 * Who talked to whom, when and over what: the identity of one record, as far as its input
 * tells. Flow records give a Flow ID, addresses, ports, protocol and times; connection records
 * (NSL-KDD) have no addresses and keep protocol, service and flag. Any part the input does not
 * give (or gives in a form that cannot be read) is null, {@link #UNKNOWN} or {@link #NO_TIME}.
 *
 * @param flowId      CICFlowMeter's Flow ID as the file wrote it, or null
 * @param srcAddress  source address as text (IPv4 dotted, IPv6 in RFC 5952 form), or null
 * @param srcPort     source port 0..65535, or {@link #UNKNOWN}
 * @param dstAddress  destination address, or null
 * @param dstPort     destination port, or {@link #UNKNOWN}
 * @param protocol    IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6), or {@link #UNKNOWN}
 * @param startMicros first packet, microseconds since 1970-01-01T00:00Z, or {@link #NO_TIME}
 * @param endMicros   last packet, or {@link #NO_TIME}
 * @param service     the connection record's service (http, private, ...), or null
 * @param flag        the connection record's status flag (SF, S0, REJ, ...), or null
 */
public record FlowIdentity(String flowId, String srcAddress, int srcPort, String dstAddress, int dstPort, int protocol,
                           long startMicros, long endMicros, String service, String flag) {

    /** A port or protocol the input does not give. */
    public static final int UNKNOWN = -1;
    /** A time the input does not give. */
    public static final long NO_TIME = Long.MIN_VALUE;
    /** Nothing known: records from inputs without identity, and verdicts stored before identity was kept. */
    public static final FlowIdentity EMPTY = new FlowIdentity(null, null, UNKNOWN, null, UNKNOWN, UNKNOWN, NO_TIME, NO_TIME, null, null);

    /** The identity of a connection record: protocol by name (tcp, udp, icmp), service and flag. */
    public static FlowIdentity connection(String protocolName, String service, String flag) {
        return new FlowIdentity(null, null, UNKNOWN, null, UNKNOWN, protocolNumber(protocolName), NO_TIME, NO_TIME, service, flag);
    }

    /** True when nothing is known. */
    public boolean isEmpty() {
        return flowId == null && srcAddress == null && srcPort == UNKNOWN && dstAddress == null && dstPort == UNKNOWN
                && protocol == UNKNOWN && startMicros == NO_TIME && endMicros == NO_TIME && service == null && flag == null;
    }

    /** The protocol's usual name (TCP, UDP, ICMP, ICMPv6), its number for others, or null when unknown. */
    public String protocolName() {
        return protocolName(protocol);
    }

    public static String protocolName(int protocol) {
        return switch (protocol) {
            case UNKNOWN -> null;
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 58 -> "ICMPv6";
            default -> Integer.toString(protocol);
        };
    }

    /** The IANA number of a protocol named tcp, udp, icmp or icmpv6 (any case) or given as a number; else {@link #UNKNOWN}. */
    public static int protocolNumber(String name) {
        return name == null ? UNKNOWN : io.anomalyze.read.flow.FlowBatch.protocolNumber(name);
    }

    /** Source as {@code address:port} ({@code [address]:port} for IPv6), either part alone, or null. */
    public String source() {
        return endpoint(srcAddress, srcPort);
    }

    /** Destination as {@code address:port}, either part alone, or null. */
    public String destination() {
        return endpoint(dstAddress, dstPort);
    }

    private static String endpoint(String address, int port) {
        if (address == null) {
            return port == UNKNOWN ? null : ":" + port;
        }
        if (port == UNKNOWN) {
            return address;
        }
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** The first packet's time, or null. */
    public Instant start() {
        return instant(startMicros);
    }

    /** The last packet's time, or null. */
    public Instant end() {
        return instant(endMicros);
    }

    private static Instant instant(long micros) {
        return micros == NO_TIME ? null : FlowTimestamps.instant(micros);
    }
}
