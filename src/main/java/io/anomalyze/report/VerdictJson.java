package io.anomalyze.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Verdict;
import java.util.List;

/**
 * The JSON form of a verdict: one shape for the records API, the JSON export and the command
 * line's JSON output (the {@code Verdict} schema of {@code openapi.json}). The predict endpoint
 * answers in a shape of its own, documented with it, and the NDJSON export writes Elastic Common
 * Schema documents ({@link EcsAlertWriter}).
 */
public final class VerdictJson {

    private VerdictJson() {
    }

    /**
     * A verdict with, when it kept them, its record's features named by {@code featureNames} (by
     * position past the end of the list) and its class probabilities named by {@code classNames}.
     */
    public static ObjectNode of(Verdict v, List<String> featureNames, List<String> classNames) {
        ObjectNode o = Json.object();
        o.put("line", v.line());
        o.put("anomalous", v.anomalous());
        o.put("severity", v.severity().label());
        o.put("score", Decimals.round(v.score(), 6));
        o.put("confidence", Decimals.round(v.confidence(), 4));
        o.put("class", v.predictedClass());
        if (v.label() != null) {
            o.put("label", v.label());
        }
        if (!v.identity().isEmpty()) {
            o.set("identity", identity(v.identity()));
        }
        ArrayNode top = o.putArray("topFeatures");
        for (FeatureContribution f : v.topFeatures()) {
            ObjectNode t = top.addObject();
            t.put("feature", f.feature());
            t.put("value", f.value());
            t.put("contribution", f.contribution());
        }
        if (v.features() != null) {
            ObjectNode f = o.putObject("features");
            for (int i = 0; i < v.features().length; i++) {
                f.put(i < featureNames.size() ? featureNames.get(i) : "feature_" + (i + 1), v.features()[i]);
            }
        }
        if (v.probabilities() != null && classNames != null) {
            ObjectNode p = o.putObject("probabilities");
            for (int i = 0; i < v.probabilities().length && i < classNames.size(); i++) {
                p.put(classNames.get(i), Decimals.round(v.probabilities()[i], 6));
            }
        }
        return o;
    }

    /**
     * Who, when and what, with only the parts the input gave: {@code flowId}, {@code src},
     * {@code srcPort}, {@code dst}, {@code dstPort}, {@code protocol} (name) and
     * {@code protocolNumber}, {@code start} and {@code end} (ISO-8601, UTC), {@code service}
     * and {@code flag}.
     */
    public static ObjectNode identity(FlowIdentity id) {
        ObjectNode o = Json.object();
        if (id.flowId() != null) {
            o.put("flowId", id.flowId());
        }
        if (id.srcAddress() != null) {
            o.put("src", id.srcAddress());
        }
        if (id.srcPort() != FlowIdentity.UNKNOWN) {
            o.put("srcPort", id.srcPort());
        }
        if (id.dstAddress() != null) {
            o.put("dst", id.dstAddress());
        }
        if (id.dstPort() != FlowIdentity.UNKNOWN) {
            o.put("dstPort", id.dstPort());
        }
        if (id.protocol() != FlowIdentity.UNKNOWN) {
            o.put("protocol", id.protocolName());
            o.put("protocolNumber", id.protocol());
        }
        if (id.start() != null) {
            o.put("start", id.start().toString());
        }
        if (id.end() != null) {
            o.put("end", id.end().toString());
        }
        if (id.service() != null) {
            o.put("service", id.service());
        }
        if (id.flag() != null) {
            o.put("flag", id.flag());
        }
        return o;
    }
}
