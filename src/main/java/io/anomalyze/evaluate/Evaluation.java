package io.anomalyze.evaluate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.detect.Verdict;

/** Metrics of a detector over labelled records, fed verdict by verdict. */
public interface Evaluation {

    /** Adds one verdict; verdicts without a label are ignored. */
    void add(Verdict verdict);

    /** Labelled records seen. */
    long total();

    /** The metrics as JSON, in the field names of {@code evaluate --json} and the API. */
    ObjectNode toJson();

    /** The metrics as a readable text table. */
    String toTable();
}
