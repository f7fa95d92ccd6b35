package io.anomalyze.capture;

/**
 * The link types (tcpdump.org LINKTYPE_* values) whose frames this reader can take apart down
 * to the IP header.
 */
final class LinkType {

    static final int NULL = 0;
    static final int ETHERNET = 1;
    /** DLT_RAW as written by some systems instead of {@link #RAW}. */
    static final int RAW_OPENBSD = 12;
    static final int RAW_BSD = 14;
    static final int RAW = 101;
    static final int LOOP = 108;
    static final int LINUX_SLL = 113;
    static final int IPV4 = 228;
    static final int IPV6 = 229;
    static final int LINUX_SLL2 = 276;

    /** For error messages. */
    static final String SUPPORTED = "Ethernet (1), Linux cooked SLL (113) and SLL2 (276), raw IP (101, 228, 229), BSD loopback (0, 108)";

    private LinkType() {
    }

    static boolean supported(int linkType) {
        return switch (linkType) {
            case NULL, ETHERNET, RAW_OPENBSD, RAW_BSD, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
            default -> false;
        };
    }
}
