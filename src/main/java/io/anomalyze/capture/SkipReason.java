package io.anomalyze.capture;

/**
 * Why a packet record did not become flow input. Each reason's label is the key under which
 * {@link CaptureStats#skipped()} counts it.
 */
public enum SkipReason {
    /** A frame of a supported link type that carries something other than IPv4 or IPv6 (ARP, LLDP, STP, ...). */
    NON_IP("non-IP"),
    /** A pcapng interface whose link type this reader cannot take apart; the label names the type. */
    UNSUPPORTED_LINK_TYPE("unsupported link type"),
    /** The capture kept too few bytes of the packet (snaplen) to hold the headers needed. */
    TRUNCATED_BY_SNAPLEN("truncated by snaplen"),
    /** A link-layer header shorter than its type requires, on a packet that was not cut by the snaplen. */
    BAD_LINK_HEADER("bad link-layer header"),
    BAD_IPV4_HEADER("bad IPv4 header"),
    BAD_IPV6_HEADER("bad IPv6 header"),
    BAD_TCP_HEADER("bad TCP header"),
    BAD_UDP_HEADER("bad UDP header"),
    BAD_ICMP_HEADER("bad ICMP header"),
    /** An IP packet of another protocol (GRE, ESP, IGMP, OSPF, ...), which CICFlowMeter does not turn into flows either. */
    OTHER_IP_PROTOCOL("IP protocol other than TCP, UDP, ICMP or ICMPv6"),
    /** A non-first fragment whose first fragment (the one with the ports) was not seen within the fragment table's reach. */
    FRAGMENT_WITHOUT_FIRST("IP fragment whose first fragment was not seen"),
    /** A packet whose timestamp is earlier than a packet already handed on: beyond the reorder window. */
    OUT_OF_ORDER("out of order beyond the window");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** The key of this reason in {@link CaptureStats#skipped()}. */
    public String label() {
        return label;
    }
}
