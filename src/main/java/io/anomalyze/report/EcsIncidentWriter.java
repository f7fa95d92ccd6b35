package io.anomalyze.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.store.Incident;
import java.io.IOException;
import java.time.Instant;

/**
 * Writes an incident as one Elastic Common Schema document beside the verdict documents of
 * {@link EcsAlertWriter}: {@code event.kind: alert}, {@code event.category: [network]},
 * {@code event.start/end} spanning its flows, {@code source.ip}, {@code destination.ip},
 * {@code rule.name} its class, {@code event.severity} its highest severity (0 to 4),
 * {@code network.bytes/packets} summed over its flows, and Anomalyze's fields under
 * {@code anomalyze.incident}: flows, destination ports (count and range), first line and analysis.
 */
public final class EcsIncidentWriter {

    private EcsIncidentWriter() {
    }

    public static void write(JsonGenerator g, Incident i, EcsAlertWriter.Model model, long analysisId, String file, String writtenAt)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", i.firstMicros() != FlowIdentity.NO_TIME ? iso(i.firstMicros()) : writtenAt);
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "alert");
        g.writeArrayFieldStart("category");
        g.writeString("network");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("connection");
        g.writeEndArray();
        g.writeNumberField("severity", i.highestSeverity().ordinal());
        g.writeStringField("created", writtenAt);
        if (i.firstMicros() != FlowIdentity.NO_TIME) {
            g.writeStringField("start", iso(i.firstMicros()));
            g.writeStringField("end", iso(i.lastMicros()));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("rule");
        g.writeStringField("name", i.className());
        g.writeEndObject();
        g.writeObjectFieldStart("source");
        g.writeStringField("ip", i.srcAddress());
        g.writeEndObject();
        g.writeObjectFieldStart("destination");
        g.writeStringField("ip", i.dstAddress());
        if (i.distinctPorts() == 1) {
            g.writeNumberField("port", i.minPort());
        }
        g.writeEndObject();
        if (i.bytes() >= 0) {
            g.writeObjectFieldStart("network");
            g.writeNumberField("bytes", i.bytes());
            g.writeNumberField("packets", i.packets());
            g.writeEndObject();
        }
        g.writeObjectFieldStart("observer");
        g.writeStringField("product", "Anomalyze");
        g.writeStringField("vendor", "Anomalyze");
        g.writeStringField("type", "ids");
        g.writeEndObject();
        g.writeObjectFieldStart("anomalyze");
        g.writeStringField("class", i.className());
        g.writeStringField("severity", i.highestSeverity().label());
        g.writeObjectFieldStart("incident");
        g.writeNumberField("flows", i.flows());
        g.writeNumberField("distinct_destination_ports", i.distinctPorts());
        if (i.minPort() >= 0) {
            g.writeNumberField("lowest_destination_port", i.minPort());
            g.writeNumberField("highest_destination_port", i.maxPort());
        }
        g.writeNumberField("first_line", i.firstLine());
        g.writeEndObject();
        g.writeObjectFieldStart("model");
        g.writeStringField("name", model.name());
        g.writeStringField("detector", model.detector());
        g.writeStringField("sha256", model.sha256());
        g.writeEndObject();
        g.writeObjectFieldStart("input");
        g.writeStringField("source", file);
        if (analysisId >= 0) {
            g.writeNumberField("analysis_id", analysisId);
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L).toString();
    }
}
