package io.anomalyze.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.anomalyze.Decimals;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.FlowTimestamps;
import java.io.IOException;
import java.time.Instant;

/**
 * Writes a verdict as one Elastic Common Schema document, so that Elasticsearch, OpenSearch
 * and SIEMs file it beside their other network alerts without a mapping of their own:
 *
 * <ul>
 *   <li>{@code @timestamp}: when the flow started, if known (so the verdict lines up with the
 *       traffic on a timeline), else when it was scored; {@code event.created} is always the
 *       moment of scoring;</li>
 *   <li>{@code event.kind}: {@code alert} for an anomalous record, {@code event} for a normal one
 *       (ECS keeps {@code alert} for what a detection rule flagged);
 *       {@code event.category: [network]}, {@code event.type: [connection]};</li>
 *   <li>{@code event.severity}: 0 Normal, 1 Low, 2 Medium, 3 High, 4 Critical; the name is in
 *       {@code anomalyze.severity};</li>
 *   <li>{@code event.risk_score}: the detector's own score (ECS asks for the original value):
 *       1 - P(BENIGN) for flows, the distance ratio for connection records;</li>
 *   <li>{@code rule.name}: the class (an attack class, {@code BENIGN}, {@code normal} or
 *       {@code anomaly});</li>
 *   <li>{@code source.*}, {@code destination.*}, {@code network.*}, {@code event.start/end}
 *       from the verdict's {@link FlowIdentity}, each only when known; a connection record's
 *       service is {@code network.protocol} and its flag {@code anomalyze.connection_flag};</li>
 *   <li>{@code observer.product: Anomalyze}, and Anomalyze's own fields under
 *       {@code anomalyze.*}: score, confidence, anomalous, severity, class, label, top features,
 *       the model's name, detector and SHA-256, the Flow ID and where the record came from.</li>
 * </ul>
 */
public final class EcsAlertWriter {

    /** The model that gave the verdict. */
    public record Model(String name, String detector, String sha256) {
    }

    /**
     * What a record says of its volume, for {@code network.bytes} and {@code network.packets}:
     * both directions together, or -1 when unknown.
     */
    public record Volume(long bytes, long packets) {
        public static final Volume UNKNOWN = new Volume(-1, -1);
    }

    /**
     * Where the record was read: a topic, partition and offset of a stream, or a file
     * ({@code partition} -1) and line.
     */
    public record Origin(String source, int partition, long position, long analysisId) {

        /** A record of a stream or a file that is not an analysis of the service. */
        public Origin(String source, int partition, long position) {
            this(source, partition, position, -1);
        }

        /** A record of a stored analysis: its file and line. */
        public static Origin analysis(long analysisId, String file, long line) {
            return new Origin(file, -1, line, analysisId);
        }
    }

    // Names and fixed values, encoded once.
    private static final SerializedString N_TIMESTAMP = new SerializedString("@timestamp");
    private static final SerializedString N_SEVERITY = new SerializedString("severity");
    private static final SerializedString N_RISK_SCORE = new SerializedString("risk_score");
    private static final SerializedString N_CREATED = new SerializedString("created");
    private static final SerializedString N_START = new SerializedString("start");
    private static final SerializedString N_END = new SerializedString("end");
    private static final SerializedString N_NAME = new SerializedString("name");
    private static final SerializedString N_TRANSPORT = new SerializedString("transport");
    private static final SerializedString N_IANA_NUMBER = new SerializedString("iana_number");
    private static final SerializedString N_PROTOCOL = new SerializedString("protocol");
    private static final SerializedString N_BYTES = new SerializedString("bytes");
    private static final SerializedString N_PACKETS = new SerializedString("packets");
    private static final SerializedString N_ANOMALOUS = new SerializedString("anomalous");
    private static final SerializedString N_CLASS = new SerializedString("class");
    private static final SerializedString N_SCORE = new SerializedString("score");
    private static final SerializedString N_CONFIDENCE = new SerializedString("confidence");
    private static final SerializedString N_LABEL = new SerializedString("label");
    private static final SerializedString N_FLOW_ID = new SerializedString("flow_id");
    private static final SerializedString N_CONNECTION_FLAG = new SerializedString("connection_flag");
    private static final SerializedString N_FEATURE = new SerializedString("feature");
    private static final SerializedString N_VALUE = new SerializedString("value");
    private static final SerializedString N_CONTRIBUTION = new SerializedString("contribution");
    private static final SerializedString N_SOURCE = new SerializedString("source");
    private static final SerializedString N_PARTITION = new SerializedString("partition");
    private static final SerializedString N_OFFSET = new SerializedString("offset");
    private static final SerializedString N_LINE = new SerializedString("line");
    private static final SerializedString N_ANALYSIS_ID = new SerializedString("analysis_id");
    private static final SerializedString N_KIND = new SerializedString("kind");
    private static final SerializedString N_PRODUCT = new SerializedString("product");
    private static final SerializedString N_VENDOR = new SerializedString("vendor");
    private static final SerializedString N_TYPE = new SerializedString("type");
    private static final SerializedString N_DETECTOR = new SerializedString("detector");
    private static final SerializedString N_SHA256 = new SerializedString("sha256");
    private static final SerializedString N_IP = new SerializedString("ip");
    private static final SerializedString N_PORT = new SerializedString("port");
    private static final SerializedString N_RULE = new SerializedString("rule");
    private static final SerializedString N_NETWORK = new SerializedString("network");
    private static final SerializedString N_ANOMALYZE = new SerializedString("anomalyze");
    private static final SerializedString N_TOP_FEATURES = new SerializedString("top_features");
    private static final SerializedString N_INPUT = new SerializedString("input");
    private static final SerializedString N_EVENT = new SerializedString("event");
    private static final SerializedString N_CATEGORY = new SerializedString("category");
    private static final SerializedString N_OBSERVER = new SerializedString("observer");
    private static final SerializedString N_MODEL = new SerializedString("model");
    private static final SerializedString N_DESTINATION = new SerializedString("destination");
    private static final SerializedString V_ANOMALYZE = new SerializedString("Anomalyze");
    private static final SerializedString V_IDS = new SerializedString("ids");
    private static final SerializedString V_NETWORK = new SerializedString("network");
    private static final SerializedString V_CONNECTION = new SerializedString("connection");

