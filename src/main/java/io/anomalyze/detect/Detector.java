package io.anomalyze.detect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * A loaded model that scores whole traffic files: it reads the records of its own layout in
 * batches and hands the verdicts to a sink. Implementations are safe to share across threads.
 */
public interface Detector extends AutoCloseable {

    /** Short machine name of the detector family: {@code kmeans} or {@code mlp}. */
    String kind();

    /** The self-description of the loaded model (features, classes, provenance, validation metrics). */
    ObjectNode description();

    /** Whether the detector names attack classes (multi-class) or only says normal/anomaly. */
    boolean multiClass();

    /** The classes a verdict's {@code predictedClass} is drawn from, in probability order. */
    java.util.List<String> classNames();

    /** Streams {@code in}, scoring every valid record. */
    ScanResult scan(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException;

    @Override
    default void close() {
    }
}
