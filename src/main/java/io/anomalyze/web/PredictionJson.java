package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.analysis.PredictionService.Prediction;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.Verdict;
import java.util.List;

/** The answer of {@code POST /api/v1/predict}: a verdict per record, in the shape the endpoint documents. */
final class PredictionJson {

    private PredictionJson() {
    }

    /** An object for one record sent alone, else an array. */
    static JsonNode of(List<Prediction> predictions, boolean single) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Prediction p : predictions) {
            ObjectNode o = verdict(p.verdict(), p.detector());
            if (p.missing() > 0) {
                // Absent features are read as 0, which the model may take for a real value:
                // the verdict stands on what was sent, and says how little that was.
                o.put("missing_features", p.missing());
                o.put("expected_features", p.expected());
                o.put("low_confidence", true);
                o.put("note", p.missing() + " of the model's " + p.expected() + " features were not sent and were read as 0;"
                        + " this verdict rests on the other " + (p.expected() - p.missing()));
            }
            if (!p.ignored().isEmpty()) {
                ArrayNode names = o.putArray("ignored_fields");
                p.ignored().forEach(names::add);
            }
            out.add(o);
        }
        return single ? out.get(0) : out;
    }

    /** One verdict in the shape the predict endpoint promises. */
    static ObjectNode verdict(Verdict v, Detector detector) {
        List<String> classes = detector.classNames();
        ObjectNode o = Json.object();
        o.put("predicted_class", classes.indexOf(v.predictedClass()));
        o.put("class_name", v.predictedClass());
        ObjectNode p = o.putObject("probabilities");
        if (v.probabilities() != null) {
            for (int i = 0; i < classes.size() && i < v.probabilities().length; i++) {
                p.put(classes.get(i), Decimals.round(v.probabilities()[i], 6));
            }
        } else {
            // K-means gives no class probabilities: its confidence is spread over normal/anomaly.
            double anomaly = v.anomalous() ? 0.5 + v.confidence() / 2 : 0.5 - v.confidence() / 2;
            p.put(classes.get(0), Decimals.round(1 - anomaly, 6));
            p.put(classes.get(1), Decimals.round(anomaly, 6));
        }
        o.put("severity", v.severity().label());
        o.put("score", Decimals.round(v.score(), 6));
        o.put("anomalous", v.anomalous());
        o.put("confidence", Decimals.round(v.confidence(), 4));
        o.put("detector", detector.kind());
        ArrayNode top = o.putArray("top_features");
        for (FeatureContribution f : v.topFeatures()) {
            top.addObject().put("feature", f.feature()).put("value", f.value()).put("contribution", f.contribution());
        }
        return o;
    }
}
