package io.anomalyze.capture.flow;

import io.anomalyze.capture.Packet;

/**
 * The open flows, found by their 5-tuple in either direction. An open-addressing hash table
 * (linear probing, deletion by backward shift, so no tombstones) over pooled {@link Flow}
 * objects, plus a list of the flows from least to most recently seen, which is what the timeout
 * sweep and the open-flow cap end first. Nothing is allocated per packet; the table and the
 * pool only grow, up to the cap.
 */
final class FlowTable {

    private Flow[] slots = new Flow[1024];
    private int mask = slots.length - 1;
    private int size;
    /** Least recently seen. */
    private Flow oldest;
    /** Most recently seen. */
    private Flow newest;
    /** Flows ended and ready for reuse, linked through {@link Flow#newer}. */
    private Flow pool;

    // The canonical key of the packet last looked up, lower endpoint first.
    private long aHigh;
    private long aLow;
    private long bHigh;
    private long bLow;
    private int aPort;
    private int bPort;
    private int protocol;
    private int hash;

    int size() {
        return size;
    }

    Flow oldest() {
        return oldest;
    }

    /** The open flow of the packet's 5-tuple in either direction, or null. */
    Flow find(Packet p) {
        keyOf(p);
        int i = hash & mask;
        for (Flow f = slots[i]; f != null; f = slots[i = (i + 1) & mask]) {
            if (f.keyALow == aLow && f.keyBLow == bLow && f.keyAPort == aPort && f.keyBPort == bPort
                    && f.protocol == protocol && f.keyAHigh == aHigh && f.keyBHigh == bHigh) {
                return f;
            }
        }
        return null;
    }

    /**
     * A new open flow under the key of the packet last passed to {@link #find}, which must have
     * found nothing. The caller starts it with {@link Flow#begin}.
     */
    Flow create() {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        Flow f = pool;
        if (f != null) {
            pool = f.newer;
        } else {
            f = new Flow();
        }
        f.keyAHigh = aHigh;
        f.keyALow = aLow;
        f.keyBHigh = bHigh;
        f.keyBLow = bLow;
        f.keyAPort = aPort;
        f.keyBPort = bPort;
        f.protocol = protocol;
        f.hash = hash;
        place(f, hash);
        size++;
        f.older = newest;
        f.newer = null;
        if (newest != null) {
            newest.newer = f;
        } else {
            oldest = f;
        }
        newest = f;
        return f;
    }

    /** Marks the flow as the most recently seen. */
    void touch(Flow f) {
        if (f == newest) {
            return;
        }
        unlink(f);
        f.older = newest;
        f.newer = null;
        newest.newer = f;
        newest = f;
    }

    /** Removes an ended flow and keeps its object for reuse. */
    void remove(Flow f) {
        int i = hashOf(f) & mask;
        while (slots[i] != f) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: pull later members of the probe run into the gap.
        int gap = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Flow g = slots[j];
            if (g == null) {
                break;
            }
            int home = hashOf(g) & mask;
            boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
            if (movable) {
                slots[gap] = g;
                gap = j;
            }
        }
        slots[gap] = null;
        size--;
        unlink(f);
        f.older = null;
        f.newer = pool;
        pool = f;
    }

    private void unlink(Flow f) {
        if (f.older != null) {
            f.older.newer = f.newer;
        } else {
            oldest = f.newer;
        }
        if (f.newer != null) {
            f.newer.older = f.older;
        } else {
            newest = f.older;
        }
    }

    private void place(Flow f, int h) {
        int i = h & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = f;
    }

    private void grow() {
        Flow[] old = slots;
        slots = new Flow[old.length * 2];
        mask = slots.length - 1;
        for (Flow f : old) {
            if (f != null) {
                place(f, f.hash);
            }
        }
    }

    private void keyOf(Packet p) {
        boolean srcFirst = p.srcHigh != p.dstHigh ? p.srcHigh < p.dstHigh
                : p.srcLow != p.dstLow ? p.srcLow < p.dstLow : p.srcPort <= p.dstPort;
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
        protocol = p.protocol;
        hash = hash(aHigh, aLow, bHigh, bLow, aPort, bPort, protocol);
    }

    private static int hashOf(Flow f) {
        return f.hash;
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
