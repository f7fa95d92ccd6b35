package io.anomalyze.capture;

/**
 * Remembers the ports of recently seen first fragments, so that later fragments of the same IP
 * datagram (which carry no transport header) join the flow of their first one. Keyed, as IP
 * reassembly is, by source, destination, protocol and identification.
 *
 * <p>Bounded: {@value #SETS} sets of {@value #WAYS} entries in primitive arrays; a new first
 * fragment takes an empty or expired entry of its set, else the oldest. An entry expires
 * {@value #EXPIRY_MICROS} µs (capture time) after its first fragment, like the 30 s reassembly
 * timeout of Linux.
 */
final class FragmentTable {

    static final int SETS = 1024;
    static final int WAYS = 4;
    static final long EXPIRY_MICROS = 30_000_000L;

    private final long[] srcHigh = new long[SETS * WAYS];
    private final long[] srcLow = new long[SETS * WAYS];
    private final long[] dstHigh = new long[SETS * WAYS];
    private final long[] dstLow = new long[SETS * WAYS];
    /** protocol << 32 | identification; 0 marks an empty entry (protocol is never 0 here). */
    private final long[] protocolAndId = new long[SETS * WAYS];
    /** srcPort << 16 | dstPort, or ICMP type << 16 | code. */
    private final int[] ports = new int[SETS * WAYS];
    private final long[] seenAt = new long[SETS * WAYS];

    /** Remembers the ports of {@code p}, a first fragment of datagram {@code id}. */
    void remember(Packet p, long id) {
        long key = (long) p.protocol << 32 | id;
        int set = setOf(p, key);
        int victim = set;
        for (int i = set; i < set + WAYS; i++) {
            if (protocolAndId[i] == 0 || matches(i, p, key)) {
                victim = i;
                break;
            }
            if (seenAt[i] < seenAt[victim]) {
                victim = i;
            }
        }
        srcHigh[victim] = p.srcHigh;
        srcLow[victim] = p.srcLow;
        dstHigh[victim] = p.dstHigh;
        dstLow[victim] = p.dstLow;
        protocolAndId[victim] = key;
        ports[victim] = p.protocol == Packet.ICMP || p.protocol == Packet.ICMPV6
                ? p.icmpType << 16 | p.icmpCode : p.srcPort << 16 | p.dstPort;
        seenAt[victim] = p.timestampMicros;
    }

    /**
     * Gives {@code p} (a later fragment whose addresses, protocol and time are set) the ports of
     * its first fragment.
     *
     * @return false when its first fragment was not seen (or has expired)
     */
    boolean attach(Packet p, long id) {
        long key = (long) p.protocol << 32 | id;
        int set = setOf(p, key);
        for (int i = set; i < set + WAYS; i++) {
            if (protocolAndId[i] == key && matches(i, p, key)) {
                if (Math.abs(p.timestampMicros - seenAt[i]) > EXPIRY_MICROS) {
                    return false;
                }
                int packed = ports[i];
                if (p.protocol == Packet.ICMP || p.protocol == Packet.ICMPV6) {
                    p.icmpType = packed >>> 16;
                    p.icmpCode = packed & 0xffff;
                    p.srcPort = 0;
                    p.dstPort = 0;
                } else {
                    p.srcPort = packed >>> 16;
                    p.dstPort = packed & 0xffff;
                    p.icmpType = -1;
                    p.icmpCode = -1;
                }
                return true;
            }
        }
        return false;
    }

    private boolean matches(int i, Packet p, long key) {
        return protocolAndId[i] == key && srcLow[i] == p.srcLow && dstLow[i] == p.dstLow
                && srcHigh[i] == p.srcHigh && dstHigh[i] == p.dstHigh;
    }

    private static int setOf(Packet p, long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= p.srcLow * 0xC2B2AE3D27D4EB4FL;
        h ^= p.dstLow * 0x165667B19E3779F9L;
        h ^= (p.srcHigh ^ Long.rotateLeft(p.dstHigh, 17)) * 0x27D4EB2F165667C5L;
        h ^= h >>> 29;
        return (int) (h & (SETS - 1)) * WAYS;
    }
}
