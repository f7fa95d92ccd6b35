package io.anomalyze.capture;

import java.io.IOException;
import java.util.Map;

/**
 * Puts packets back in timestamp order within a bounded window. Captures are often slightly out
 * of order (several capture queues, merged files); the window holds the last {@code size}
 * packets sorted by time and hands on the oldest once it is full. A packet older than one already
 * handed on is beyond the window's reach: it is skipped and counted as
 * {@link SkipReason#OUT_OF_ORDER}, so that what comes out is always in time order.
 *
 * <p>The window is an array of preallocated packets: the inner source decodes straight into a
 * free one, which is moved into place by shifting references (nothing is copied while packets
 * arrive in order, the common case), so memory is fixed and nothing is allocated per packet.
 * Packets with equal timestamps keep their capture order.
 */
public final class ReorderWindow implements PacketSource {

    private final PacketSource inner;
    private final int size;
    /** All distinct packets; the held ones are [head, tail), sorted by time. */
    private final Packet[] slots;
    /** Room for the free packets while {@link #compact()} moves them. */
    private final Packet[] spare;
    private int head;
    private int tail;
    private boolean exhausted;
    private boolean anyHandedOn;
    private long lastHandedOn = Long.MIN_VALUE;
    private long handedOn;
    private long late;

    public ReorderWindow(PacketSource inner, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the reorder window must hold at least one packet");
        }
        this.inner = inner;
        this.size = size;
        this.slots = new Packet[2 * size + 1];
        this.spare = new Packet[slots.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Packet();
        }
    }

    @Override
    public boolean next(Packet into) throws IOException {
        while (!exhausted && tail - head < size) {
            if (tail == slots.length) {
                compact();
            }
            Packet free = slots[tail];
            if (!inner.next(free)) {
                exhausted = true;
                break;
            }
            long time = free.timestampMicros;
            if (anyHandedOn && time < lastHandedOn) {
                late++;
                continue;
            }
            if (tail == head || slots[tail - 1].timestampMicros <= time) {
                tail++;
            } else {
                int at = insertionPoint(time);
                System.arraycopy(slots, at, slots, at + 1, tail - at);
                slots[at] = free;
                tail++;
            }
        }
        if (head == tail) {
            return false;
        }
        Packet oldest = slots[head++];
        into.copyFrom(oldest);
        lastHandedOn = oldest.timestampMicros;
        anyHandedOn = true;
        handedOn++;
        return true;
    }

    /** The first held index whose time is later than {@code time} (so equal times keep their order). */
    private int insertionPoint(long time) {
        int low = head;
        int high = tail - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (slots[mid].timestampMicros <= time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Moves the held packets to the front of the array and the free ones behind them. */
    private void compact() {
        int held = tail - head;
        System.arraycopy(slots, 0, spare, 0, head);
        System.arraycopy(slots, head, slots, 0, held);
        System.arraycopy(spare, 0, slots, held, head);
        head = 0;
        tail = held;
    }

    /** Packets skipped because they arrived too late for the window. */
    public long late() {
        return late;
    }

    @Override
    public CaptureStats stats() {
        CaptureStats counts = inner.stats();
        Map<String, Long> skipped = new java.util.LinkedHashMap<>(counts.skipped());
        if (late > 0) {
            skipped.put(SkipReason.OUT_OF_ORDER.label(), late);
        }
        return new CaptureStats(counts.records(), handedOn, skipped, counts.truncatedAt());
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
