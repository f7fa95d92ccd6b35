package io.anomalyze.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Batches scored on the pool and on the reading thread alike reach the sink in input order. */
class OrderedBatchPipelineTest {

    /** A batch: the line numbers it holds. */
    private static final class Work {
        final long[] lines = new long[10];
        int size;
    }

    private static List<Verdict> verdicts(Work work) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < work.size; i++) {
            out.add(new Verdict(work.lines[i], false, Severity.NORMAL, 0, 0, "normal", null, List.of(), null, null));
        }
        return out;
    }

    @Test
    void verdictsArriveInInputOrderWhoeverScoresThem() throws Exception {
        Random random = new Random(3);
        Set<String> scoredOn = ConcurrentHashMap.newKeySet();
        try (OrderedBatchPipeline<Work> pipeline = new OrderedBatchPipeline<>(3, true, "test-scoring", Work::new)) {
            for (int run = 0; run < 3; run++) {
                long[] next = {1};
                long total = 2_000;
                List<Long> seen = new ArrayList<>();
                pipeline.run(work -> {
                    work.size = 0;
                    while (work.size < work.lines.length && next[0] <= total) {
                        work.lines[work.size++] = next[0]++;
                    }
                    return work.size > 0;
                }, work -> {
                    scoredOn.add(Thread.currentThread().getName());
                    // Uneven scoring times, so batches finish out of order.
                    LockSupport.parkNanos(random.nextInt(200_000));
                    return verdicts(work);
                }, batch -> batch.forEach(v -> seen.add(v.line())));
                assertEquals(total, seen.size());
                for (int i = 0; i < seen.size(); i++) {
                    assertEquals(i + 1, seen.get(i));
                }
            }
        }
        // Reading is quick and scoring slow here: the reading thread must have lent a hand.
        assertTrue(scoredOn.contains(Thread.currentThread().getName()), scoredOn.toString());
        assertTrue(scoredOn.contains("test-scoring"), scoredOn.toString());
    }

    @Test
    void aScoringFailureReachesTheCaller() {
        try (OrderedBatchPipeline<Work> pipeline = new OrderedBatchPipeline<>(2, true, "test-scoring", Work::new)) {
            int[] batches = {0};
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pipeline.run(work -> {
                work.size = 1;
                work.lines[0] = batches[0];
                return batches[0]++ < 50;
            }, work -> {
                if (work.lines[0] == 17) {
                    throw new IllegalStateException("batch 17 failed");
                }
                return verdicts(work);
            }, batch -> { }));
            assertEquals("batch 17 failed", e.getMessage());
        }
    }
}
