package io.anomalyze.stream;

import io.anomalyze.detect.DetectorRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A scoring worker of a Kafka consumer group: it polls the input topic, scores each poll as one
 * batch, and produces the verdicts and dead letters in a Kafka transaction that also commits
 * the consumed offsets. A reader with {@code isolation.level=read_committed} therefore sees each
 * input record's verdict exactly once, whether a worker dies mid-batch (its open transaction
 * is aborted and the batch is scored again by whoever takes the partition) or the group
 * rebalances (no transaction is open between polls, where rebalances happen).
 *
 * <p>Workers sharing a group id share the input's partitions through Kafka's own group
 * protocol; nothing else coordinates them.
 */
public final class StreamWorker implements AutoCloseable {

    /** Why the worker cannot start or go on, in one line. */
    public static final class StreamException extends RuntimeException {
        public StreamException(String message) {
            super(message);
        }
    }

    private final StreamSettings settings;
    private final StreamMetrics metrics;
    private final PrintStream log;
    private final RecordScorer scorer;
    private final Outcomes outcomes;
    private volatile boolean running = true;
    private volatile boolean stopped;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;

    public StreamWorker(StreamSettings settings, DetectorRegistry models, StreamMetrics metrics, PrintStream log) {
        this.settings = settings;
        this.metrics = metrics;
        this.log = log;
        this.scorer = new RecordScorer(models.find("mlp").orElse(null), models.find("kmeans").orElse(null),
                settings.csvHeader(), settings.batchSize(), settings.maxRecordBytes());
        this.outcomes = new Outcomes(settings.batchSize());
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** A batch's verdicts (key and document) or dead-letter reasons, by record, gathered before any is sent. */
    private static final class Outcomes implements RecordScorer.Output {
        final byte[][] keys;
        final byte[][] documents;
        final String[] reasons;

        Outcomes(int capacity) {
            keys = new byte[capacity][];
            documents = new byte[capacity][];
            reasons = new String[capacity];
        }

        @Override
        public void verdict(int index, byte[] key, byte[] document) {
            keys[index] = key;
            documents[index] = document;
            reasons[index] = null;
        }

        @Override
        public void deadLetter(int index, String reason) {
            keys[index] = null;
            documents[index] = null;
            reasons[index] = reason;
        }
    }

    /**
     * Checks that the brokers answer and the input topic exists, creates the output and
     * dead-letter topics when missing (with as many partitions as the input), and opens the
     * consumer and the transactional producer.
     */
    public void connect() {
        checkTopics();
        consumer = new KafkaConsumer<>(consumerProperties(settings));
        producer = new KafkaProducer<>(producerProperties(settings));
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            throw new StreamException("cannot start a Kafka transaction as " + settings.transactionalId() + ": " + oneLine(e));
        }
    }

    private Properties common() {
        return common(settings);
    }

    private static Properties common(StreamSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return p;
    }

