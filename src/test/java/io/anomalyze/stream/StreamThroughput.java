package io.anomalyze.stream;

import io.anomalyze.detect.DetectorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures the stream worker's throughput; prints figures, asserts nothing. Run with
 * {@code mvn -B -q test-compile && java -cp "$(cat target/test-classpath.txt)" ...} as
 * docs/STREAMING.md shows: it starts a single local broker in this JVM, fills a topic with
 * JSON flows, then times one worker from its first poll until every verdict is committed,
 * exactly-once on. Beside it, the same records through the worker's in-process part alone
 * (decode, score, encode the verdicts) on one thread.
 */
public final class StreamThroughput {

    private StreamThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        StreamRecords data = new StreamRecords(4_000, 0);
        List<byte[]> flows = new ArrayList<>();
        for (StreamRecords.Item item : data.items) {
            if (item.kind() == StreamRecords.Kind.FLOW && item.flowId() != null) {
                flows.add(item.value());
            }
        }
        long bytes = 0;
        for (int i = 0; i < records; i++) {
            bytes += flows.get(i % flows.size()).length;
        }
        System.out.printf("%,d JSON flows, %.0f bytes each on average, %d partitions, %d cores%n", records,
                (double) bytes / records, partitions, Runtime.getRuntime().availableProcessors());
        try (DetectorRegistry models = DetectorRegistry.loadFiles(List.of(StreamWorkerTest.FLOW_MODEL))) {
            inProcess(models, flows, Math.min(records, 200_000));
            if (args.length > 2 && args[2].equals("in-process")) {
                return;
            }
            try (KafkaCluster cluster = new KafkaCluster()) {
                cluster.createTopic("bench", partitions);
                long t0 = System.nanoTime();
                Map<String, Object> config = Map.of("bootstrap.servers", cluster.bootstrapServers(), "linger.ms", 20,
                        "batch.size", 1 << 20, "acks", "all");
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < records; i++) {
                        producer.send(new ProducerRecord<>("bench", i % partitions, null, flows.get(i % flows.size())));
                    }
                }
                System.out.printf("filled the input topic at %,.0f records/s%n", records / ((System.nanoTime() - t0) / 1e9));
                StreamSettings settings = new StreamSettings(cluster.bootstrapServers(), "bench", "bench-verdicts", "bench-dead",
                        "bench-group", "anomalyze-bench", List.of(), null, Map.of(), StreamSettings.DEFAULT_BATCH_SIZE,
                        StreamSettings.DEFAULT_MAX_WAIT_MS, StreamSettings.DEFAULT_TRANSACTION_TIMEOUT_MS, 10_000, 1 << 20,
                        "127.0.0.1", -1, 0);
                try (StreamMetrics metrics = new StreamMetrics()) {
                    StreamWorker worker = new StreamWorker(settings, models, metrics, new PrintStream(new ByteArrayOutputStream()));
                    worker.connect();
                    Thread thread = new Thread(worker::run, "stream-worker");
                    long start = System.nanoTime();
                    thread.start();
                    long firstAt = 0;
                    while (metrics.verdictsOut() < records) {
                        Thread.sleep(5);
                        if (firstAt == 0 && metrics.verdictsOut() > 0) {
                            firstAt = System.nanoTime();
                        }
                    }
                    long end = System.nanoTime();
                    worker.stop();
                    thread.join();
                    worker.close();
                    System.out.printf("end to end through one worker (exactly-once): %,.0f flows/s (%,d flows in %.2f s;"
                                    + " %,.0f flows/s after the first commit); batch latency p50 %.0f ms, p99 %.0f ms%n",
                            records / ((end - start) / 1e9), records, (end - start) / 1e9,
                            (records - 4096) / ((end - firstAt) / 1e9),
                            metrics.batchLatency.takeSnapshot().percentileValues()[0].value(java.util.concurrent.TimeUnit.MILLISECONDS),
                            metrics.batchLatency.takeSnapshot().percentileValues()[1].value(java.util.concurrent.TimeUnit.MILLISECONDS));
                }
            }
        }
    }

    /** The worker's own work on the records, without Kafka: decode, score, write the verdicts. */
    private static void inProcess(DetectorRegistry models, List<byte[]> flows, int records) {
        RecordScorer scorer = new RecordScorer(models.find("mlp").orElseThrow(), null, null, StreamSettings.DEFAULT_BATCH_SIZE, 1 << 20);
        List<RecordScorer.Input> batch = new ArrayList<>();
        long[] out = new long[1];
        RecordScorer.Output sink = new RecordScorer.Output() {
            @Override
            public void verdict(int index, byte[] key, byte[] document) {
                out[0] += document.length;
            }

            @Override
            public void deadLetter(int index, String reason) {
                throw new IllegalStateException(reason);
            }
        };
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (int i = 0; i < records; ) {
                batch.clear();
                for (int b = 0; b < StreamSettings.DEFAULT_BATCH_SIZE && i < records; b++, i++) {
                    batch.add(new RecordScorer.Input(flows.get(i % flows.size()), "bench", 0, i));
                }
                scorer.score(batch, System.currentTimeMillis(), sink);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("in-process (decode, score, encode; one thread)%s: %,.0f flows/s (%,.0f per CPU-second of the thread)%n",
                    round == 0 ? ", warm-up" : "", records / seconds, records / cpu);
        }
    }
}
