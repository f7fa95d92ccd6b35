package io.anomalyze.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.Verdict;

/** The JSON form of a verdict, shared by the command line, the API and exports. */
public final class VerdictJson {

    private VerdictJson() {
    }

    public static ObjectNode of(Verdict v) {
        ObjectNode o = Json.object();
        o.put("line", v.line());
        o.put("anomalous", v.anomalous());
        o.put("severity", v.severity().label());
        o.put("score", Json.round(v.score(), 6));
        o.put("confidence", Json.round(v.confidence(), 4));
        o.put("class", v.predictedClass());
        if (v.label() != null) {
            o.put("label", v.label());
        }
        ArrayNode top = o.putArray("topFeatures");
        for (FeatureContribution f : v.topFeatures()) {
            ObjectNode t = top.addObject();
            t.put("feature", f.feature());
            t.put("value", f.value());
            t.put("contribution", f.contribution());
        }
        return o;
    }
}
