package io.anomalyze.capture;

/**
 * One IP packet of a capture, decoded down to its transport header. A {@link PacketSource}
 * fills the same instance for every packet, so reading a capture allocates nothing per packet;
 * a consumer that keeps a packet past the next call must copy the fields it needs.
 *
 * <p>Addresses are held as two longs each (the 128 bits of an IPv6 address, most significant
 * first). An IPv4 address is held as its IPv4-mapped IPv6 form {@code ::ffff:a.b.c.d}
 * ({@code high = 0}, {@code low = 0x0000_ffff_0000_0000L | ipv4}), so one flow key serves both
 * versions.
 *
 * <p>Lengths follow CICFlowMeter: {@link #payloadLength} is the transport payload as the IP
 * header declares it (not as captured), so a snaplen that cut the packet short does not change
 * the flow's byte counts.
 */
public final class Packet {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** 0-based index of the packet among all records of the capture (including skipped ones). */
    public long index;
    /** Byte offset of the packet's record in the (decompressed) capture, for messages. */
    public long offset;
    /** Capture time, microseconds since 1970-01-01T00:00Z (nanosecond captures are truncated). */
    public long timestampMicros;
    /** 4 or 6. */
    public int ipVersion;
    public long srcHigh;
    public long srcLow;
    public long dstHigh;
    public long dstLow;
    /** IP protocol number of the transport header ({@link #TCP}, {@link #UDP}, {@link #ICMP}, {@link #ICMPV6}). */
    public int protocol;
    /** Source port; 0 for ICMP. */
    public int srcPort;
    /** Destination port; 0 for ICMP. */
    public int dstPort;
    /** ICMP/ICMPv6 type and code; -1 for other protocols. */
    public int icmpType;
    public int icmpCode;
    /** TCP flag bits as in the header's 13th byte ({@link #FIN} ... {@link #CWR}); 0 for other protocols. */
    public int tcpFlags;
    /** TCP window field (unscaled); 0 for other protocols. */
    public int tcpWindow;
    /** Length of the IP header including IPv6 extension headers, in bytes. */
    public int ipHeaderLength;
    /** Length of the transport header (TCP with options: data offset × 4; UDP 8; ICMP 8), in bytes. */
    public int transportHeaderLength;
    /** Transport payload in bytes, from the IP header's length fields. */
    public int payloadLength;
    /** The packet's length on the wire as the capture records it. */
    public int wireLength;
    /**
     * True for an IPv4 or IPv6 fragment other than the first: it carries no transport header, so
     * its ports (or ICMP type and code) come from its first fragment, and {@link #payloadLength}
     * is the whole fragment ({@link #transportHeaderLength} 0, {@link #tcpFlags} 0). A later
     * fragment whose first fragment was not seen is skipped and counted, never handed on.
     */
    public boolean laterFragment;

    /** Copies every field of {@code other} into this packet. */
    public void copyFrom(Packet other) {
        index = other.index;
        offset = other.offset;
        timestampMicros = other.timestampMicros;
        ipVersion = other.ipVersion;
        srcHigh = other.srcHigh;
        srcLow = other.srcLow;
        dstHigh = other.dstHigh;
        dstLow = other.dstLow;
        protocol = other.protocol;
        srcPort = other.srcPort;
        dstPort = other.dstPort;
        icmpType = other.icmpType;
        icmpCode = other.icmpCode;
        tcpFlags = other.tcpFlags;
        tcpWindow = other.tcpWindow;
        ipHeaderLength = other.ipHeaderLength;
        transportHeaderLength = other.transportHeaderLength;
        payloadLength = other.payloadLength;
        wireLength = other.wireLength;
        laterFragment = other.laterFragment;
    }
}
