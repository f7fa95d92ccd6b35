package io.anomalyze.detect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * A loaded model that scores whole traffic files: it reads the records of its own layout in
 * batches and hands the verdicts to a sink. Implementations are safe to share across threads.
 */
public interface Detector extends AutoCloseable {

    /** The model's features, classes, benign class and file: what an analysis keeps of it. */
    ModelDomain domain();

    /** Short machine name of the detector family: {@code kmeans} or {@code mlp}. */
    default String kind() {
        return domain().kind();
    }

    /** Whether the detector names attack classes (multi-class) or only says normal/anomaly. */
    default boolean multiClass() {
        return domain().multiClass();
    }

    /** The classes a verdict's {@code predictedClass} is drawn from, in probability order. */
    default java.util.List<String> classNames() {
        return domain().classNames();
    }

    /**
     * How the model was made and how well it did, as its file records it (architecture,
     * parameters, training files, validation metrics), for the model card.
     */
    ObjectNode provenance();

    /** What the model is known not to do well, for its model card. */
    java.util.List<String> knownLimits();

    /**
     * Verdicts for records given directly as rows of numbers (e.g. by the JSON API), in the
     * order of {@link ModelDomain#featureNames()}; each is scored exactly as the same row of a
     * file. Detectors whose records hold text (connection records name their protocol, service
     * and flag) take records only through {@link #scan}.
     *
     * @throws io.anomalyze.InvalidInputException when a row has the wrong width, or the
     *         detector's records are not all numbers
     */
    default java.util.List<Verdict> predict(double[][] rows) {
        throw new io.anomalyze.InvalidInputException("the " + kind() + " model reads records with text fields; send them as CSV text");
    }

    /** Streams {@code in}, scoring every valid record. */
    ScanResult scan(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException;

    @Override
    default void close() {
    }
}