    /** A model's texts encoded once; the last one written is kept (immutable, so safe to share between threads). */
    private record EncodedModel(Model model, SerializedString name, SerializedString detector, SerializedString sha256) {
        EncodedModel(Model model) {
            this(model, encode(model.name()), encode(model.detector()), encode(model.sha256()));
        }

        private static SerializedString encode(String text) {
            return text == null ? null : new SerializedString(text);
        }
    }

    private static volatile EncodedModel lastModel;

    private EcsAlertWriter() {
    }

    /** The ISO-8601 text of a moment, as {@link #write} takes the moment of scoring. */
    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /**
     * Writes one document (an object) to {@code g}.
     *
     * @param scoredAt when the verdict was given, as {@link #iso} writes it (shared by a batch)
     */
    public static void write(JsonGenerator g, Verdict v, Volume volume, Model model, Origin origin, String scoredAt)
            throws IOException {
        FlowIdentity id = v.identity();
        g.writeStartObject();
        long startMicros = id.startMicros();
        g.writeFieldName(N_TIMESTAMP);
        g.writeString(startMicros != FlowIdentity.NO_TIME ? FlowTimestamps.iso(startMicros) : scoredAt);

        startEvent(g, v.anomalous() ? "alert" : "event");
        g.writeFieldName(N_SEVERITY);
        g.writeNumber(v.severity().ordinal());
        g.writeFieldName(N_RISK_SCORE);
        g.writeNumber(Decimals.round(v.score(), 6));
        g.writeFieldName(N_CREATED);
        g.writeString(scoredAt);
        if (startMicros != FlowIdentity.NO_TIME) {
            g.writeFieldName(N_START);
            g.writeString(FlowTimestamps.iso(startMicros));
        }
        if (id.endMicros() != FlowIdentity.NO_TIME) {
            g.writeFieldName(N_END);
            g.writeString(FlowTimestamps.iso(id.endMicros()));
        }
        g.writeEndObject();

        g.writeFieldName(N_RULE);
        g.writeStartObject();
        g.writeFieldName(N_NAME);
        g.writeString(v.predictedClass());
        g.writeEndObject();

        endpoint(g, N_SOURCE, id.srcAddress(), id.srcPort());
        endpoint(g, N_DESTINATION, id.dstAddress(), id.dstPort());

        String transport = transport(id.protocol());
        if (id.protocol() != FlowIdentity.UNKNOWN || volume.bytes() >= 0 || volume.packets() >= 0 || id.service() != null) {
            g.writeFieldName(N_NETWORK);
            g.writeStartObject();
            if (transport != null) {
                g.writeFieldName(N_TRANSPORT);
                g.writeString(transport);
            }
            if (id.protocol() != FlowIdentity.UNKNOWN) {
                g.writeFieldName(N_IANA_NUMBER);
                g.writeString(Integer.toString(id.protocol()));
            }
            if (id.service() != null) {
                // NSL-KDD's service is the application protocol (http, ftp_data, private, ...).
                g.writeFieldName(N_PROTOCOL);
                g.writeString(id.service());
            }
            if (volume.bytes() >= 0) {
                g.writeFieldName(N_BYTES);
                g.writeNumber(volume.bytes());
            }
            if (volume.packets() >= 0) {
                g.writeFieldName(N_PACKETS);
                g.writeNumber(volume.packets());
            }
            g.writeEndObject();
        }

        observer(g);

        g.writeFieldName(N_ANOMALYZE);
        g.writeStartObject();
        g.writeFieldName(N_ANOMALOUS);
        g.writeBoolean(v.anomalous());
        g.writeFieldName(N_CLASS);
        g.writeString(v.predictedClass());
        g.writeFieldName(N_SEVERITY);
        g.writeString(v.severity().label());
        g.writeFieldName(N_SCORE);
        g.writeNumber(Decimals.round(v.score(), 6));
        g.writeFieldName(N_CONFIDENCE);
        g.writeNumber(Decimals.round(v.confidence(), 4));
        if (v.label() != null) {
            g.writeFieldName(N_LABEL);
            g.writeString(v.label());
        }
        if (id.flowId() != null) {
            g.writeFieldName(N_FLOW_ID);
            g.writeString(id.flowId());
        }
        if (id.flag() != null) {
            g.writeFieldName(N_CONNECTION_FLAG);
            g.writeString(id.flag());
        }
        g.writeFieldName(N_TOP_FEATURES);
        g.writeStartArray();
        for (FeatureContribution f : v.topFeatures()) {
            g.writeStartObject();
            g.writeFieldName(N_FEATURE);
            g.writeString(f.feature());
            g.writeFieldName(N_VALUE);
            g.writeString(f.value());
            g.writeFieldName(N_CONTRIBUTION);
            g.writeNumber(f.contribution());
            g.writeEndObject();
        }
        g.writeEndArray();
        model(g, model);
        if (origin != null) {
            g.writeFieldName(N_INPUT);
            g.writeStartObject();
            g.writeFieldName(N_SOURCE);
            g.writeString(origin.source());
            if (origin.partition() >= 0) {
                g.writeFieldName(N_PARTITION);
                g.writeNumber(origin.partition());
                g.writeFieldName(N_OFFSET);
                g.writeNumber(origin.position());
            } else {
                g.writeFieldName(N_LINE);
                g.writeNumber(origin.position());
            }
            if (origin.analysisId() >= 0) {
                g.writeFieldName(N_ANALYSIS_ID);
                g.writeNumber(origin.analysisId());
            }
            g.writeEndObject();
        }
        g.writeEndObject();

        g.writeEndObject();
    }

