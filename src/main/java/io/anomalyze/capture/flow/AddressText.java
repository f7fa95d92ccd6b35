package io.anomalyze.capture.flow;

import io.anomalyze.read.IpAddresses;

/**
 * Text of an address held as two longs (see {@link io.anomalyze.capture.Packet}): dotted quad
 * for IPv4-mapped addresses, otherwise the RFC 5952 form of IPv6 (lower case, the longest run of
 * two or more zero groups shortened to {@code ::}).
 */
public final class AddressText {

    private static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private AddressText() {
    }

    public static String of(long high, long low) {
        if (isIpv4(high, low)) {
            return IpAddresses.ipv4Text((int) low);
        }
        StringBuilder sb = new StringBuilder(39);
        append(sb, high, low);
        return sb.toString();
    }

    /** Whether the address is an IPv4 address (held in its IPv4-mapped form). */
    public static boolean isIpv4(long high, long low) {
        return high == 0 && (low & 0xffff_ffff_0000_0000L) == IPV4_MAPPED_PREFIX;
    }

    public static void append(StringBuilder sb, long high, long low) {
        if (isIpv4(high, low)) {
            IpAddresses.appendIpv4(sb, (int) low);
        } else {
            IpAddresses.appendIpv6(sb, high, low);
        }
    }
}
