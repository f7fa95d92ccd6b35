package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    @Test
    void aClientNeverHoldsMoreThanItsShareWhateverTheInterleaving() throws InterruptedException {
        ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    AtomicInteger counter = ClientLimits.take(counts, "10.0.0.1", 3);
                    if (counter == null) {
                        refused.incrementAndGet();
                        continue;
                    }
                    mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                    held.decrementAndGet();
                    ClientLimits.give(counts, "10.0.0.1", counter);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(mostHeld.get() <= 3, "held at once: " + mostHeld.get());
        assertTrue(refused.get() > 0, "eight threads on a share of three were never refused");
        assertTrue(counts.isEmpty(), "counters left behind: " + counts);
    }

    @Test
    void theShareIsFreedAsRequestsFinish() {
        ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger first = ClientLimits.take(counts, "a", 2);
        AtomicInteger second = ClientLimits.take(counts, "a", 2);
        assertNull(ClientLimits.take(counts, "a", 2));
        assertEquals(1, ClientLimits.take(counts, "b", 2).get(), "another client has a share of its own");
        ClientLimits.give(counts, "a", first);
        AtomicInteger third = ClientLimits.take(counts, "a", 2);
        assertEquals(2, third.get());
        ClientLimits.give(counts, "a", second);
        ClientLimits.give(counts, "a", third);
        assertNull(counts.get("a"));
    }
}
