package io.anomalyze.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests and transfers (uploads, exports) in progress per client address. A client past its
 * share gets 429 at once, before its body is read, so one client (or one script gone wrong)
 * cannot hold every server thread and leave others waiting.
 */
final class ClientLimits {

    private static final String ENTERED = "anomalyze.client.entered";

    private final int maxRequests;
    private final int maxTransfers;
    // A counter object per client in progress, taken and given back without a lock: every request
    // of a busy client (a load generator, a log shipper behind one address) passes here twice.
    private final ConcurrentHashMap<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> transfers = new ConcurrentHashMap<>();

    ClientLimits(WebLimits limits) {
        this.maxRequests = limits.maxClientRequests();
        this.maxTransfers = limits.maxClientTransfers();
    }

    /** Counts a request in, or refuses it with 429 when its client already has the most allowed in progress. */
    void enter(Context ctx) {
        AtomicInteger counter = take(requests, client(ctx), maxRequests);
        if (counter == null) {
            ctx.header("Retry-After", "1");
            throw new HttpError(429, "this client already has " + maxRequests + " requests in progress, the limit"
                    + " (--max-client-requests / ANOMALYZE_MAX_CLIENT_REQUESTS); wait for one to finish");
        }
        ctx.attribute(ENTERED, counter);
    }

    /** Counts out a request that {@link #enter} counted in. */
    void leave(Context ctx) {
        AtomicInteger counter = ctx.attribute(ENTERED);
        if (counter != null) {
            ctx.attribute(ENTERED, null);
            give(requests, client(ctx), counter);
        }
    }

    /** An upload or export: a long transfer, of which each client may have only a few at once. */
    Handler transfer(Handler handler) {
        return ctx -> {
            String client = client(ctx);
            AtomicInteger counter = take(transfers, client, maxTransfers);
            if (counter == null) {
                ctx.header("Retry-After", "5");
                throw new HttpError(429, "this client already has " + maxTransfers + " uploads or exports in progress, the limit"
                        + " (--max-client-transfers / ANOMALYZE_MAX_CLIENT_TRANSFERS); wait for one to finish");
            }
            try {
                handler.handle(ctx);
            } finally {
                give(transfers, client, counter);
            }
        };
    }

    static String client(Context ctx) {
        String address = ctx.req().getRemoteAddr();
        return address == null ? "" : address;
    }

    /**
     * Counts one more in progress for the client, or null when it already has {@code max}. A
     * counter given back to 0 is marked dead (-1) before it leaves the map, so it can never count
     * again: a client's requests are never split over two counters, whatever the interleaving.
     */
    static AtomicInteger take(ConcurrentHashMap<String, AtomicInteger> counts, String client, int max) {
        while (true) {
            AtomicInteger counter = counts.computeIfAbsent(client, k -> new AtomicInteger());
            int now = counter.get();
            if (now < 0) {
                counts.remove(client, counter);
            } else if (now >= max) {
                return null;
            } else if (counter.compareAndSet(now, now + 1)) {
                return counter;
            }
        }
    }

    static void give(Map<String, AtomicInteger> counts, String client, AtomicInteger counter) {
        if (counter.decrementAndGet() == 0 && counter.compareAndSet(0, -1)) {
            counts.remove(client, counter);
        }
    }
}
