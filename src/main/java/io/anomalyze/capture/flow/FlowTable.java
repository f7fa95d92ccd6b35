package io.anomalyze.capture.flow;

import io.anomalyze.capture.Packet;

/**
 * The open flows, found by their 5-tuple in either direction. Each open flow is an entry: a
 * small integer naming a row of parallel primitive arrays (key, start and last-seen times,
 * links of the least-to-most-recently-seen list, and the first packet). An open-addressing
 * index (linear probing, deletion by backward shift, so no tombstones) maps key hashes to
 * entries; it holds the hashes beside the entry numbers, so probing never leaves the index
 * until a hash matches.
 *
 * <p>A flow of one packet, which is what most flows of a flood or a scan stay, is only its row:
 * the fields of its packet are kept there, and a {@link Flow} with the full running statistics is
 * taken from a pool when a second packet arrives ({@link #promote}), by replaying the first
 * packet into it. A one-packet flow is emitted the same way, through a scratch {@link Flow}
 * ({@link #materialize}), so its features are computed by exactly the code of every other flow.
 * An open one-packet flow costs about 100 bytes instead of a kilobyte, which is what keeps a
 * flood's hundreds of thousands of open flows in cache.
 *
 * <p>Nothing is allocated per packet; the arrays and the pool only grow, up to the cap.
 */
final class FlowTable {

    static final int NONE = -1;

    /** Flows made at once when the pool is empty. */
    private static final int POOL_FILL = 64;

    /**
     * Longs per entry row: the key (aHigh, aLow, bHigh, bLow, ports and protocol), start time,
     * last-seen time, the first packet (payload length and TCP window; info word and ICMP type
     * and code) and the key's hash. One row is two cache lines, so finding, replaying and timing
     * out a flow touch little memory.
     */
    private static final int ROW = 10;
    private static final int START = 5;
    private static final int LAST_SEEN = 6;
    private static final int PAYLOAD_WINDOW = 7;
    private static final int INFO_ICMP = 8;
    private static final int HASH = 9;

    // Bits of the first packet's info word.
    private static final int INFO_FLAGS = 0xff;
    private static final int INFO_HEADER_SHIFT = 8;
    private static final int INFO_VERSION_SHIFT = 16;
    private static final int INFO_SRC_IS_A = 1 << 20;
    private static final int INFO_FORWARD = 1 << 21;

    /** The index: per slot, the key's hash in the upper half and entry number + 1 in the lower (0 = empty). */
    private long[] index = new long[1024];
    private int mask = index.length - 1;

    /** Entry rows, {@link #ROW} longs each. */
    private long[] rows;
    /** Older and newer neighbour in the recency list; for free entries, the next free one. */
    private int[] links;
    /** The running statistics, or null while the flow has one packet. */
    private Flow[] flows;
    private int capacity;
    private int used;
    private int freeEntries = NONE;

    private int size;
    private int oldest = NONE;
    private int newest = NONE;
    /** Flow objects made ahead or released by ended flows, for reuse. */
    private Flow[] pool = new Flow[POOL_FILL];
    private int pooled;

    // The canonical key of the packet last looked up, lower endpoint first.
    private long aHigh;
    private long aLow;
    private long bHigh;
    private long bLow;
    private long ports;
    private int hash;
    private boolean srcIsA;

    private final Packet replay = new Packet();
    private final Flow scratch = new Flow();

    FlowTable() {
        allocate(1024);
    }

    int size() {
        return size;
    }

    /** The entry seen least recently, or {@link #NONE}. */
    int oldest() {
        return oldest;
    }

    /** The open entry of the packet's 5-tuple in either direction, or {@link #NONE}. */
    int find(Packet p) {
        keyOf(p);
        long h = (long) hash << 32;
        long[] index = this.index;
        long[] r = rows;
        int i = hash & mask;
        for (long slot = index[i]; slot != 0; slot = index[i = (i + 1) & mask]) {
            if ((slot & 0xffff_ffff_0000_0000L) == h) {
                int e = (int) slot - 1;
                int k = e * ROW;
                if (r[k + 1] == aLow && r[k + 3] == bLow && r[k + 4] == ports && r[k] == aHigh && r[k + 2] == bHigh) {
                    return e;
                }
            }
        }
        return NONE;
    }

