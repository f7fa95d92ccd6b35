package io.anomalyze.cli;

import io.anomalyze.capture.CaptureStats;
import io.anomalyze.capture.CaptureOptions;
import io.anomalyze.capture.Captures;
import io.anomalyze.capture.Packet;
import io.anomalyze.capture.PacketSource;
import io.anomalyze.capture.flow.FlowBuilder;
import io.anomalyze.capture.flow.BackgroundFlowCsvWriter;
import io.anomalyze.capture.flow.FlowParity;
import io.anomalyze.capture.flow.FlowSettings;
import io.anomalyze.capture.flow.FlowSink;
import io.anomalyze.read.InputLimits;
import io.anomalyze.stream.FlowPublisher;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;

/**
 * {@code flows}: a drop-in for CICFlowMeter. Reads captures and writes one CSV row per flow
 * (identity, the 78 CICIDS2017 features, an empty Label), or with {@code --compare} measures
 * agreement with CICFlowMeter's own CSV for the same capture.
 */
final class FlowsCommand {

    static final String USAGE = """
            Usage: flows CAPTURE... [--out FILE.csv] [--compare REFERENCE.csv]
                         [--to-kafka HOST:PORT [--kafka-topic T] [--kafka-property K=V]... [--kafka-properties FILE]]
              One CSV row per flow: Flow ID, Src IP, Src Port, Dst IP, Dst Port, Protocol,
              Timestamp (ISO-8601 UTC, microseconds), the 78 CICIDS2017 features and Label
              (empty). Captures: pcap or pcapng, optionally gzip-compressed. Without --out,
              CSV goes to standard output. Several captures are one stream of flows.
              --compare REFERENCE.csv     instead of writing flows, report how many of
                                          CICFlowMeter's flows in REFERENCE are found and how
                                          many feature values agree (one capture only)
              --to-kafka HOST:PORT        instead of CSV, publish each flow to a Kafka topic as one
                                          JSON object (identity and the 78 features), keyed by
                                          source address, for `stream` workers to score
                                          (ANOMALYZE_TO_KAFKA)
              --kafka-topic T             the topic (ANOMALYZE_KAFKA_TOPIC, default flows)
              --kafka-property K=V, --kafka-properties FILE   Kafka client settings, as for stream
            """ + FlowOptions.HELP;

    private static final long PROGRESS_NANOS = 2_000_000_000L;

