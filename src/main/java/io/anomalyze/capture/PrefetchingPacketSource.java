package io.anomalyze.capture;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads, decodes and reorders the packets of a capture on a thread of its own, a few batches
 * ahead of the consumer, so that taking packets apart and building flows from them run on two
 * cores. Batches of preallocated packets go round between the two threads; nothing is allocated
 * per packet and at most {@link #BATCHES} batches of {@link #BATCH} packets are held. Packets
 * come out in the order of the inner source, and a failure of the inner source (a broken record,
 * say) is thrown by {@link #next} where the packet would have been, with its message unchanged.
 */
final class PrefetchingPacketSource implements PacketSource {

    static final int BATCH = 512;
    static final int BATCHES = 4;

    private static final class Batch {
        final Packet[] packets = new Packet[BATCH];
        int size;
        /** Set on the batch after which the inner source has no more packets. */
        boolean last;
        /** What the inner source threw after the packets of this batch. */
        Throwable failure;

        Batch() {
            for (int i = 0; i < BATCH; i++) {
                packets[i] = new Packet();
            }
        }
    }

    private final PacketSource inner;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private Batch current;
    private int next;
    private boolean done;

    PrefetchingPacketSource(PacketSource inner) {
        this.inner = inner;
        for (int i = 0; i < BATCHES; i++) {
            free.add(new Batch());
        }
        reader = new Thread(this::readAhead, "capture-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (true) {
                Batch b = free.take();
                b.size = 0;
                b.last = false;
                b.failure = null;
                try {
                    while (b.size < BATCH && inner.next(b.packets[b.size])) {
                        b.size++;
                    }
                    b.last = b.size < BATCH;
                } catch (IOException | RuntimeException | Error e) {
                    b.failure = e;
                    b.last = true;
                }
                full.put(b);
                if (b.last) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Closed before the end of the capture.
        }
    }

    @Override
    public boolean next(Packet into) throws IOException {
        while (true) {
            Batch b = current;
            if (b != null && next < b.size) {
                into.copyFrom(b.packets[next++]);
                return true;
            }
            if (done) {
                return false;
            }
            if (b != null) {
                if (b.last) {
                    done = true;
                    rethrow(b.failure);
                    return false;
                }
                free.add(b);
            }
            try {
                current = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the capture");
            }
            next = 0;
        }
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new UncheckedIOException(new IOException(failure));
    }

    /** The inner source's counts; complete once {@link #next} has returned false. */
    @Override
    public CaptureStats stats() {
        return inner.stats();
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
    }
}