    /**
     * A new open one-packet flow under the key of {@code p}, which must be the packet last passed
     * to {@link #find} and have found nothing. It becomes the most recently seen entry.
     *
     * @param packetIsForward whether {@code p} goes in the flow's forward direction
     */
    int create(Packet p, boolean packetIsForward) {
        if ((size + 1) * 2 > index.length) {
            growIndex();
        }
        int e;
        if (freeEntries != NONE) {
            e = freeEntries;
            freeEntries = links[2 * e + 1];
        } else {
            if (used == capacity) {
                allocate(capacity * 2);
            }
            e = used++;
        }
        int k = e * ROW;
        long[] r = rows;
        r[k] = aHigh;
        r[k + 1] = aLow;
        r[k + 2] = bHigh;
        r[k + 3] = bLow;
        r[k + 4] = ports;
        r[k + HASH] = hash;
        place(e, hash);
        size++;
        links[2 * e] = newest;
        links[2 * e + 1] = NONE;
        if (newest != NONE) {
            links[2 * newest + 1] = e;
        } else {
            oldest = e;
        }
        newest = e;
        setFirst(e, p, packetIsForward, srcIsA);
        return e;
    }

    /**
     * Ends the entry's flow (the caller has emitted it) and starts the next one on the same key
     * with {@code p} as its one packet; the entry becomes the most recently seen.
     */
    void restart(int e, Packet p, boolean packetIsForward) {
        release(e);
        setFirst(e, p, packetIsForward, sourceFirst(p));
        touch(e, p.timestampMicros);
    }

    private void setFirst(int e, Packet p, boolean packetIsForward, boolean packetSrcIsA) {
        long t = p.timestampMicros;
        int k = e * ROW;
        long[] r = rows;
        r[k + START] = t;
        r[k + LAST_SEEN] = t;
        r[k + PAYLOAD_WINDOW] = (long) p.payloadLength << 32 | (p.tcpWindow & 0xffff_ffffL);
        int info = (p.tcpFlags & INFO_FLAGS) | (p.transportHeaderLength & 0xff) << INFO_HEADER_SHIFT
                | (p.ipVersion & 0xf) << INFO_VERSION_SHIFT | (packetSrcIsA ? INFO_SRC_IS_A : 0)
                | (packetIsForward ? INFO_FORWARD : 0);
        int icmp = (p.icmpType & 0xffff) << 16 | (p.icmpCode & 0xffff);
        r[k + INFO_ICMP] = (long) info << 32 | (icmp & 0xffff_ffffL);
    }

    /** The entry's running statistics, or null while its flow has one packet. */
    Flow flow(int e) {
        return flows[e];
    }

    long start(int e) {
        return rows[e * ROW + START];
    }

    long lastSeen(int e) {
        return rows[e * ROW + LAST_SEEN];
    }

    int protocol(int e) {
        return (int) rows[e * ROW + 4] & 0xff;
    }

    /** ICMP type of the flow's first packet (-1 for other protocols). */
    int icmpType(int e) {
        return (short) (rows[e * ROW + INFO_ICMP] >>> 16);
    }

    /** ICMP code of the flow's first packet (-1 for other protocols). */
    int icmpCode(int e) {
        return (short) rows[e * ROW + INFO_ICMP];
    }

    private int info(int e) {
        return (int) (rows[e * ROW + INFO_ICMP] >>> 32);
    }

    /** High half of the flow's source address (its forward direction's sender). */
    long srcHigh(int e) {
        Flow f = flows[e];
        if (f != null) {
            return f.srcHigh;
        }
        return rows[e * ROW + (sourceIsA(e) ? 0 : 2)];
    }

