package io.anomalyze.detect;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Scores batches on several cores while one thread reads, and delivers the verdicts to the
 * sink in file order. A ring of work objects (each a batch with its scratch arrays) is
 * recycled within a run, so memory stays bounded whatever the file size, and kept between
 * runs, so scoring a one-line request does not allocate megabytes of batch buffers.
 *
 * <p>The reading thread can be one of the scoring cores ({@code readerScores}): the pool then
 * has one thread fewer than {@code threads}, and when its threads are busy and a few batches
 * already wait for them, the reader scores the batch it just read itself. So there are never
 * more busy threads than cores taking turns on them, and the reader's spare time goes to
 * scoring, which on two cores is most of the work.
 *
 * @param <W> a batch plus everything needed to score it
 */
public final class OrderedBatchPipeline<W> implements AutoCloseable {

    /** Reads the next batch into a work object; false at the end of the input. */
    @FunctionalInterface
    public interface Filler<W> {
        boolean fill(W work) throws IOException;
    }

    /** Scores a filled work object. Runs on a pool thread; must touch only its own work object. */
    @FunctionalInterface
    public interface Scorer<W> {
        List<Verdict> score(W work);
    }

    /** Batches that may wait for a pool thread before the reader scores one itself. */
    private static final int QUEUED = 2;

    private final ExecutorService pool;
    private final int poolThreads;
    private final boolean readerScores;
    /** Batches handed to the pool and not yet scored, across all runs in flight. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Supplier<W> workFactory;
    /** Work objects of finished runs, ready for the next (several runs may be in flight). */
    private final ConcurrentLinkedQueue<W> spare = new ConcurrentLinkedQueue<>();

    /**
     * @param threads      cores to use
     * @param readerScores whether the reading thread scores batches too (then it counts as one
     *                     of the {@code threads}); not for scorers that bring threads of their own
     * @param workFactory  makes a work object; each holds only buffers, no per-run state
     */
    public OrderedBatchPipeline(int threads, boolean readerScores, String name, Supplier<W> workFactory) {
        this.readerScores = readerScores;
        this.poolThreads = Math.max(1, readerScores ? threads - 1 : threads);
        this.workFactory = workFactory;
        this.pool = Executors.newFixedThreadPool(poolThreads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads with {@code filler} and scores with {@code scorer} until the input ends. */
    public void run(Filler<W> filler, Scorer<W> scorer, VerdictSink sink) throws IOException {
        int ringSize = poolThreads + QUEUED + 2;
        List<W> ring = new ArrayList<>(ringSize);
        for (int i = 0; i < ringSize; i++) {
            W w = spare.poll();
            ring.add(w != null ? w : workFactory.get());
        }
        ArrayDeque<W> free = new ArrayDeque<>(ring);
        ArrayDeque<W> inflightWork = new ArrayDeque<>(ring.size());
        ArrayDeque<Future<List<Verdict>>> inflight = new ArrayDeque<>(ring.size());
        try {
            while (true) {
                if (free.isEmpty()) {
                    sink.accept(await(inflight.poll()));
                    free.add(inflightWork.poll());
                }
                W work = free.poll();
                if (!filler.fill(work)) {
                    break;
                }
                inflightWork.add(work);
                if (!readerScores || pending.get() < poolThreads + QUEUED) {
                    pending.incrementAndGet();
                    inflight.add(pool.submit(() -> {
                        try {
                            return scorer.score(work);
                        } finally {
                            pending.decrementAndGet();
                        }
                    }));
                } else {
                    inflight.add(CompletableFuture.completedFuture(scorer.score(work)));
                }
            }
            while (!inflight.isEmpty()) {
                sink.accept(await(inflight.poll()));
            }
            // Only a run that finished cleanly hands its work back: after a failure a cancelled
            // task may still be writing into its batch.
            if (spare.size() < 4 * ringSize) {
                spare.addAll(ring);
            }
        } finally {
            inflight.forEach(f -> f.cancel(true));
        }
    }

    private static List<Verdict> await(Future<List<Verdict>> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("scoring interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