    private void checkTopics() {
        Properties p = common();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(settings.connectTimeoutMs()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(settings.connectTimeoutMs()));
        try (Admin admin = Admin.create(p)) {
            try {
                admin.describeCluster().nodes().get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                if (e instanceof ExecutionException && !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    throw e;
                }
                throw new StreamException("cannot reach Kafka at " + settings.bootstrapServers() + " within "
                        + seconds(settings.connectTimeoutMs()) + " (check --bootstrap-servers, ANOMALYZE_BOOTSTRAP_SERVERS,"
                        + " and the security settings)");
            }
            Optional<TopicDescription> input = describe(admin, settings.inputTopic());
            if (input.isEmpty()) {
                throw new StreamException("the input topic \"" + settings.inputTopic() + "\" does not exist on "
                        + settings.bootstrapServers());
            }
            int partitions = input.get().partitions().size();
            for (String topic : new String[] {settings.outputTopic(), settings.deadLetterTopic()}) {
                if (describe(admin, topic).isEmpty()) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all()
                                .get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
                        log.printf("stream: created topic %s with %d partitions%n", topic, partitions);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                            throw new StreamException("cannot create the topic \"" + topic + "\": " + oneLine(e.getCause()));
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new StreamException("Kafka at " + settings.bootstrapServers() + " refused: " + oneLine(e.getCause()));
        } catch (TimeoutException e) {
            throw new StreamException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                    + seconds(settings.connectTimeoutMs()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException("interrupted while connecting to Kafka");
        } catch (KafkaException e) {
            throw new StreamException("cannot use Kafka at " + settings.bootstrapServers() + ": " + oneLine(e));
        }
    }

    private Optional<TopicDescription> describe(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The consumer's settings: the user's, then what exactly-once needs. */
    static Properties consumerProperties(StreamSettings settings) {
        Properties p = new Properties();
        // Defaults the user may override...
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(256 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
        p.putAll(common(settings));
        // ...and settings exactly-once depends on, which they may not.
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.batchSize()));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(settings.maxWaitMs()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The transactional producer's settings: the user's, then what exactly-once needs. */
    static Properties producerProperties(StreamSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // Verdict documents repeat most of their text: compressed batches cost the worker a
        // little CPU and save the broker, the network and the disk much more (docs/STREAMING.md).
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(common(settings));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(settings.transactionTimeoutMs()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * Polls, scores and commits until {@link #stop()} is called or the worker is fenced by a
     * newer one with its transactional id.
     */
    public void run() {
        consumer.subscribe(List.of(settings.inputTopic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    log.printf("stream: gave up partitions %s%n", names(partitions));
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    log.printf("stream: took partitions %s%n", names(partitions));
                }
            }
        });
        List<RecordScorer.Input> inputs = new ArrayList<>(settings.batchSize());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(settings.batchSize());
        Progress progress = new Progress();
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(Math.max(100, settings.maxWaitMs())));
                long polledAt = System.nanoTime();
                if (!polled.isEmpty()) {
                    inputs.clear();
                    records.clear();
                    for (ConsumerRecord<byte[], byte[]> r : polled) {
                        records.add(r);
                        inputs.add(new RecordScorer.Input(r.value(), r.topic(), r.partition(), r.offset()));
                    }
                    process(polled, records, inputs, polledAt);
                }
                progress.maybeReport();
            }
        } catch (WakeupException e) {
            // stop() was called: nothing is open between polls.
        } finally {
            stopped = true;
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> polled, List<ConsumerRecord<byte[], byte[]>> records,
                         List<RecordScorer.Input> inputs, long polledAt) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long oldest = Long.MAX_VALUE;
        for (TopicPartition tp : polled.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = polled.records(tp);
            offsets.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            oldest = Math.min(oldest, r.timestamp());
        }
        int n = records.size();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        scorer.score(inputs, System.currentTimeMillis(), outcomes);
        metrics.scoringCpu.increment((THREADS.getCurrentThreadCpuTime() - cpuBefore) / 1e9);
        int verdicts = 0;
        int dead = 0;
        try {
            producer.beginTransaction();
            for (int i = 0; i < n; i++) {
                ConsumerRecord<byte[], byte[]> in = records.get(i);
                byte[] document = outcomes.documents[i];
                if (document != null) {
                    byte[] key = outcomes.keys[i];
                    producer.send(new ProducerRecord<>(settings.outputTopic(), key != null ? key : in.key(), document));
                    verdicts++;
                } else {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("anomalyze.reason", outcomes.reasons[i].getBytes(StandardCharsets.UTF_8));
                    headers.add("anomalyze.source.topic", in.topic().getBytes(StandardCharsets.UTF_8));
                    headers.add("anomalyze.source.partition", Integer.toString(in.partition()).getBytes(StandardCharsets.UTF_8));
                    headers.add("anomalyze.source.offset", Long.toString(in.offset()).getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(settings.deadLetterTopic(), null, in.key(), in.value(), headers));
                    dead++;
                }
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException e) {
            throw new StreamException("another worker with the transactional id " + settings.transactionalId()
                    + " took over (" + oneLine(e) + "); give each worker its own --instance-id");
        } catch (AuthenticationException | AuthorizationException e) {
            throw new StreamException("Kafka refused this worker: " + oneLine(e));
        } catch (KafkaException e) {
            // The batch is read again from the last committed offsets: nothing of it was committed.
            abort(offsets.keySet(), e);
            return;
        }
        metrics.recordsIn.increment(records.size());
        metrics.verdictsOut.increment(verdicts);
        metrics.deadLetters.increment(dead);
        metrics.batch(Duration.ofNanos(System.nanoTime() - polledAt));
        if (oldest > 0 && oldest != Long.MAX_VALUE) {
            metrics.recordAge.record(Math.max(0, System.currentTimeMillis() - oldest), TimeUnit.MILLISECONDS);
        }
    }

    private void abort(Set<TopicPartition> partitions, KafkaException cause) {
        log.printf("stream: aborted a batch, it will be read again: %s%n", oneLine(cause));
        metrics.aborted.increment();
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new StreamException("another worker with the transactional id " + settings.transactionalId() + " took over");
        }
        Set<TopicPartition> held = new HashSet<>(partitions);
        held.retainAll(consumer.assignment());
        if (held.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(held);
        for (TopicPartition tp : held) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                consumer.seek(tp, c);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    private final class Progress {
        private final long every = TimeUnit.SECONDS.toNanos(settings.progressSeconds());
        private long last = System.nanoTime();
        private long lastRecords;
        private long lastLagCheck;

        void maybeReport() {
            long now = System.nanoTime();
            if (now - lastLagCheck > TimeUnit.SECONDS.toNanos(1)) {
                lastLagCheck = now;
                metrics.lag(lag());
            }
            if (every <= 0 || now - last < every) {
                return;
            }
            long records = metrics.recordsIn();
            double rate = (records - lastRecords) / ((now - last) / 1e9);
            log.printf("stream: %,d records in (%,.0f/s), %,d verdicts, %,d dead letters, lag %,d, batch p50 %.0f ms%n",
                    records, rate, metrics.verdictsOut(), metrics.deadLetters(), metrics.lag(),
                    metrics.batchLatency.takeSnapshot().percentileValues().length > 0
                            ? metrics.batchLatency.takeSnapshot().percentileValues()[0].value(TimeUnit.MILLISECONDS) : 0.0);
            last = now;
            lastRecords = records;
        }
    }

    /** Records in the held partitions not yet consumed, as far as the consumer knows. */
    private long lag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                total += l.getAsLong();
            }
        }
        return total;
    }

    /** Asks {@link #run()} to return after the batch in hand; safe from any thread. */
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    public boolean stopped() {
        return stopped;
    }

    /** Closes the clients; an open transaction (there is none between batches) is aborted by the producer. */
    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static String names(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().toList().toString();
    }

    private static String seconds(int millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    /** A Kafka error's message on one line, without the exception's class. */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = m.indexOf('\n');
        return (cut >= 0 ? m.substring(0, cut) : m).strip();
    }
}
