package io.anomalyze.stream;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The steps of {@code scripts/stream-bench.sh}, each printing figures and asserting nothing:
 *
 * <ul>
 *   <li>{@code load BOOTSTRAP TOPIC PARTITIONS RECORDS [COMPRESSION]}: creates the topic and fills
 *       it with JSON flows built from the flow sample, keyed by source address, as a sensor would;</li>
 *   <li>{@code pipe BOOTSTRAP TOPIC OUTPUT RECORDS DOCUMENT_BYTES [KEY=VALUE...]}: the worker's Kafka
 *       part alone: consumes the topic and produces a fixed document of that size per record in
 *       the worker's transactions, with its client settings, and no decoding or scoring. This is
 *       the floor the broker and the clients set on this machine;</li>
 *   <li>{@code size BOOTSTRAP TOPIC}: the average size of a topic's first records (the verdicts);</li>
 *   <li>{@code watch METRICS_URL RECORDS WORKER_PID BROKER_PID}: follows a running worker's
 *       metrics from the commit that passes the first fifth of RECORDS (a warm-up) until RECORDS
 *       verdicts are committed, and reports the rate and the CPU time per flow of the worker and
 *       the broker processes, and the scoring thread's own CPU time per flow.</li>
 * </ul>
 *
 * <p>With {@code -Dbroker.pid=PID}, load and pipe also report the broker's CPU time per flow.
 */
public final class StreamBench {

    private static final long TICKS_PER_SECOND = Long.getLong("clk.tck", 100);
    /** The broker's process id, to report its CPU time beside each step's; empty for none. */
    private static final String BROKER_PID = System.getProperty("broker.pid", "");

