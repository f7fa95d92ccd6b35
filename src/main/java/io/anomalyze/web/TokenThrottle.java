package io.anomalyze.web;

import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down token guessing: after {@code allowed} wrong tokens from one client address, that
 * client must wait 1 s before its next try, then 2 s, 4 s, ... up to
 * {@link WebLimits#MAX_BACKOFF_SECONDS}; tries during a wait get 429 with {@code Retry-After}
 * whether or not the token is right. A right token clears the count.
 */
final class TokenThrottle {

    private static final int MAX_CLIENTS = 10_000;

    private record Failures(int count, long waitUntilMillis) {
    }

    private final int allowed;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    TokenThrottle(int allowed) {
        this.allowed = allowed;
    }

    /** 429 when the client must still wait after its wrong tokens. */
    void check(Context ctx) {
        Failures f = failures.get(ClientLimits.client(ctx));
        long now = System.currentTimeMillis();
        if (f != null && f.waitUntilMillis() > now) {
            long seconds = Math.max(1, (f.waitUntilMillis() - now + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            throw new HttpError(429, "too many wrong tokens from this client: try again in " + seconds + " s");
        }
    }

    void failed(Context ctx) {
        long now = System.currentTimeMillis();
        if (failures.size() >= MAX_CLIENTS) {
            failures.values().removeIf(f -> f.waitUntilMillis() < now - WebLimits.MAX_BACKOFF_SECONDS * 1000L);
            if (failures.size() >= MAX_CLIENTS) {
                failures.clear();
            }
        }
        failures.compute(ClientLimits.client(ctx), (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            int over = count - allowed;
            long wait = over < 0 ? 0 : Math.min(WebLimits.MAX_BACKOFF_SECONDS, 1L << Math.min(over, 20));
            return new Failures(count, now + wait * 1000);
        });
    }

    void succeeded(Context ctx) {
        failures.remove(ClientLimits.client(ctx));
    }
}
