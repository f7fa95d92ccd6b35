package io.anomalyze.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.anomalyze.Json;
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
        g.writeStringField("@timestamp", startMicros != FlowIdentity.NO_TIME ? FlowTimestamps.iso(startMicros) : scoredAt);

        startEvent(g, v.anomalous() ? "alert" : "event");
        g.writeNumberField("severity", v.severity().ordinal());
        g.writeNumberField("risk_score", Json.round(v.score(), 6));
        g.writeStringField("created", scoredAt);
        if (startMicros != FlowIdentity.NO_TIME) {
            g.writeStringField("start", FlowTimestamps.iso(startMicros));
        }
        if (id.endMicros() != FlowIdentity.NO_TIME) {
            g.writeStringField("end", FlowTimestamps.iso(id.endMicros()));
        }
        g.writeEndObject();

        g.writeObjectFieldStart("rule");
        g.writeStringField("name", v.predictedClass());
        g.writeEndObject();

        endpoint(g, "source", id.srcAddress(), id.srcPort());
        endpoint(g, "destination", id.dstAddress(), id.dstPort());

        String transport = transport(id.protocol());
        if (id.protocol() != FlowIdentity.UNKNOWN || volume.bytes() >= 0 || volume.packets() >= 0 || id.service() != null) {
            g.writeObjectFieldStart("network");
            if (transport != null) {
                g.writeStringField("transport", transport);
            }
            if (id.protocol() != FlowIdentity.UNKNOWN) {
                g.writeStringField("iana_number", Integer.toString(id.protocol()));
            }
            if (id.service() != null) {
                // NSL-KDD's service is the application protocol (http, ftp_data, private, ...).
                g.writeStringField("protocol", id.service());
            }
            if (volume.bytes() >= 0) {
                g.writeNumberField("bytes", volume.bytes());
            }
            if (volume.packets() >= 0) {
                g.writeNumberField("packets", volume.packets());
            }
            g.writeEndObject();
        }

        observer(g);

        g.writeObjectFieldStart("anomalyze");
        g.writeBooleanField("anomalous", v.anomalous());
        g.writeStringField("class", v.predictedClass());
        g.writeStringField("severity", v.severity().label());
        g.writeNumberField("score", Json.round(v.score(), 6));
        g.writeNumberField("confidence", Json.round(v.confidence(), 4));
        if (v.label() != null) {
            g.writeStringField("label", v.label());
        }
        if (id.flowId() != null) {
            g.writeStringField("flow_id", id.flowId());
        }
        if (id.flag() != null) {
            g.writeStringField("connection_flag", id.flag());
        }
        g.writeArrayFieldStart("top_features");
        for (FeatureContribution f : v.topFeatures()) {
            g.writeStartObject();
            g.writeStringField("feature", f.feature());
            g.writeStringField("value", f.value());
            g.writeNumberField("contribution", f.contribution());
            g.writeEndObject();
        }
        g.writeEndArray();
        model(g, model);
        if (origin != null) {
            g.writeObjectFieldStart("input");
            g.writeStringField("source", origin.source());
            if (origin.partition() >= 0) {
                g.writeNumberField("partition", origin.partition());
                g.writeNumberField("offset", origin.position());
            } else {
                g.writeNumberField("line", origin.position());
            }
            if (origin.analysisId() >= 0) {
                g.writeNumberField("analysis_id", origin.analysisId());
            }
            g.writeEndObject();
        }
        g.writeEndObject();

        g.writeEndObject();
    }

    /** Opens {@code event} with its kind and the network connection category and type every document has. */
    static void startEvent(JsonGenerator g, String kind) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", kind);
        g.writeArrayFieldStart("category");
        g.writeString("network");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("connection");
        g.writeEndArray();
    }

    /** {@code observer}: Anomalyze as the intrusion detection system that saw it. */
    static void observer(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("observer");
        g.writeStringField("product", "Anomalyze");
        g.writeStringField("vendor", "Anomalyze");
        g.writeStringField("type", "ids");
        g.writeEndObject();
    }

    /** {@code anomalyze.model}: the model that gave the verdict. */
    static void model(JsonGenerator g, Model model) throws IOException {
        g.writeObjectFieldStart("model");
        g.writeStringField("name", model.name());
        g.writeStringField("detector", model.detector());
        g.writeStringField("sha256", model.sha256());
        g.writeEndObject();
    }

    private static void endpoint(JsonGenerator g, String name, String ip, int port) throws IOException {
        if (ip == null && port == FlowIdentity.UNKNOWN) {
            return;
        }
        g.writeObjectFieldStart(name);
        if (ip != null) {
            g.writeStringField("ip", ip);
        }
        if (port != FlowIdentity.UNKNOWN) {
            g.writeNumberField("port", port);
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