    private StreamBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "load" -> load(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? args[5] : "none");
            case "pipe" -> pipe(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Arrays.copyOfRange(args, 6, args.length));
            case "watch" -> watch(args[1], Long.parseLong(args[2]), args[3], args[4]);
            case "size" -> size(args[1], args[2]);
            default -> {
                System.err.println("usage: StreamBench load|pipe|watch ... (see scripts/stream-bench.sh)");
                System.exit(2);
            }
        }
    }

    private static void load(String bootstrap, String topic, int partitions, int records, String compression) throws Exception {
        List<byte[]> flows = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (StreamRecords.Item item : new StreamRecords(4_000, 0).items) {
            if (item.kind() == StreamRecords.Kind.FLOW && item.flowId() != null) {
                flows.add(item.value());
                keys.add(item.sourceIp().getBytes(StandardCharsets.UTF_8));
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 1 << 20,
                "acks", "all", "compression.type", compression);
        long bytes = 0;
        long broker0 = brokerTicks();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                byte[] value = flows.get(i % flows.size());
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, keys.get(i % keys.size()), value));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        System.out.printf("load: %,d JSON flows of %.0f bytes on average (%,.0f MB) into %d partitions, compression %s:"
                        + " %,.0f flows/s, %.1f MB/s; CPU per flow: producer %.1f µs, broker %.1f µs%n", records, (double) bytes / records,
                bytes / 1e6, partitions, compression, records / seconds, bytes / 1e6 / seconds, cpu * 1e6 / records,
                brokerMicrosPerFlow(broker0, records));
    }

    private static void pipe(String bootstrap, String topic, String output, int records, int documentBytes, String[] properties)
            throws Exception {
        Map<String, String> kafka = new HashMap<>();
        for (String kv : properties) {
            int eq = kv.indexOf('=');
            kafka.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        StreamSettings settings = new StreamSettings(bootstrap, topic, output, output + ".dead", "pipe-" + System.nanoTime(),
                "pipe-" + System.nanoTime(), List.of(), null, kafka, StreamSettings.DEFAULT_BATCH_SIZE,
                StreamSettings.DEFAULT_MAX_WAIT_MS, StreamSettings.DEFAULT_TRANSACTION_TIMEOUT_MS, 10_000, 1 << 20, "127.0.0.1", -1, 0);
        byte[] document = new byte[documentBytes];
        Arrays.fill(document, (byte) 'x');
        Properties consumerConfig = StreamWorker.consumerProperties(settings);
        Properties producerConfig = StreamWorker.producerProperties(settings);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            producer.initTransactions();
            consumer.subscribe(List.of(topic));
            long done = 0;
            long t0 = 0;
            long cpu0 = 0;
            long first = 0;
            long broker0 = 0;
            while (done < records) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                if (polled.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                producer.beginTransaction();
                for (TopicPartition tp : polled.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> part = polled.records(tp);
                    for (ConsumerRecord<byte[], byte[]> r : part) {
                        producer.send(new ProducerRecord<>(output, r.key(), document));
                    }
                    offsets.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                done += polled.count();
                if (t0 == 0) {
                    // From the first committed batch on, as watch measures the worker.
                    t0 = System.nanoTime();
                    cpu0 = processCpuNanos();
                    broker0 = brokerTicks();
                    first = done;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            System.out.printf("pipe (the worker's Kafka part alone: exactly-once, %d-byte documents, no decoding or scoring):"
                            + " %,.0f flows/s; CPU per flow: pipe process %.1f µs, broker %.1f µs%n", documentBytes,
                    (done - first) / seconds, cpu * 1e6 / (done - first), brokerMicrosPerFlow(broker0, done - first));
        }
    }

    private static void watch(String metricsUrl, long records, String workerPid, String brokerPid) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(metricsUrl)).build();
        Map<String, Double> m;
        // The first fifth of the records warms the worker up (class loading, the JIT compiler), as
        // a long-running worker is: the figures are of the rest.
        do {
            Thread.sleep(100);
            m = scrape(http, request);
        } while (m.getOrDefault("anomalyze_stream_records_in_total", 0.0) < records / 5.0);
        long t0 = System.nanoTime();
        long worker0 = ticks(workerPid);
        long broker0 = ticks(brokerPid);
        double n0 = m.get("anomalyze_stream_verdicts_out_total");
        // A worker from before this metric reports NaN here.
        double scoring0 = m.getOrDefault("anomalyze_stream_scoring_cpu_seconds_total", Double.NaN);
        double in0 = m.get("anomalyze_stream_records_in_total");
        while (m.getOrDefault("anomalyze_stream_verdicts_out_total", 0.0) < records) {
            Thread.sleep(100);
            m = scrape(http, request);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double flows = m.get("anomalyze_stream_verdicts_out_total") - n0;
        double workerCpu = (ticks(workerPid) - worker0) / (double) TICKS_PER_SECOND;
        double brokerCpu = (ticks(brokerPid) - broker0) / (double) TICKS_PER_SECOND;
        double scoring = m.getOrDefault("anomalyze_stream_scoring_cpu_seconds_total", Double.NaN) - scoring0;
        double scored = m.get("anomalyze_stream_records_in_total") - in0;
        System.out.printf("worker, end to end (exactly-once, from the batch that passed the first fifth to the last commit): %,.0f flows/s"
                        + " (%,.0f flows in %.2f s)%n", flows / seconds, flows, seconds);
        System.out.printf("CPU per flow: worker process %.1f µs, broker process %.1f µs%n", workerCpu * 1e6 / flows,
                brokerCpu * 1e6 / flows);
        System.out.printf("in-process part of the same run (decode JSON, score, write ECS; scoring thread CPU): %.1f µs per flow,"
                + " %,.0f flows per CPU-second%n", scoring * 1e6 / scored, scored / scoring);
        System.out.printf("batch latency (poll to commit) p50 %.0f ms, p99 %.0f ms%n",
                1000 * m.getOrDefault("anomalyze_stream_batch_latency_seconds{quantile=\"0.5\"}", Double.NaN),
                1000 * m.getOrDefault("anomalyze_stream_batch_latency_seconds{quantile=\"0.99\"}", Double.NaN));
    }

    /** Prints the average size of the first records of a topic (the verdicts), for pipe's documents. */
    private static void size(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "size-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        long bytes = 0;
        int n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            while (n < 2_000) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    bytes += r.value().length;
                    n++;
                }
            }
        }
        System.out.println(bytes / n);
    }

    private static Map<String, Double> scrape(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        Map<String, Double> out = new HashMap<>();
        for (String line : http.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** User plus system CPU time of a process, in clock ticks, from /proc. */
    private static long ticks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of the file (utime, stime); f starts at field 3.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long brokerTicks() throws IOException {
        return BROKER_PID.isEmpty() ? 0 : ticks(BROKER_PID);
    }

    private static double brokerMicrosPerFlow(long ticksBefore, long flows) throws IOException {
        return BROKER_PID.isEmpty() ? Double.NaN : (brokerTicks() - ticksBefore) * 1e6 / TICKS_PER_SECOND / flows;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
