package io.anomalyze.detect.kmeans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.detect.SeverityBands;
import io.anomalyze.read.connection.ConnectionLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link KMeansModel} from its JSON tree field by field, without the object mapper's
 * start-up cost, and checks what scoring relies on: every problem names the file and the field.
 */
final class KMeansModelTree {

    private final String source;

    private KMeansModelTree(String source) {
        this.source = source;
    }

    static KMeansModel read(JsonNode root, String source) {
        return new KMeansModelTree(source).model(root);
    }

    private KMeansModel model(JsonNode root) {
        if (!root.isObject()) {
            throw invalid("is not a JSON object");
        }
        String format = root.path("format").asText();
        if (!KMeansModel.FORMAT.equals(format)) {
            throw invalid("unsupported model format \"" + format + "\", expected " + KMeansModel.FORMAT);
        }
        ConnectionEncoding encoding = encoding(object(root, "encoding"));
        List<KMeansMember> members = members(root.path("members"), encoding.dimension());
        requireFiniteScores(encoding, members);
        JsonNode bands = object(root, "severityBands");
        SeverityBands severityBands;
        try {
            severityBands = new SeverityBands(number(bands, "severityBands.medium"), number(bands, "severityBands.high"),
                    number(bands, "severityBands.critical"));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        double threshold = number(root, "threshold");
        if (!(threshold > 0)) {
            throw invalid("threshold must be positive");
        }
        return new KMeansModel(format, root.path("kind").asText(KMeansModel.KIND),
                root.has("features") ? strings(root, "features") : ConnectionLayout.FEATURES,
                encoding, members, root.path("aggregation").asText(null), threshold, severityBands,
                optionalObject(root, "training"), optionalObject(root, "validation"));
    }

    private ConnectionEncoding encoding(JsonNode e) {
        int p = ConnectionLayout.NUMERIC_COUNT;
        JsonNode flags = field(e, "encoding.logScaled");
        if (!flags.isArray() || flags.size() != p) {
            throw invalid("encoding.logScaled must be an array of " + p + " booleans");
        }
        boolean[] logScaled = new boolean[p];
        for (int j = 0; j < p; j++) {
            if (!flags.get(j).isBoolean()) {
                throw invalid("encoding.logScaled[" + j + "] is not true or false");
            }
            logScaled[j] = flags.get(j).booleanValue();
        }
        double[] std = numbers(field(e, "encoding.std"), p, "encoding.std");
        for (double s : std) {
            if (!(s > 0)) {
                throw invalid("encoding.std must be positive everywhere");
            }
        }
        return new ConnectionEncoding(strings(e, "encoding.protocols"), strings(e, "encoding.services"),
                strings(e, "encoding.flags"), logScaled, numbers(field(e, "encoding.mean"), p, "encoding.mean"), std,
                number(e, "encoding.clip"), number(e, "encoding.categoricalWeight"));
    }

    private List<KMeansMember> members(JsonNode list, int dimension) {
        if (!list.isArray() || list.isEmpty()) {
            throw invalid("the model has no members");
        }
        List<KMeansMember> members = new ArrayList<>(list.size());
        for (int m = 0; m < list.size(); m++) {
            String at = "members[" + m + "]";
            JsonNode member = list.get(m);
            if (!member.isObject()) {
                throw invalid(at + " is not an object");
            }
            JsonNode rows = field(member, at + ".centroids");
            if (!rows.isArray() || rows.isEmpty()) {
                throw invalid(at + ".centroids must be a non-empty array of centroids");
            }
            double[][] centroids = new double[rows.size()][];
            for (int c = 0; c < centroids.length; c++) {
                centroids[c] = numbers(rows.get(c), dimension, at + ".centroids[" + c + "]");
            }
            double k = number(member, at + ".k");
            if (k != centroids.length) {
                throw invalid(at + ".k is " + member.path("k") + " but the member holds " + centroids.length + " centroids");
            }
            double scale = number(member, at + ".scale");
            if (!(scale > 0)) {
                throw invalid(at + ".scale must be positive");
            }
            members.add(new KMeansMember(centroids.length, member.path("seed").asLong(), centroids, scale));
        }
        return List.copyOf(members);
    }

    /**
     * Every record must get a finite score. Encoded numeric values lie within ±clip and one-hot
     * values are 0 or the categorical weight, so no squared distance to a centroid exceeds
     * {@code dimension * (clip + largest centroid coordinate + weight)^2}; that bound must fit
     * single precision (the first pass of the nearest-centroid search runs in float) and, divided
     * by each member's scale, stay finite.
     */
    private void requireFiniteScores(ConnectionEncoding encoding, List<KMeansMember> members) {
        double clip = encoding.clip();
        if (!(clip > 0)) {
            throw invalid("encoding.clip must be positive");
        }
        double largest = 0;
        for (KMeansMember m : members) {
            for (double[] c : m.centroids()) {
                for (double v : c) {
                    largest = Math.max(largest, Math.abs(v));
                }
            }
        }
        double reach = clip + largest + Math.abs(encoding.categoricalWeight());
        double squared = reach * reach * encoding.dimension();
        if (!(squared < Float.MAX_VALUE)) {
            throw invalid("encoding.clip " + clip + " with centroid coordinates up to " + largest
                    + " allows distances beyond the single-precision range the scoring uses");
        }
        for (int m = 0; m < members.size(); m++) {
            if (!Double.isFinite(Math.sqrt(squared) / members.get(m).scale())) {
                throw invalid("members[" + m + "].scale " + members.get(m).scale() + " is so small that scores could be infinite");
            }
        }
    }

    /** The node at the last part of a dotted {@code path} under {@code parent}, which must exist. */
    private JsonNode field(JsonNode parent, String path) {
        JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
        if (n == null || n.isNull()) {
            throw invalid("needs the field \"" + path + "\"");
        }
        return n;
    }

    private JsonNode object(JsonNode parent, String path) {
        JsonNode n = field(parent, path);
        if (!n.isObject()) {
            throw invalid("\"" + path + "\" must be an object");
        }
        return n;
    }

    private static ObjectNode optionalObject(JsonNode parent, String name) {
        return parent.get(name) instanceof ObjectNode o ? o : null;
    }

    private double number(JsonNode parent, String path) {
        JsonNode n = field(parent, path);
        if (!n.isNumber()) {
            throw invalid("\"" + path + "\" must be a number");
        }
        if (!Double.isFinite(n.doubleValue())) {
            throw invalid("\"" + path + "\" is " + n + ", beyond the range of a double");
        }
        return n.doubleValue();
    }

    private double[] numbers(JsonNode n, int size, String path) {
        if (!n.isArray() || n.size() != size) {
            throw invalid("\"" + path + "\" must be an array of " + size + " numbers");
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            JsonNode v = n.get(i);
            if (!v.isNumber()) {
                throw invalid(path + "[" + i + "] is not a number");
            }
            out[i] = v.doubleValue();
            if (!Double.isFinite(out[i])) {
                throw invalid(path + "[" + i + "] is " + v + ", beyond the range of a double");
            }
        }
        return out;
    }

    private List<String> strings(JsonNode parent, String path) {
        JsonNode n = field(parent, path);
        if (!n.isArray() || n.isEmpty()) {
            throw invalid("\"" + path + "\" must be a non-empty array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw invalid("\"" + path + "\" must hold only strings");
            }
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    private InvalidInputException invalid(String why) {
        return new InvalidInputException(source + ": " + why);
    }
}
