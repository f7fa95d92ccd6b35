package io.anomalyze.detect.kmeans;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.detect.SeverityBands;
import io.anomalyze.read.InvalidInputException;
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

    /**
     * Numbers are read with Jackson's fast double parser, which rounds exactly as
     * {@link Double#parseDouble} does; a model of 896 centroids loads in a fraction of the time.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader READER = Json.MAPPER.readerFor(KMeansModel.class)
            .with(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER);

    public static KMeansModel read(InputStream in, String source) throws IOException {
        KMeansModel model;
        try {
            model = READER.readValue(in);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(source + ": not a K-means model file (" + e.getOriginalMessage() + ")");
        }
        return checked(model, source);
    }

    /** A model from its JSON already parsed to a tree. */
    public static KMeansModel read(com.fasterxml.jackson.databind.JsonNode tree, String source) throws IOException {
        KMeansModel model;
        try {
            model = READER.readValue(tree);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(source + ": not a K-means model file (" + e.getOriginalMessage() + ")");
        }
        return checked(model, source);
    }

    private static KMeansModel checked(KMeansModel model, String source) {
        if (!FORMAT.equals(model.format())) {
            throw new InvalidInputException(source + ": unsupported model format \"" + model.format() + "\", expected " + FORMAT);
        }
        if (model.members() == null || model.members().isEmpty() || model.encoding() == null) {
            throw new InvalidInputException(source + ": the model has no members or no encoding");
        }
        return model;
    }
}