    private FlowsCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Set<String> valued = new HashSet<>(FlowOptions.NAMES);
        valued.add("out");
        valued.add("compare");
        valued.addAll(List.of("to-kafka", "kafka-topic", "kafka-property", "kafka-properties"));
        Arguments a = new Arguments(args, 0, valued, Set.of());
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        List<String> captures = a.positional();
        if (captures.isEmpty()) {
            throw new UsageException("flows needs at least one CAPTURE file");
        }
        FlowSettings settings = FlowOptions.from(a);
        CaptureOptions captureOptions = FlowOptions.captureOptions(a);
        String compare = a.value("compare", null);
        if (compare != null) {
            if (captures.size() != 1) {
                throw new UsageException("--compare takes exactly one CAPTURE");
            }
            FlowParity parity = new FlowParity();
            read(Path.of(captures.get(0)), settings, captureOptions, parity, err);
            parity.compare(Path.of(compare)).print(out);
            return Main.OK;
        }
        String kafka = a.option(System.getenv(), "to-kafka", null);
        if (kafka != null) {
            if (a.value("out", null) != null) {
                throw new UsageException("--to-kafka and --out are two destinations; give one");
            }
            return publish(captures, settings, captureOptions, a, kafka, err);
        }
        String target = a.value("out", null);
        Path tmp = target == null ? null : Path.of(target + ".part");
        try (OutputStream o = target == null ? new NonClosing(out) : new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
             BackgroundFlowCsvWriter csv = new BackgroundFlowCsvWriter(o)) {
            for (String capture : captures) {
                read(Path.of(capture), settings, captureOptions, csv, err);
            }
            csv.flush();
            if (target != null) {
                err.printf(Locale.ROOT, "%,d flows written to %s%n", csv.rows(), target);
            }
        } catch (RuntimeException | IOException e) {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            throw e;
        }
        if (tmp != null) {
            Files.move(tmp, Path.of(target), StandardCopyOption.REPLACE_EXISTING);
        }
        return Main.OK;
    }

    /** Publishes the flows of the captures to Kafka, each acknowledged before the command ends. */
    private static int publish(List<String> captures, FlowSettings settings, CaptureOptions captureOptions, Arguments a,
                               String servers, PrintStream err)
            throws IOException {
        String topic = a.option(System.getenv(), "kafka-topic", null);
        topic = topic == null ? "flows" : topic;
        StreamCommand.quietKafkaLogs();
        FlowPublisher publisher = new FlowPublisher(servers, topic, StreamCommand.kafkaProperties(a, System.getenv()));
        long started = System.nanoTime();
        try {
            for (String capture : captures) {
                read(Path.of(capture), settings, captureOptions, publisher, err);
            }
        } catch (IOException | RuntimeException e) {
            try {
                publisher.close();
            } catch (KafkaException ignored) {
                // The first failure is the one to report.
            }
            if (e instanceof KafkaException) {
                err.println("anomalyze: publishing flows to " + topic + " at " + servers + " failed: " + oneLine(e));
                return Main.FAILED;
            }
            throw e;
        }
        try {
            publisher.close();
        } catch (KafkaException e) {
            err.println("anomalyze: " + oneLine(e));
            return Main.FAILED;
        }
        err.printf(Locale.ROOT, "%,d flows published to %s at %s in %.1f s%n", publisher.sent(), topic, servers,
                (System.nanoTime() - started) / 1e9);
        return Main.OK;
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }

    /** Builds the flows of one capture into the sink, with progress and the packet counts on stderr. */
    static void read(Path capture, FlowSettings settings, CaptureOptions captureOptions, FlowSink sink, PrintStream err)
            throws IOException {
        String name = capture.getFileName().toString();
        FlowBuilder builder = new FlowBuilder(settings, sink);
        Packet packet = new Packet();
        long started = System.nanoTime();
        long lastReport = started;
        try (PacketSource source = Captures.open(capture, InputLimits.DEFAULTS, captureOptions)) {
            while (source.next(packet)) {
                builder.accept(packet);
                if ((builder.packets() & 0xffff) == 0) {
                    long now = System.nanoTime();
                    if (now - lastReport >= PROGRESS_NANOS) {
                        lastReport = now;
                        double s = (now - started) / 1e9;
                        err.printf(Locale.ROOT, "%s: %,d packets, %,d flows in %.0f s (%,.0f packets/s)%n", name,
                                builder.packets(), builder.flows(), s, builder.packets() / s);
                    }
                }
            }
            builder.finish();
            double s = (System.nanoTime() - started) / 1e9;
            err.printf(Locale.ROOT, "%s: %,d packets into %,d flows in %.1f s%s%n", name, builder.packets(), builder.flows(), s,
                    builder.evicted() > 0 ? String.format(Locale.ROOT, " (%,d ended early at the open-flow cap)", builder.evicted()) : "");
            err.println("  " + describe(source.stats()));
        }
    }

    static String describe(CaptureStats stats) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%,d records, %,d IP packets", stats.records(), stats.ipPackets()));
        for (Map.Entry<String, Long> e : stats.skipped().entrySet()) {
            sb.append(String.format(Locale.ROOT, ", %,d skipped: %s", e.getValue(), e.getKey()));
        }
        if (stats.truncatedAt() >= 0) {
            sb.append(", cut off mid-record at byte ").append(stats.truncatedAt());
        }
        return sb.toString();
    }

    /** Standard output stays open after the command. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
