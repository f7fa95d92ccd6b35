package io.anomalyze.stream;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a stream worker has done, for its progress lines and, in Prometheus' text format, for
 * {@code GET /metrics} on the worker's own port: records in, verdicts and dead letters out,
 * transactions, the time from a batch's poll to its commit, the age of a batch's oldest record
 * at commit, and the consumer lag of the partitions the worker holds.
 */
public final class StreamMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Counter recordsIn = Counter.builder("anomalyze_stream_records_in").description("records read from the input topic").register(registry);
    final Counter verdictsOut = Counter.builder("anomalyze_stream_verdicts_out").description("verdicts committed to the output topic").register(registry);
    final Counter deadLetters = Counter.builder("anomalyze_stream_dead_letters").description("unreadable records committed to the dead-letter topic").register(registry);
    final Counter aborted = Counter.builder("anomalyze_stream_transactions_aborted").description("batches whose transaction was aborted and that were read again").register(registry);
    final Timer batchLatency = Timer.builder("anomalyze_stream_batch_latency").description("from a batch's poll to its commit")
            .publishPercentiles(0.5, 0.99).register(registry);
    final Timer recordAge = Timer.builder("anomalyze_stream_record_age").description("age of a batch's oldest record (its Kafka timestamp) when the batch commits")
            .publishPercentiles(0.5, 0.99).register(registry);
    /** CPU time of the scoring thread in decoding, scoring and encoding, without the Kafka clients' work. */
    final Counter scoringCpu = Counter.builder("anomalyze_stream_scoring_cpu_seconds")
            .description("CPU time spent decoding records, scoring them and writing their verdicts (not in the Kafka clients)")
            .register(registry);
    private final AtomicLong lag = new AtomicLong();
    private HttpServer server;

    public StreamMetrics() {
        Gauge.builder("anomalyze_stream_consumer_lag", lag, AtomicLong::get)
                .description("records in the worker's partitions not yet consumed").register(registry);
    }

    void lag(long records) {
        lag.set(records);
    }

    public long lag() {
        return lag.get();
    }

    public long recordsIn() {
        return (long) recordsIn.count();
    }

    public long verdictsOut() {
        return (long) verdictsOut.count();
    }

    public long deadLetters() {
        return (long) deadLetters.count();
    }

    void batch(Duration latency) {
        batchLatency.record(latency);
    }

    /** The metrics in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Serves {@code /metrics} on {@code host:port} (0 picks a free port); returns the port. */
    public int serve(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
