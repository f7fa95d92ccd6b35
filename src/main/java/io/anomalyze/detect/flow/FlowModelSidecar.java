package io.anomalyze.detect.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.detect.Severity;
import io.anomalyze.read.flow.FlowFeatures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON file beside an ONNX flow model that makes it self-describing: which features the
 * graph expects in which order, what its output means (class names, probabilities or logits),
 * any scaling to apply before the graph, the benign traffic profile used to explain verdicts,
 * the severity mapping, and how the model was made.
 *
 * @param modelFile         the ONNX file's name, resolved beside the sidecar
 * @param inputName         the graph input to feed (null: its first input)
 * @param outputName        the graph output to read (null: its first output)
 * @param features          the graph's input columns, in order, named in any flow dialect
 * @param classes           the output columns, in order
 * @param logits            true when the output is logits (softmax is applied here)
 * @param scaler            scaling applied before the graph, or null when the graph scales
 * @param benignProfile     per input column, mean and spread of benign training traffic in
 *                          signed-log1p space, or null (then verdicts name no top features)
 * @param severity          class and probability to severity
 * @param json              the whole document, for descriptions
 */
public record FlowModelSidecar(String modelFile, String inputName, String outputName, List<String> features,
                               List<String> classes, boolean logits, Scaler scaler, Profile benignProfile,
                               FlowSeverityMapping severity, ObjectNode json) {

    public static final String FORMAT = "anomalyze-flow-mlp/1";
    public static final String KIND = "mlp";

    /** The sidecar's field names, shared by the reader here and {@link MlpSidecarWriter}. */
    public static final class Keys {
        public static final String FORMAT = "format";
        public static final String KIND = "kind";
        public static final String NAME = "name";
        public static final String MODEL = "model";
        public static final String INPUT = "input";
        public static final String OUTPUT = "output";
        /** Inside {@code input} and {@code output}: the graph's tensor name. */
        public static final String TENSOR = "name";
        public static final String FEATURES = "features";
        /** Inside {@code output}: probabilities or logits. */
        public static final String OUTPUT_KIND = "kind";
        public static final String CLASSES = "classes";
        public static final String SCALER = "scaler";
        public static final String SIGNED_LOG1P = "signedLog1p";
        public static final String MEAN = "mean";
        public static final String STD = "std";
        public static final String BENIGN_PROFILE = "benignProfile";
        public static final String SEVERITY = "severity";
        public static final String SEVERITY_BASE = "base";
        public static final String SURE = "sure";
        public static final String UNSURE = "unsure";
        public static final String PREPROCESSING = "preprocessing";
        public static final String ARCHITECTURE = "architecture";
        public static final String TRAINING = "training";
        public static final String VALIDATION = "validation";
        /** Optional: what the model is known not to do well, one sentence each. */
        public static final String LIMITS = "limits";

        private Keys() {
        }
    }

    /**
     * Scaling done in Java before the graph, for graphs that were trained on scaled input but
     * do not contain the scaling: {@code (t(x) - mean) / std}, where {@code t} is signed log1p
     * when {@code signedLog1p} is set and the identity otherwise.
     */
    public record Scaler(boolean signedLog1p, float[] mean, float[] std) {
    }

    /** Mean and standard deviation per input column. */
    public record Profile(float[] mean, float[] std) {
    }

    /** Reads and checks a sidecar; every problem names the file and the field. */
    public static FlowModelSidecar parse(JsonNode node, String source) {
        if (!node.isObject()) {
            throw invalid(source, "is not a JSON object");
        }
        if (!FORMAT.equals(node.path(Keys.FORMAT).asText())) {
            throw invalid(source, "has format \"" + node.path(Keys.FORMAT).asText() + "\", expected \"" + FORMAT + "\"");
        }
        JsonNode input = node.path(Keys.INPUT);
        List<String> features = strings(input.path(Keys.FEATURES), source, "input.features");
        Set<Integer> seen = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String f : features) {
            int i = FlowFeatures.indexOf(f);
            if (i < 0) {
                unknown.add(f);
            } else if (!seen.add(i)) {
                throw invalid(source, "names the feature \"" + f + "\" twice in input.features");
            }
        }
        if (!unknown.isEmpty()) {
            throw invalid(source, "input.features holds names that are no flow feature: " + String.join(", ", unknown));
        }
        List<String> classes = strings(node.path(Keys.CLASSES), source, "classes");
        String outputs = node.path(Keys.OUTPUT).path(Keys.OUTPUT_KIND).asText("probabilities");
        if (!outputs.equals("probabilities") && !outputs.equals("logits")) {
            throw invalid(source, "output.kind must be \"probabilities\" or \"logits\", not \"" + outputs + "\"");
        }
        Scaler scaler = null;
        JsonNode s = node.path(Keys.SCALER);
        if (s.isObject()) {
            scaler = new Scaler(s.path(Keys.SIGNED_LOG1P).asBoolean(false),
                    floats(s.path(Keys.MEAN), features.size(), source, "scaler.mean"),
                    floats(s.path(Keys.STD), features.size(), source, "scaler.std"));
            for (float v : scaler.std()) {
                if (!(v > 0)) {
                    throw invalid(source, "scaler.std must be positive everywhere");
                }
            }
        }
        Profile profile = null;
        JsonNode p = node.path(Keys.BENIGN_PROFILE);
        if (p.isObject()) {
            profile = new Profile(floats(p.path(Keys.MEAN), features.size(), source, "benignProfile.mean"),
                    floats(p.path(Keys.STD), features.size(), source, "benignProfile.std"));
        }
        FlowSeverityMapping severity = FlowSeverityMapping.defaults();
        JsonNode sev = node.path(Keys.SEVERITY);
        if (sev.isObject()) {
            Map<String, Severity> base = new LinkedHashMap<>(severity.base());
            sev.path(Keys.SEVERITY_BASE).fields().forEachRemaining(e -> {
                Severity level = Severity.fromLabel(e.getValue().asText());
                if (level == null) {
                    throw invalid(source, "severity.base." + e.getKey() + " is not a severity: " + e.getValue());
                }
                base.put(e.getKey(), level);
            });
            severity = new FlowSeverityMapping(Map.copyOf(base), sev.path(Keys.SURE).asDouble(severity.sure()),
                    sev.path(Keys.UNSURE).asDouble(severity.unsure()));
        }
        String model = node.path(Keys.MODEL).asText(null);
        return new FlowModelSidecar(model, textOrNull(input.path(Keys.TENSOR)), textOrNull(node.path(Keys.OUTPUT).path(Keys.TENSOR)),
                features, classes, outputs.equals("logits"), scaler, profile, severity, (ObjectNode) node);
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static List<String> strings(JsonNode n, String source, String field) {
        if (!n.isArray() || n.isEmpty()) {
            throw invalid(source, "needs a non-empty array \"" + field + "\"");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw invalid(source, field + " must hold only strings");
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    private static float[] floats(JsonNode n, int size, String source, String field) {
        if (!n.isArray() || n.size() != size) {
            throw invalid(source, field + " must be an array of " + size + " numbers (one per input feature)");
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            if (!n.get(i).isNumber()) {
                throw invalid(source, field + "[" + i + "] is not a number");
            }
            out[i] = (float) n.get(i).asDouble();
            if (!Float.isFinite(out[i])) {
                throw invalid(source, field + "[" + i + "] is " + n.get(i) + ", beyond the float range");
            }
        }
        return out;
    }

    private static InvalidInputException invalid(String source, String why) {
        return new InvalidInputException(source + ": " + why);
    }

    /** A JSON array of floats, for writing sidecars. */
    static ArrayNode array(float[] values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }
}
