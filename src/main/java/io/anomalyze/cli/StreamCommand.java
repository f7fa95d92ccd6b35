package io.anomalyze.cli;

import io.anomalyze.InvalidInputException;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.stream.StreamMetrics;
import io.anomalyze.stream.StreamSettings;
import io.anomalyze.stream.StreamWorker;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code stream}: a scoring worker between two Kafka topics (see {@link StreamWorker}). Every
 * flag has an environment variable, {@code ANOMALYZE_} and the flag's name in capitals.
 */
final class StreamCommand {

    static final String USAGE = """
            Usage: stream --bootstrap-servers HOST:PORT --input-topic T --output-topic T [options]
              Scores records from a Kafka topic and writes one Elastic Common Schema verdict per
              record to another, exactly once, as one worker of a consumer group.
              --bootstrap-servers  Kafka brokers (ANOMALYZE_BOOTSTRAP_SERVERS)
              --input-topic        JSON flows, connection records or flow CSV lines (ANOMALYZE_INPUT_TOPIC)
              --output-topic       verdicts, keyed by source address (ANOMALYZE_OUTPUT_TOPIC)
              --group-id           workers of one group share the input's partitions
                                   (ANOMALYZE_GROUP_ID, default anomalyze)
              --dead-letter-topic  unreadable records with the reason in header anomalyze.reason
                                   (ANOMALYZE_DEAD_LETTER_TOPIC, default INPUT.dead-letters)
              --model FILE         a model to score with, repeatable (ANOMALYZE_MODEL, comma-separated;
                                   default the bundled K-means and flow models)
              --csv-header FILE|LINE  the header of flow CSV lines, a file or the line itself
                                   (ANOMALYZE_CSV_HEADER)
              --kafka-property K=V Kafka client setting, repeatable: security.protocol, sasl.*, ssl.*
                                   (ANOMALYZE_KAFKA_PROPERTY, one K=V per line)
              --kafka-properties FILE  Kafka client settings from a properties file (ANOMALYZE_KAFKA_PROPERTIES)
              --instance-id ID     this worker's stable name; a worker restarted with the same id fences
                                   its predecessor at once (ANOMALYZE_INSTANCE_ID, default host-pid)
              --batch-size N       most records per batch and transaction (ANOMALYZE_BATCH_SIZE, default 4096)
              --max-wait-ms N      longest the broker holds a fetch to fill a batch (ANOMALYZE_MAX_WAIT_MS, default 100)
              --transaction-timeout-ms N  how long a dead worker's open transaction blocks its partitions
                                   (ANOMALYZE_TRANSACTION_TIMEOUT_MS, default 10000)
              --connect-timeout-ms N  how long to wait for the brokers at start (ANOMALYZE_CONNECT_TIMEOUT_MS, default 15000)
              --max-record-kb N    larger records are dead letters (ANOMALYZE_MAX_RECORD_KB, default 1024)
              --metrics-port P     serve Prometheus metrics at /metrics on this port (ANOMALYZE_METRICS_PORT, default none)
              --metrics-host H     interface for the metrics (ANOMALYZE_METRICS_HOST, default 127.0.0.1)
              --progress-seconds N seconds between progress lines, 0 for none (ANOMALYZE_PROGRESS_SECONDS, default 5)
            Stops on SIGTERM after committing the batch in hand.
            """;

    private static final Set<String> VALUED = Set.of("bootstrap-servers", "input-topic", "output-topic", "group-id",
            "dead-letter-topic", "model", "csv-header", "kafka-property", "kafka-properties", "instance-id", "batch-size",
            "max-wait-ms", "transaction-timeout-ms", "connect-timeout-ms", "max-record-kb", "metrics-port", "metrics-host",
            "progress-seconds");