    long srcLow(int e) {
        Flow f = flows[e];
        if (f != null) {
            return f.srcLow;
        }
        return rows[e * ROW + (sourceIsA(e) ? 1 : 3)];
    }

    /** Whether the one-packet flow's source is the key's first endpoint. */
    private boolean sourceIsA(int e) {
        int info = info(e);
        boolean packetSrcIsA = (info & INFO_SRC_IS_A) != 0;
        boolean forward = (info & INFO_FORWARD) != 0;
        return packetSrcIsA == forward;
    }

    /**
     * The entry's running statistics, starting them from its first packet when the flow has had
     * only that one so far. The caller then adds the new packet.
     */
    Flow promote(int e, long activityTimeoutMicros) {
        Flow f = flows[e];
        if (f != null) {
            return f;
        }
        if (pooled == 0) {
            fillPool();
        }
        f = pool[--pooled];
        pool[pooled] = null;
        replayFirst(e, f, activityTimeoutMicros);
        flows[e] = f;
        return f;
    }

    /** The flow of the entry ready to be read: its running statistics, or a scratch flow rebuilt from its one packet. */
    Flow materialize(int e, long activityTimeoutMicros) {
        Flow f = flows[e];
        if (f != null) {
            return f;
        }
        replayFirst(e, scratch, activityTimeoutMicros);
        return scratch;
    }

    private void replayFirst(int e, Flow into, long activityTimeoutMicros) {
        Packet p = replay;
        long[] r = rows;
        int k = e * ROW;
        long infoIcmp = r[k + INFO_ICMP];
        int info = (int) (infoIcmp >>> 32);
        long portsAndProtocol = r[k + 4];
        int aPort = (int) (portsAndProtocol >>> 32);
        int bPort = (int) (portsAndProtocol >>> 16) & 0xffff;
        if ((info & INFO_SRC_IS_A) != 0) {
            p.srcHigh = r[k];
            p.srcLow = r[k + 1];
            p.srcPort = aPort;
            p.dstHigh = r[k + 2];
            p.dstLow = r[k + 3];
            p.dstPort = bPort;
        } else {
            p.srcHigh = r[k + 2];
            p.srcLow = r[k + 3];
            p.srcPort = bPort;
            p.dstHigh = r[k];
            p.dstLow = r[k + 1];
            p.dstPort = aPort;
        }
        p.protocol = (int) portsAndProtocol & 0xff;
        p.timestampMicros = r[k + START];
        long payloadWindow = r[k + PAYLOAD_WINDOW];
        p.payloadLength = (int) (payloadWindow >>> 32);
        p.tcpWindow = (int) payloadWindow;
        p.tcpFlags = info & INFO_FLAGS;
        p.transportHeaderLength = (info >>> INFO_HEADER_SHIFT) & 0xff;
        p.ipVersion = (info >>> INFO_VERSION_SHIFT) & 0xf;
        p.icmpType = (short) (infoIcmp >>> 16);
        p.icmpCode = (short) infoIcmp;
        into.begin(p, (info & INFO_FORWARD) != 0, activityTimeoutMicros);
    }

    /** Marks the entry as the most recently seen, at time {@code t}. */
    void touch(int e, long t) {
        rows[e * ROW + LAST_SEEN] = t;
        if (e == newest) {
            return;
        }
        unlink(e);
        links[2 * e] = newest;
        links[2 * e + 1] = NONE;
        links[2 * newest + 1] = e;
        newest = e;
    }

