package io.anomalyze.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.read.FlowTimestamps;
import io.anomalyze.store.Incident;
import java.io.IOException;

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
        g.writeStringField("@timestamp", i.firstMicros() != FlowIdentity.NO_TIME ? FlowTimestamps.iso(i.firstMicros()) : writtenAt);
        EcsAlertWriter.startEvent(g, "alert");
        g.writeNumberField("severity", i.highestSeverity().ordinal());
        g.writeStringField("created", writtenAt);
        if (i.firstMicros() != FlowIdentity.NO_TIME) {
            g.writeStringField("start", FlowTimestamps.iso(i.firstMicros()));
            g.writeStringField("end", FlowTimestamps.iso(i.lastMicros()));
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
        EcsAlertWriter.observer(g);
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
        EcsAlertWriter.model(g, model);
        g.writeObjectFieldStart("input");
        g.writeStringField("source", file);
        if (analysisId >= 0) {
            g.writeNumberField("analysis_id", analysisId);
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }
}
