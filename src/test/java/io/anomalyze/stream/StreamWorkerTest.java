package io.anomalyze.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import io.anomalyze.capture.flow.TestCapture;
import io.anomalyze.cli.Main;
import io.anomalyze.detect.DetectorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream worker against a real Kafka broker (KRaft, in this JVM): every readable record gets
 * exactly one verdict, equal to {@code score} on the same row, every unreadable one a dead
 * letter with its reason; a worker killed with SIGKILL mid-stream loses and doubles nothing;
 * a worker that cannot start says why in one line.
 */
class StreamWorkerTest {

    static final Path FLOW_MODEL = Path.of("models", "cicids2017-mlp.onnx");
    static final Path CONNECTION_MODEL = Path.of("models", "nsl-kdd-kmeans.json");

    private static KafkaCluster cluster;

    @BeforeAll
    static void startKafka() throws Exception {
        cluster = new KafkaCluster();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyRecordGetsExactlyOneVerdictEqualToScoreOrADeadLetter(@TempDir Path dir) throws Exception {
        StreamRecords data = new StreamRecords(50_000, 1);
        cluster.createTopic("mixed", 3);
        Map<String, Integer> indexOf = produce("mixed", data, 3, 0, data.items.size());

        data.writeFlowFile(dir.resolve("flows.csv"));
        data.writeConnectionFile(dir.resolve("connections.txt"));
        Map<Integer, JsonNode> flowExpected = score(FLOW_MODEL, dir.resolve("flows.csv"), dir.resolve("flows.json"));
        Map<Integer, JsonNode> connectionExpected = score(CONNECTION_MODEL, dir.resolve("connections.txt"), dir.resolve("connections.json"));

        int good = (int) (data.count(StreamRecords.Kind.FLOW) + data.count(StreamRecords.Kind.CONNECTION));
        int broken = (int) data.count(StreamRecords.Kind.BROKEN);
        assertEquals(49_500, good);
        StreamSettings settings = new StreamSettings(cluster.bootstrapServers(), "mixed", "mixed-verdicts", "mixed-dead",
                "mixed-group", "anomalyze-mixed-test", List.of(), data.flowHeader, Map.of(), 4096, 50, 10_000, 10_000,
                1 << 20, "127.0.0.1", -1, 0);
        List<ConsumerRecord<byte[], byte[]>> verdicts;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (DetectorRegistry models = DetectorRegistry.loadFiles(List.of(CONNECTION_MODEL, FLOW_MODEL));
             StreamMetrics metrics = new StreamMetrics()) {
            StreamWorker worker = new StreamWorker(settings, models, metrics, new PrintStream(new ByteArrayOutputStream(), true));
            worker.connect();
            Thread thread = new Thread(worker::run, "stream-worker");
            thread.start();
            try {
                verdicts = cluster.readCommitted("mixed-verdicts", good, Duration.ofSeconds(120));
                dead = cluster.readCommitted("mixed-dead", broken, Duration.ofSeconds(30));
            } finally {
                worker.stop();
                thread.join(30_000);
                worker.close();
            }
            assertEquals(50_000, metrics.recordsIn());
            assertEquals(good, metrics.verdictsOut());
            assertEquals(broken, metrics.deadLetters());
            String scrape = metrics.scrape();
            assertTrue(scrape.contains("anomalyze_stream_records_in_total 50000.0"), scrape);
            assertTrue(scrape.contains("anomalyze_stream_dead_letters_total 500.0"), scrape);
        }

        assertEquals(good, verdicts.size(), "one verdict per readable record");
        assertEquals(broken, dead.size(), "one dead letter per broken record");
        boolean[] seen = new boolean[data.items.size()];
        int flows = 0;
        for (ConsumerRecord<byte[], byte[]> r : verdicts) {
            JsonNode doc = Json.MAPPER.readTree(r.value());
            JsonNode input = doc.path("anomalyze").path("input");
            assertEquals("mixed", input.path("source").asText());
            Integer i = indexOf.get(input.path("partition").asInt() + ":" + input.path("offset").asLong());
            assertNotNull(i, doc.toString());
            assertTrue(!seen[i], "record " + i + " has a second verdict");
            seen[i] = true;
            StreamRecords.Item item = data.items.get(i);
            JsonNode expected = switch (item.kind()) {
                case FLOW -> flowExpected.get(item.line());
                case CONNECTION -> connectionExpected.get(item.line());
                default -> throw new AssertionError("record " + i + " is broken but has a verdict: " + doc);
            };
            assertSameVerdict(expected, doc, i);
            if (item.kind() == StreamRecords.Kind.FLOW) {
                flows++;
                assertEquals("cicids2017-mlp.onnx", doc.path("anomalyze").path("model").path("name").asText());
                assertEquals(DetectorRegistry.digest(FLOW_MODEL), doc.path("anomalyze").path("model").path("sha256").asText());
                if (item.flowId() != null) {
                    assertEquals(item.flowId(), doc.path("anomalyze").path("flow_id").asText());
                    assertEquals(item.sourceIp(), doc.path("source").path("ip").asText());
                    assertEquals(item.sourceIp(), new String(r.key(), StandardCharsets.UTF_8), "keyed by source address");
                    assertEquals("tcp", doc.path("network").path("transport").asText());
                    assertEquals("2017-07-03T08:55:58Z", doc.path("@timestamp").asText());
                }
            } else {
                assertEquals(DetectorRegistry.digest(CONNECTION_MODEL), doc.path("anomalyze").path("model").path("sha256").asText());
            }
            assertEquals(doc.path("anomalyze").path("anomalous").asBoolean() ? "alert" : "event", doc.path("event").path("kind").asText());
            assertEquals("Anomalyze", doc.path("observer").path("product").asText());
        }
        assertEquals(data.count(StreamRecords.Kind.FLOW), flows);
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            int i = indexOf.get(header(r, "anomalyze.source.partition") + ":" + header(r, "anomalyze.source.offset"));
            assertTrue(!seen[i], "record " + i + " has a verdict and a dead letter, or two dead letters");
            seen[i] = true;
            StreamRecords.Item item = data.items.get(i);
            assertEquals(StreamRecords.Kind.BROKEN, item.kind(), "record " + i + " is readable but was a dead letter: " + header(r, "anomalyze.reason"));
            assertEquals(new String(item.value(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
            String reason = header(r, "anomalyze.reason");
            if (item.reason().equals("not valid JSON")) {
                assertTrue(reason.startsWith("not valid JSON ("), reason);
            } else {
                assertEquals(item.reason(), reason);
            }
        }
    }

    @Test
    void aWorkerKilledMidStreamLeavesItsPartitionsToTheOtherWithNothingLostOrDoubled(@TempDir Path dir) throws Exception {
        StreamRecords data = new StreamRecords(24_000, 1);
        cluster.createTopic("live", 4);
        String[] topics = {"live", "live-verdicts", "live-dead"};
        Path logA = dir.resolve("a.log");
        Path logB = dir.resolve("b.log");
        Process a = startWorker("a", logA, topics, data.flowHeader);
        Process b = null;
        try {
            waitFor(logA, Pattern.compile("took partitions \\[live-0, live-1, live-2, live-3\\]"), 60);
            b = startWorker("b", logB, topics, data.flowHeader);
            waitFor(logB, Pattern.compile("took partitions"), 60);
            Map<String, Integer> indexOf = new HashMap<>();
            int third = data.items.size() / 3;
            indexOf.putAll(produce("live", data, 4, 0, third));
            // Worker a has committed batches of its own: it is killed in the middle of the stream.
            waitFor(logA, Pattern.compile("stream: [1-9][0-9,]* records in"), 60);
            a.destroyForcibly();
            assertTrue(a.waitFor(10, TimeUnit.SECONDS));
            indexOf.putAll(produce("live", data, 4, third, data.items.size()));
            waitFor(logB, Pattern.compile("took partitions \\[live-0, live-1, live-2, live-3\\]"), 60);

            int good = (int) (data.count(StreamRecords.Kind.FLOW) + data.count(StreamRecords.Kind.CONNECTION));
            int broken = (int) data.count(StreamRecords.Kind.BROKEN);
            List<ConsumerRecord<byte[], byte[]>> verdicts = cluster.readCommitted("live-verdicts", good, Duration.ofSeconds(90));
            List<ConsumerRecord<byte[], byte[]>> dead = cluster.readCommitted("live-dead", broken, Duration.ofSeconds(30));
            assertEquals(good, verdicts.size(), "one verdict per readable record, none lost, none doubled");
            assertEquals(broken, dead.size());
            boolean[] seen = new boolean[data.items.size()];
            for (ConsumerRecord<byte[], byte[]> r : verdicts) {
                JsonNode input = Json.MAPPER.readTree(r.value()).path("anomalyze").path("input");
                int i = indexOf.get(input.path("partition").asInt() + ":" + input.path("offset").asLong());
                assertTrue(!seen[i], "record " + i + " has a second verdict");
                seen[i] = true;
            }
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                int i = indexOf.get(header(r, "anomalyze.source.partition") + ":" + header(r, "anomalyze.source.offset"));
                assertTrue(!seen[i], "record " + i + " has a second outcome");
                seen[i] = true;
            }

            // SIGTERM: the survivor commits the batch in hand and stops cleanly.
            b.destroy();
            assertTrue(b.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.readString(logB).contains("stream: stopped after"), Files.readString(logB));
        } finally {
            a.destroyForcibly();
            if (b != null) {
                b.destroyForcibly();
            }
        }
    }

    @Test
    void flowsOfACapturePublishedToKafkaAreScoredByAWorkerAsScoreScoresTheirCsv(@TempDir Path dir) throws Exception {
        TestCapture capture = new TestCapture();
        for (int i = 0; i < 40; i++) {
            long t = 1_700_000_000_000_000L + i * 10_000L;
            String host = "10.1.0." + (i + 1);
            capture.tcp(t, host, 40_000 + i, "192.0.2.1", 80, 0x02, 0)
                    .tcp(t + 100, "192.0.2.1", 80, host, 40_000 + i, 0x12, 0)
                    .tcp(t + 200, host, 40_000 + i, "192.0.2.1", 80, 0x18, 100 + i)
                    .tcp(t + 300, host, 40_000 + i, "192.0.2.1", 80, 0x11, 0);
            capture.udp(t + 400, host, 5_000 + i, "192.0.2.53", 53, 30 + i);
        }
        Path pcap = capture.writeTo(dir.resolve("capture.pcap"));
        Path csv = dir.resolve("flows.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"flows", pcap.toString(), "--out", csv.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)), err.toString());
        cluster.createTopic("captured", 2);
        err.reset();
        assertEquals(0, Main.run(new String[] {"flows", pcap.toString(), "--to-kafka", cluster.bootstrapServers(),
                "--kafka-topic", "captured"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)), err.toString());
        assertTrue(err.toString().contains("80 flows published to captured at " + cluster.bootstrapServers()), err.toString());

        Map<Integer, JsonNode> expected = score(FLOW_MODEL, csv, dir.resolve("flows.json"));
        Map<String, JsonNode> expectedByFlowId = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (int line = 2; line <= lines.size(); line++) {
            expectedByFlowId.put(lines.get(line - 1).split(",", 2)[0], expected.get(line));
        }
        assertEquals(80, expectedByFlowId.size());

        StreamSettings settings = new StreamSettings(cluster.bootstrapServers(), "captured", "captured-verdicts", "captured-dead",
                "captured-group", "anomalyze-captured-test", List.of(), null, Map.of(), 4096, 50, 10_000, 10_000,
                1 << 20, "127.0.0.1", -1, 0);
        List<ConsumerRecord<byte[], byte[]>> verdicts;
        try (DetectorRegistry models = DetectorRegistry.loadFiles(List.of(FLOW_MODEL)); StreamMetrics metrics = new StreamMetrics()) {
            StreamWorker worker = new StreamWorker(settings, models, metrics, new PrintStream(new ByteArrayOutputStream(), true));
            worker.connect();
            Thread thread = new Thread(worker::run, "stream-worker");
            thread.start();
            try {
                verdicts = cluster.readCommitted("captured-verdicts", 80, Duration.ofSeconds(60));
            } finally {
                worker.stop();
                thread.join(30_000);
                worker.close();
            }
            assertEquals(0, metrics.deadLetters());
        }
        assertEquals(80, verdicts.size());
        for (ConsumerRecord<byte[], byte[]> r : verdicts) {
            JsonNode doc = Json.MAPPER.readTree(r.value());
            String flowId = doc.path("anomalyze").path("flow_id").asText();
            JsonNode e = expectedByFlowId.remove(flowId);
            assertSameVerdict(e, doc, -1);
            assertEquals(doc.path("source").path("ip").asText(), new String(r.key(), StandardCharsets.UTF_8));
            assertEquals(flowId.endsWith("-6") ? "tcp" : "udp", doc.path("network").path("transport").asText(), flowId);
        }
        assertTrue(expectedByFlowId.isEmpty(), "flows without a verdict: " + expectedByFlowId.keySet());
    }

    @Test
    void aModelThatCannotLoadIsOneLineAndExitCode1(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        Run run = runWorker(dir, "--bootstrap-servers", cluster.bootstrapServers(), "--input-topic", "mixed",
                "--output-topic", "x-out", "--model", broken.toString());
        assertEquals(1, run.code);
        assertEquals(List.of("anomalyze: cannot load the model: " + broken + ": not valid JSON (Unexpected character "
                + "('n' (code 110)): was expecting double-quote to start field name, line 1, column 2)"), run.stderr);
    }

    @Test
    void aBrokerThatCannotBeReachedIsOneLineAndExitCode1(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run run = runWorker(dir, "--bootstrap-servers", "127.0.0.1:" + port, "--input-topic", "in", "--output-topic", "out",
                "--model", CONNECTION_MODEL.toString(), "--connect-timeout-ms", "2000");
        assertEquals(1, run.code);
        assertEquals(List.of("anomalyze: cannot reach Kafka at 127.0.0.1:" + port + " within 2 s (check --bootstrap-servers,"
                + " ANOMALYZE_BOOTSTRAP_SERVERS, and the security settings)"), run.stderr);
    }

    private static void assertSameVerdict(JsonNode expected, JsonNode doc, int i) {
        assertNotNull(expected, "record " + i + " has no verdict from score");
        JsonNode a = doc.path("anomalyze");
        String where = "record " + i + ": " + doc;
        assertEquals(expected.path("class").asText(), a.path("class").asText(), where);
        assertEquals(expected.path("severity").asText(), a.path("severity").asText(), where);
        assertEquals(expected.path("anomalous").asBoolean(), a.path("anomalous").asBoolean(), where);
        assertEquals(expected.path("score").asDouble(), a.path("score").asDouble(), where);
        assertEquals(expected.path("confidence").asDouble(), a.path("confidence").asDouble(), where);
        assertEquals(expected.path("score").asDouble(), doc.path("event").path("risk_score").asDouble(), where);
        if (expected.has("label")) {
            assertEquals(expected.path("label").asText(), a.path("label").asText(), where);
        } else {
            assertNull(a.get("label"), where);
        }
        JsonNode top = expected.path("topFeatures");
        assertEquals(top.size(), a.path("top_features").size(), where);
        for (int f = 0; f < top.size(); f++) {
            JsonNode e = top.get(f);
            JsonNode g = a.path("top_features").get(f);
            assertEquals(e.path("feature").asText(), g.path("feature").asText(), where);
            assertEquals(e.path("value").asText(), g.path("value").asText(), where);
            assertEquals(e.path("contribution").asDouble(), g.path("contribution").asDouble(), where);
        }
    }

    /** The verdicts of {@code score} on a file, by line. */
    private static Map<Integer, JsonNode> score(Path model, Path data, Path out) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"score", "--model", model.toString(), data.toString(), "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(0, code, err.toString());
        Map<Integer, JsonNode> byLine = new HashMap<>();
        for (JsonNode v : Json.MAPPER.readTree(out.toFile()).path("verdicts")) {
            byLine.put(v.path("line").asInt(), v);
        }
        return byLine;
    }

    /** Produces items {@code from} to {@code to}, item i to partition i mod {@code partitions}; returns "partition:offset" to item. */
    private static Map<String, Integer> produce(String topic, StreamRecords data, int partitions, int from, int to) throws Exception {
        Map<String, Integer> indexOf = new HashMap<>();
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        Map<String, Object> config = Map.of("bootstrap.servers", cluster.bootstrapServers(), "linger.ms", 5, "acks", "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, data.items.get(i).value())));
            }
            producer.flush();
            for (int i = from; i < to; i++) {
                RecordMetadata m = sent.get(i - from).get();
                indexOf.put(m.partition() + ":" + m.offset(), i);
            }
        }
        return indexOf;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private Process startWorker(String instance, Path log, String[] topics, String csvHeader) throws IOException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("stream", "--bootstrap-servers", cluster.bootstrapServers(), "--input-topic", topics[0],
                "--output-topic", topics[1], "--dead-letter-topic", topics[2], "--group-id", "live-group",
                "--instance-id", instance, "--model", CONNECTION_MODEL.toString(), "--model", FLOW_MODEL.toString(),
                "--csv-header", csvHeader, "--batch-size", "500", "--transaction-timeout-ms", "5000",
                "--progress-seconds", "1", "--kafka-property", "session.timeout.ms=6000",
                "--kafka-property", "heartbeat.interval.ms=1000"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.anomalyze.cli.Main");
    }

    private record Run(int code, List<String> stderr) {
    }

    private static Run runWorker(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(javaCommand());
        command.add("stream");
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr.txt");
        Path out = dir.resolve("stdout.txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the worker did not exit");
        assertEquals("", Files.readString(out));
        return new Run(p.exitValue(), Files.readAllLines(err));
    }

    private static void waitFor(Path log, Pattern pattern, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = pattern.matcher(Files.readString(log));
                if (m.find()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line matching " + pattern + " within " + seconds + " s in " + log + ":\n"
                + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