    /** Removes an ended flow's entry; its statistics object is kept for reuse. */
    void remove(int e) {
        long[] index = this.index;
        long wanted = rows[e * ROW + HASH] << 32 | (e + 1);
        int i = (int) rows[e * ROW + HASH] & mask;
        while (index[i] != wanted) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: pull later members of the probe run into the gap.
        int gap = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long slot = index[j];
            if (slot == 0) {
                break;
            }
            int home = (int) (slot >>> 32) & mask;
            boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
            if (movable) {
                index[gap] = slot;
                gap = j;
            }
        }
        index[gap] = 0;
        size--;
        unlink(e);
        release(e);
        links[2 * e + 1] = freeEntries;
        freeEntries = e;
    }

    /**
     * Makes flows ahead, {@link #POOL_FILL} at a time. Kept out of {@link #promote}: the JIT
     * inlines constructors wherever they are called, and the running statistics' constructor
     * inlined into the per-packet path made that path take several times longer to compile,
     * long enough to matter in a capture read in a few seconds.
     */
    private void fillPool() {
        for (int i = 0; i < POOL_FILL; i++) {
            if (pooled == pool.length) {
                pool = java.util.Arrays.copyOf(pool, pooled * 2);
            }
            pool[pooled++] = new Flow();
        }
    }

    private void release(int e) {
        Flow f = flows[e];
        if (f != null) {
            flows[e] = null;
            if (pooled == pool.length) {
                pool = java.util.Arrays.copyOf(pool, pooled * 2);
            }
            pool[pooled++] = f;
        }
    }

    private void unlink(int e) {
        int older = links[2 * e];
        int newer = links[2 * e + 1];
        if (older != NONE) {
            links[2 * older + 1] = newer;
        } else {
            oldest = newer;
        }
        if (newer != NONE) {
            links[2 * newer] = older;
        } else {
            newest = older;
        }
    }

    private void place(int e, int h) {
        int i = h & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = (long) h << 32 | (e + 1);
    }

    private void growIndex() {
        long[] old = index;
        index = new long[old.length * 2];
        mask = index.length - 1;
        for (long slot : old) {
            if (slot != 0) {
                place((int) slot - 1, (int) (slot >>> 32));
            }
        }
    }

    private void allocate(int newCapacity) {
        rows = rows == null ? new long[newCapacity * ROW] : java.util.Arrays.copyOf(rows, newCapacity * ROW);
        links = links == null ? new int[newCapacity * 2] : java.util.Arrays.copyOf(links, newCapacity * 2);
        flows = flows == null ? new Flow[newCapacity] : java.util.Arrays.copyOf(flows, newCapacity);
        capacity = newCapacity;
    }

    /** Whether the packet's source is the lower endpoint, the first of the canonical key. */
    private static boolean sourceFirst(Packet p) {
        return p.srcHigh != p.dstHigh ? p.srcHigh < p.dstHigh
                : p.srcLow != p.dstLow ? p.srcLow < p.dstLow : p.srcPort <= p.dstPort;
    }

    private void keyOf(Packet p) {
        boolean srcFirst = sourceFirst(p);
        int aPort;
        int bPort;
        if (srcFirst) {
            aHigh = p.srcHigh;
            aLow = p.srcLow;
            aPort = p.srcPort;
            bHigh = p.dstHigh;
            bLow = p.dstLow;
            bPort = p.dstPort;
        } else {
            aHigh = p.dstHigh;
            aLow = p.dstLow;
            aPort = p.dstPort;
            bHigh = p.srcHigh;
            bLow = p.srcLow;
            bPort = p.srcPort;
        }
        srcIsA = srcFirst;
        ports = (long) aPort << 32 | (long) (bPort & 0xffff) << 16 | (p.protocol & 0xff);
        hash = hash(aHigh, aLow, bHigh, bLow, aPort, bPort, p.protocol);
    }

    /**
     * A hash of the canonical 5-tuple through three rounds of MurmurHash3's 64-bit finaliser.
     * Attack traffic is structured (consecutive spoofed addresses, consecutive ports), and a
     * weaker mix clusters such keys in a linear-probing table.
     */
    private static int hash(long aHigh, long aLow, long bHigh, long bLow, int aPort, int bPort, int protocol) {
        long h = mix(aLow + 0x9E3779B97F4A7C15L * aHigh);
        h = mix(h ^ bLow ^ Long.rotateLeft(bHigh, 32));
        h = mix(h ^ ((long) aPort << 40 | (long) bPort << 16 | protocol));
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}
