package io.anomalyze.analysis;

import io.anomalyze.detect.Verdict;
import io.anomalyze.store.AnalysisStore;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stores an analysis's verdicts on a thread of its own, so the database insert of one batch
 * overlaps the scoring of the next. Batches are stored in the order they were handed over, in
 * whole blocks of {@link AnalysisStore#BLOCK_VERDICTS} until the last;
 * when the writer falls behind, the waiting batches go in together as one transaction. The
 * queue is bounded, so a slow disk slows scoring down instead of filling memory.
 */
final class VerdictWriter implements AutoCloseable {

    private static final int QUEUED_BATCHES = 4;
    private static final int MAX_ROWS_PER_TRANSACTION = 32_768;
    private static final List<Verdict> END = List.of();

    private final AnalysisStore store;
    private final long analysisId;
    private final BlockingQueue<List<Verdict>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean stopped;
    private long stored;

    VerdictWriter(AnalysisStore store, long analysisId) {
        this.store = store;
        this.analysisId = analysisId;
        this.thread = new Thread(this::drain, "verdict-writer-" + analysisId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a batch, waiting while the queue is full; throws the writer's failure, if any. */
    void add(List<Verdict> batch) {
        try {
            enqueue(batch);
        } catch (InterruptedIOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void enqueue(List<Verdict> item) throws InterruptedIOException {
        try {
            while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing verdicts");
        }
        rethrow();
    }

    /** Waits until every queued batch is stored; throws the writer's failure, if any. */
    void finish() throws InterruptedIOException {
        enqueue(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing verdicts");
        }
        rethrow();
    }

    /**
     * Stops the writer, dropping what is still queued, and waits until it no longer touches the
     * store. The writer is never interrupted: an interrupt during file I/O would close the
     * database file under every other analysis.
     */
    @Override
    public void close() {
        stopped = true;
        queue.clear();
        queue.offer(END);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void drain() {
        List<Verdict> rows = new ArrayList<>();
        try {
            while (!stopped) {
                List<Verdict> batch = queue.take();
                boolean end = batch == END;
                if (!end) {
                    rows.addAll(batch);
                    List<Verdict> next;
                    while (rows.size() < MAX_ROWS_PER_TRANSACTION && (next = queue.poll()) != null) {
                        if (next == END) {
                            end = true;
                            break;
                        }
                        rows.addAll(next);
                    }
                }
                if (stopped) {
                    return;
                }
                // whole blocks only, until the end: the rest waits for the next batch
                int n = end ? rows.size() : rows.size() - rows.size() % AnalysisStore.BLOCK_VERDICTS;
                if (n > 0) {
                    List<Verdict> head = rows.subList(0, n);
                    store.appendVerdicts(analysisId, stored, head);
                    stored += n;
                    head.clear();
                }
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            queue.clear();
        }
    }
}
