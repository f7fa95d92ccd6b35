package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One export past the cap is refused with 503 and Retry-After while the others stream, and the slot comes back. */
class ExportSlotsTest {

    @Test
    void anExportPastTheCapIsRefusedUntilASlotIsFree() throws Exception {
        ExportSlots slots = new ExportSlots(1);
        CountDownLatch streaming = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Javalin app = Javalin.create();
        app.get("/held", ctx -> slots.stream(ctx, () -> {
            streaming.countDown();
            try {
                assertTrue(finish.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("interrupted while holding the export");
            }
            ctx.result("held export");
        }));
        app.get("/quick", ctx -> slots.stream(ctx, () -> ctx.result("quick export")));
        app.exception(HttpError.class, (e, ctx) -> ctx.status(e.status()).result(e.getMessage()));
        app.start("127.0.0.1", 0);
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.port();
            CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/held")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(streaming.await(30, TimeUnit.SECONDS));

            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(base + "/quick")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertEquals("10", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("the service is busy: 1 exports are already streaming; retry in 10 s", refused.body());

            finish.countDown();
            assertEquals("held export", held.get(30, TimeUnit.SECONDS).body());
            HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(base + "/quick")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode());
            assertEquals("quick export", after.body());
        } finally {
            finish.countDown();
            app.stop();
        }
    }
}
