package io.anomalyze.detect.kmeans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.JsonDocuments;
import io.anomalyze.detect.SeverityBands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The self-describing K-means ensemble as stored in {@code models/nsl-kdd-kmeans.json}: what it
 * expects (features and their encoding), what it holds (centroids, threshold, severity bands)
 * and how it was made (training file and checksum, parameters, seed, date, validation metrics).
 */
public record KMeansModel(String format, String kind, List<String> features, ConnectionEncoding encoding,
                          List<KMeansMember> members, String aggregation, double threshold,
                          SeverityBands severityBands, ObjectNode training, ObjectNode validation) {

    public static final String FORMAT = "anomalyze-kmeans-ensemble/1";
    public static final String KIND = "kmeans";

    public void write(OutputStream out) throws IOException {
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, this);
    }

    /** Reads a model file; every problem names {@code source} and, where it can, the field or line. */
    public static KMeansModel read(InputStream in, String source) throws IOException {
        JsonNode tree;
        try {
            tree = JsonDocuments.read(in.readAllBytes());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(source + ": not a K-means model file (" + JsonDocuments.describe(e) + ")");
        }
        return read(tree, source);
    }

    /** A model from its JSON already parsed to a tree. */
    public static KMeansModel read(JsonNode tree, String source) {
        return KMeansModelTree.read(tree, source);
    }
}
