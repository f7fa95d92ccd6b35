package io.anomalyze.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.read.FlowTimestamps;
import io.anomalyze.store.Incident;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One incident as the API and the incidents page show it: times as ISO-8601 UTC, the port
 * range as text, and the link to the incident's own records.
 *
 * @param incident   the stored incident
 * @param firstSeen  its first flow's start, ISO-8601 UTC, or empty
 * @param lastSeen   its last flow's end, or empty
 * @param ports      "627 ports (1–65389)", "port 80" or empty
 * @param recordsUrl the results page filtered to its flows
 */
public record IncidentView(Incident incident, String firstSeen, String lastSeen, String ports, String recordsUrl) {

    static IncidentView of(long analysisId, Incident i) {
        String first = i.firstMicros() == FlowIdentity.NO_TIME ? "" : FlowTimestamps.iso(i.firstMicros());
        String last = i.lastMicros() == FlowIdentity.NO_TIME ? "" : FlowTimestamps.iso(i.lastMicros());
        String ports = i.distinctPorts() == 0 ? "" : i.distinctPorts() == 1 ? "port " + i.minPort()
                : String.format(Locale.ROOT, "%,d ports (%d\u2013%d)", i.distinctPorts(), i.minPort(), i.maxPort());
        StringBuilder url = new StringBuilder("/analyses/").append(analysisId)
                .append("?src=").append(encode(i.srcAddress())).append("&dst=").append(encode(i.dstAddress()))
                .append("&class=").append(encode(i.className()));
        if (!first.isEmpty()) {
            // the end is exclusive in the records filter: one microsecond past the last flow's start
            url.append("&from=").append(encode(first)).append("&to=").append(encode(FlowTimestamps.iso(i.lastMicros() + 1)));
        }
        return new IncidentView(i, first, last, ports, url.append("&sort=file-order#records").toString());
    }

    /** An ISO-8601 time as a page shows it: to the second, with a space for the T. */
    public String shown(String iso) {
        return iso.length() < 19 ? iso : iso.substring(0, 19).replace('T', ' ');
    }

    ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("source", incident.srcAddress());
        o.put("destination", incident.dstAddress());
        o.put("class", incident.className());
        o.put("highestSeverity", incident.highestSeverity().label());
        o.put("flows", incident.flows());
        putKnown(o, "bytes", incident.bytes());
        putKnown(o, "packets", incident.packets());
        o.put("distinctDestinationPorts", incident.distinctPorts());
        putKnown(o, "lowestDestinationPort", incident.minPort());
        putKnown(o, "highestDestinationPort", incident.maxPort());
        if (firstSeen.isEmpty()) {
            o.putNull("firstSeen");
            o.putNull("lastSeen");
        } else {
            o.put("firstSeen", firstSeen);
            o.put("lastSeen", lastSeen);
        }
        o.put("firstLine", incident.firstLine());
        o.put("records", recordsUrl);
        return o;
    }

    private static void putKnown(ObjectNode o, String field, long value) {
        if (value < 0) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
