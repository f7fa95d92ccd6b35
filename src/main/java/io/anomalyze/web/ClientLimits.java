package io.anomalyze.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests and transfers (uploads, exports) in progress per client address. A client past its
 * share gets 429 at once, before its body is read, so one client (or one script gone wrong)
 * cannot hold every server thread and leave others waiting.
 */
final class ClientLimits {

    private static final String ENTERED = "anomalyze.client.entered";

    private final int maxRequests;
    private final int maxTransfers;
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();
    private final Map<String, Integer> transfers = new ConcurrentHashMap<>();

    ClientLimits(WebLimits limits) {
        this.maxRequests = limits.maxClientRequests();
        this.maxTransfers = limits.maxClientTransfers();
    }

    /** Counts a request in, or refuses it with 429 when its client already has the most allowed in progress. */
    void enter(Context ctx) {
        String client = client(ctx);
        if (!take(requests, client, maxRequests)) {
            ctx.header("Retry-After", "1");
            throw new HttpError(429, "this client already has " + maxRequests + " requests in progress, the limit"
                    + " (--max-client-requests / ANOMALYZE_MAX_CLIENT_REQUESTS); wait for one to finish");
        }
        ctx.attribute(ENTERED, client);
    }

    /** Counts out a request that {@link #enter} counted in. */
    void leave(Context ctx) {
        String client = ctx.attribute(ENTERED);
        if (client != null) {
            ctx.attribute(ENTERED, null);
            give(requests, client);
        }
    }

    /** An upload or export: a long transfer, of which each client may have only a few at once. */
    Handler transfer(Handler handler) {
        return ctx -> {
            String client = client(ctx);
            if (!take(transfers, client, maxTransfers)) {
                ctx.header("Retry-After", "5");
                throw new HttpError(429, "this client already has " + maxTransfers + " uploads or exports in progress, the limit"
                        + " (--max-client-transfers / ANOMALYZE_MAX_CLIENT_TRANSFERS); wait for one to finish");
            }
            try {
                handler.handle(ctx);
            } finally {
                give(transfers, client);
            }
        };
    }

    static String client(Context ctx) {
        String address = ctx.req().getRemoteAddr();
        return address == null ? "" : address;
    }

    private static boolean take(Map<String, Integer> counts, String client, int max) {
        boolean[] taken = {false};
        counts.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private static void give(Map<String, Integer> counts, String client) {
        counts.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }
}
