package io.anomalyze.capture.flow;

import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes flows as CSV ({@link FlowCsvWriter}) on a thread of its own, so that turning feature
 * values into text, which is most of the work on captures of many small flows, runs on a second
 * core while packets are read and flows are built. Flows are copied (identity and 78 features)
 * into a few reused batches passed between the two threads; nothing is allocated per flow, and
 * at most {@link #BATCHES} batches of {@link #ROWS} flows are in flight, so memory stays fixed.
 * The rows come out in the order the flows were accepted, byte for byte as {@link FlowCsvWriter}
 * writes them.
 */
public final class BackgroundFlowCsvWriter implements FlowSink, AutoCloseable {

    static final int ROWS = 1024;
    static final int BATCHES = 4;

    /** Identity and features of up to {@link #ROWS} flows. */
    private static final class Batch {
        final long[] address = new long[4 * ROWS];
        final int[] ports = new int[3 * ROWS];
        final long[] start = new long[ROWS];
        final double[] features = new double[ROWS * FlowFeatures.COUNT];
        int size;
        /** Set on the last batch: the writer flushes, then waits for more or for the end. */
        boolean flush;
        boolean end;
    }

    private final FlowCsvWriter csv;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES + 1);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES + 1);
    private final BlockingQueue<Batch> flushed = new ArrayBlockingQueue<>(1);
    private final Thread writer;
    private Batch current;
    private long accepted;
    private volatile IOException failure;
    private boolean closed;

    public BackgroundFlowCsvWriter(OutputStream out) throws IOException {
        csv = new FlowCsvWriter(out);
        for (int i = 0; i < BATCHES; i++) {
            free.add(new Batch());
        }
        current = free.poll();
        writer = new Thread(this::writeBatches, "flow-csv-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(Flow flow) {
        Batch b = current;
        int row = b.size;
        int a = 4 * row;
        b.address[a] = flow.srcHigh();
        b.address[a + 1] = flow.srcLow();
        b.address[a + 2] = flow.dstHigh();
        b.address[a + 3] = flow.dstLow();
        b.ports[3 * row] = flow.srcPort();
        b.ports[3 * row + 1] = flow.dstPort();
        b.ports[3 * row + 2] = flow.protocol();
        b.start[row] = flow.startMicros();
        flow.features(b.features, row * FlowFeatures.COUNT);
        b.size = row + 1;
        accepted++;
        if (b.size == ROWS) {
            hand(b);
        }
    }

    /** Passes the batch to the writer thread and takes a free one. */
    private void hand(Batch b) {
        try {
            full.put(b);
            current = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing flows", e);
        }
    }

    private void writeBatches() {
        try {
            while (true) {
                Batch b = full.take();
                if (failure == null) {
                    try {
                        for (int row = 0; row < b.size; row++) {
                            int a = 4 * row;
                            csv.write(b.address[a], b.address[a + 1], b.address[a + 2], b.address[a + 3],
                                    b.ports[3 * row], b.ports[3 * row + 1], b.ports[3 * row + 2], b.start[row],
                                    b.features, row * FlowFeatures.COUNT);
                        }
                        if (b.flush) {
                            csv.flush();
                        }
                    } catch (IOException e) {
                        // Kept and thrown to the producer at flush or close; later batches are dropped.
                        failure = e;
                    }
                }
                boolean flush = b.flush;
                boolean end = b.end;
                b.size = 0;
                b.flush = false;
                b.end = false;
                if (flush) {
                    flushed.put(b);
                } else {
                    free.put(b);
                }
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rows written so far (all accepted flows once {@link #flush} has returned). */
    public long rows() {
        return csv.rows();
    }

    /** Flows accepted so far. */
    public long accepted() {
        return accepted;
    }

    /** Writes every accepted flow and flushes the stream; throws the first write failure. */
    public void flush() throws IOException {
        finishBatch(false);
    }

    private void finishBatch(boolean end) throws IOException {
        Batch b = current;
        b.flush = true;
        b.end = end;
        try {
            full.put(b);
            Batch back = flushed.take();
            current = end ? null : back;
            if (end) {
                writer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing flows");
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes every accepted flow, stops the writer thread and closes the stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            finishBatch(true);
        } finally {
            csv.close();
        }
    }
}