    /** Opens {@code event} with its kind and the network connection category and type every document has. */
    static void startEvent(JsonGenerator g, String kind) throws IOException {
        g.writeFieldName(N_EVENT);
        g.writeStartObject();
        g.writeFieldName(N_KIND);
        g.writeString(kind);
        g.writeFieldName(N_CATEGORY);
        g.writeStartArray();
        g.writeString(V_NETWORK);
        g.writeEndArray();
        g.writeFieldName(N_TYPE);
        g.writeStartArray();
        g.writeString(V_CONNECTION);
        g.writeEndArray();
    }

    /** {@code observer}: Anomalyze as the intrusion detection system that saw it. */
    static void observer(JsonGenerator g) throws IOException {
        g.writeFieldName(N_OBSERVER);
        g.writeStartObject();
        g.writeFieldName(N_PRODUCT);
        g.writeString(V_ANOMALYZE);
        g.writeFieldName(N_VENDOR);
        g.writeString(V_ANOMALYZE);
        g.writeFieldName(N_TYPE);
        g.writeString(V_IDS);
        g.writeEndObject();
    }

    /** {@code anomalyze.model}: the model that gave the verdict. */
    static void model(JsonGenerator g, Model model) throws IOException {
        EncodedModel encoded = lastModel;
        if (encoded == null || encoded.model() != model) {
            encoded = new EncodedModel(model);
            lastModel = encoded;
        }
        g.writeFieldName(N_MODEL);
        g.writeStartObject();
        writeText(g, N_NAME, encoded.name());
        writeText(g, N_DETECTOR, encoded.detector());
        writeText(g, N_SHA256, encoded.sha256());
        g.writeEndObject();
    }

    private static void writeText(JsonGenerator g, SerializedString name, SerializedString value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    private static void endpoint(JsonGenerator g, SerializedString name, String ip, int port) throws IOException {
        if (ip == null && port == FlowIdentity.UNKNOWN) {
            return;
        }
        g.writeFieldName(name);
        g.writeStartObject();
        if (ip != null) {
            g.writeFieldName(N_IP);
            g.writeString(ip);
        }
        if (port != FlowIdentity.UNKNOWN) {
            g.writeFieldName(N_PORT);
            g.writeNumber(port);
        }
        g.writeEndObject();
    }

    /** ECS's network.transport: the protocol's lower-case IANA keyword. */
    public static String transport(int ianaProtocol) {
        return switch (ianaProtocol) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "ipv6-icmp";
            case 132 -> "sctp";
            case 47 -> "gre";
            default -> null;
        };
    }
}