    private StreamCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        Arguments a = new Arguments(args, 0, VALUED, Set.of());
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("stream takes no positional arguments");
        }
        // The Kafka clients log every retry; the worker says what matters itself.
        quietKafkaLogs();
        StreamSettings settings = settings(a, env);
        DetectorRegistry models;
        try {
            models = settings.models().isEmpty() ? DetectorRegistry.load(null, true) : DetectorRegistry.loadFiles(settings.models());
        } catch (InvalidInputException | IOException | UncheckedIOException e) {
            err.println("anomalyze: cannot load the model: " + oneLine(e.getMessage()));
            return Main.FAILED;
        }
        if (models.kinds().isEmpty()) {
            err.println("anomalyze: no model is loaded; give one with --model");
            return Main.FAILED;
        }
        if (settings.csvHeader() != null && models.find("mlp").isEmpty()) {
            models.close();
            throw new UsageException("--csv-header is for flow lines, but no flow model is loaded");
        }
        StreamMetrics metrics = new StreamMetrics();
        StreamWorker worker;
        try {
            worker = new StreamWorker(settings, models, metrics, err);
            if (settings.metricsPort() >= 0) {
                int port = metrics.serve(settings.metricsHost(), settings.metricsPort());
                err.printf("stream: metrics at http://%s:%d/metrics%n", settings.metricsHost(), port);
            }
            worker.connect();
        } catch (InvalidInputException | StreamWorker.StreamException e) {
            err.println("anomalyze: " + oneLine(e.getMessage()));
            metrics.close();
            models.close();
            return Main.FAILED;
        } catch (IOException e) {
            err.println("anomalyze: cannot serve metrics on " + settings.metricsHost() + ":" + settings.metricsPort() + ": " + e.getMessage());
            metrics.close();
            models.close();
            return Main.FAILED;
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.stop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.printf("stream: scoring %s into %s (dead letters: %s) as %s in group %s with %s%n", settings.inputTopic(),
                settings.outputTopic(), settings.deadLetterTopic(), settings.transactionalId(), settings.groupId(),
                String.join(", ", models.models().stream().map(m -> m.file()).toList()));
        int code = Main.OK;
        try {
            worker.run();
        } catch (StreamWorker.StreamException e) {
            err.println("anomalyze: " + oneLine(e.getMessage()));
            code = Main.FAILED;
        } finally {
            worker.close();
            models.close();
            metrics.close();
            err.printf("stream: stopped after %,d records in, %,d verdicts, %,d dead letters%n", metrics.recordsIn(),
                    metrics.verdictsOut(), metrics.deadLetters());
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is what stopped the worker.
        }
        return code;
    }

    static void quietKafkaLogs() {
        for (String logger : new String[] {"org.apache.kafka", "kafka"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }

    static StreamSettings settings(Arguments a, Map<String, String> env) throws IOException {
        String servers = a.required(env, "bootstrap-servers");
        String input = a.required(env, "input-topic");
        String output = a.required(env, "output-topic");
        String group = a.option(env, "group-id", StreamSettings.DEFAULT_GROUP_ID);
        String deadLetters = a.option(env, "dead-letter-topic", StreamSettings.defaultDeadLetterTopic(input));
        if (output.equals(input) || deadLetters.equals(input) || deadLetters.equals(output)) {
            throw new UsageException("the input, output and dead-letter topics must be three different topics");
        }
        List<Path> models = new ArrayList<>();
        if (!a.values("model").isEmpty()) {
            a.values("model").forEach(m -> models.add(Path.of(m)));
        } else if (env.get("ANOMALYZE_MODEL") != null && !env.get("ANOMALYZE_MODEL").isBlank()) {
            for (String m : env.get("ANOMALYZE_MODEL").split(",")) {
                if (!m.isBlank()) {
                    models.add(Path.of(m.strip()));
                }
            }
        }
        String header = csvHeader(a.option(env, "csv-header", null));
        Map<String, String> kafka = kafkaProperties(a, env);
        String instance = a.option(env, "instance-id", defaultInstanceId());
        int batch = (int) a.number(env, "batch-size", StreamSettings.DEFAULT_BATCH_SIZE, 1, 4096);
        int maxWait = (int) a.number(env, "max-wait-ms", StreamSettings.DEFAULT_MAX_WAIT_MS, 0, 60_000);
        int txTimeout = (int) a.number(env, "transaction-timeout-ms", StreamSettings.DEFAULT_TRANSACTION_TIMEOUT_MS, 1000, 900_000);
        int connect = (int) a.number(env, "connect-timeout-ms", StreamSettings.DEFAULT_CONNECT_TIMEOUT_MS, 100, 600_000);
        int maxRecordKb = (int) a.number(env, "max-record-kb", StreamSettings.DEFAULT_MAX_RECORD_KB, 1, 512 * 1024);
        int metricsPort = (int) a.number(env, "metrics-port", -1, -1, 65535);
        String metricsHost = a.option(env, "metrics-host", "127.0.0.1");
        int progress = (int) a.number(env, "progress-seconds", StreamSettings.DEFAULT_PROGRESS_SECONDS, 0, 86_400);
        return new StreamSettings(servers, input, output, deadLetters, group, "anomalyze-" + group + "-" + instance, models,
                header, kafka, batch, maxWait, txTimeout, connect, maxRecordKb << 10, metricsHost, metricsPort, progress);
    }

    /** The first line of a file, or the value itself when it names no file. */
    private static String csvHeader(String value) throws IOException {
        if (value == null) {
            return null;
        }
        Path file = Path.of(value.length() > 4096 ? "-" : value);
        if (value.indexOf(',') < 0 || Files.isRegularFile(file)) {
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                return lines.findFirst().orElseThrow(() -> new UsageException("--csv-header " + value + ": the file is empty"));
            } catch (NoSuchFileException e) {
                throw new UsageException("--csv-header " + value + ": no such file (give a file or the header line itself)");
            }
        }
        return value;
    }

    static Map<String, String> kafkaProperties(Arguments a, Map<String, String> env) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        String file = a.option(env, "kafka-properties", null);
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw new UsageException("--kafka-properties " + file + ": no such file");
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        }
        List<String> pairs = new ArrayList<>(a.values("kafka-property"));
        if (pairs.isEmpty() && env.get("ANOMALYZE_KAFKA_PROPERTY") != null) {
            env.get("ANOMALYZE_KAFKA_PROPERTY").lines().filter(l -> !l.isBlank()).forEach(pairs::add);
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--kafka-property takes KEY=VALUE, not \"" + pair + "\"");
            }
            props.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return props;
    }

    private static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int cut = message.indexOf('\n');
        return (cut >= 0 ? message.substring(0, cut) : message).strip();
    }
}
