package io.anomalyze.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.anomalyze.Json;
import io.anomalyze.capture.flow.AddressText;
import io.anomalyze.capture.flow.Flow;
import io.anomalyze.capture.flow.FlowSink;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes flows to a Kafka topic, one JSON object per flow in the shape the stream worker
 * reads ({@code Flow ID}, {@code Src IP}, {@code Src Port}, {@code Dst IP}, {@code Protocol},
 * {@code Timestamp} and the 78 features under their CICIDS2017 names), keyed by source address
 * so that one host's flows stay in order in one partition. Sends are idempotent with
 * {@code acks=all}; the first failed send fails {@link #close}.
 */
public final class FlowPublisher implements FlowSink, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final JsonFactory json = Json.MAPPER.getFactory();
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(2048);
    private final StringBuilder text = new StringBuilder(64);
    private final double[] features = new double[FlowFeatures.COUNT];
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private long sent;
    private boolean closed;

    public FlowPublisher(String bootstrapServers, String topic, Map<String, String> kafkaProperties) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // A broker that cannot be reached ends the command within this, rather than a minute.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.putAll(kafkaProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void accept(Flow flow) {
        if (failure.get() != null) {
            return;
        }
        bytes.reset();
        String source;
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            text.setLength(0);
            AddressText.append(text, flow.srcHigh(), flow.srcLow());
            source = text.toString();
            text.setLength(0);
            AddressText.append(text, flow.dstHigh(), flow.dstLow());
            String destination = text.toString();
            g.writeStringField("Flow ID", source + "-" + destination + "-" + flow.srcPort() + "-" + flow.dstPort() + "-" + flow.protocol());
            g.writeStringField("Src IP", source);
            g.writeNumberField("Src Port", flow.srcPort());
            g.writeStringField("Dst IP", destination);
            g.writeNumberField("Protocol", flow.protocol());
            long micros = flow.startMicros();
            g.writeStringField("Timestamp", Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1000L).toString());
            flow.features(features, 0);
            for (int f = 0; f < FlowFeatures.COUNT; f++) {
                double v = features[f];
                g.writeFieldName(FlowFeatures.name(f));
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    g.writeNumber((long) v);
                } else {
                    g.writeNumber(Double.isFinite(v) ? v : 0);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sent++;
        producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.US_ASCII), bytes.toByteArray()), (m, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acknowledged.incrementAndGet();
            }
        });
    }

    /** Flows handed to the producer. */
    public long sent() {
        return sent;
    }

    /** Waits for every flow to be acknowledged; throws the first failure. Closing twice does nothing more. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            producer.flush();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("publishing flows to " + topic + " failed: " + e.getMessage(), e);
        }
    }
}
