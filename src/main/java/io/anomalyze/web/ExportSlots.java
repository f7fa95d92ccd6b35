package io.anomalyze.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * The exports that may stream at once (CSV, JSON and NDJSON alike): every export holds a
 * database connection and a few blocks in memory while it streams, so their number is what
 * bounds the memory exports use. One past the cap gets 503 with {@code Retry-After}.
 */
final class ExportSlots {

    /** The body of an export, written while it holds a slot. */
    @FunctionalInterface
    interface Body {
        void write() throws IOException;
    }

    private final int max;
    private final Semaphore slots;

    ExportSlots(int max) {
        this.max = max;
        this.slots = new Semaphore(max);
    }

    /** Writes {@code body} holding one slot, or answers 503 when every slot is taken. */
    void stream(Context ctx, Body body) throws IOException {
        if (!slots.tryAcquire()) {
            ctx.header("Retry-After", "10");
            throw new HttpError(503, "the service is busy: " + max + " exports are already streaming; retry in 10 s");
        }
        try {
            body.write();
        } finally {
            slots.release();
        }
    }
}
