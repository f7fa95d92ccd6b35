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

    /**
     * Points of the attack-versus-normal ROC curve of the score, at most about {@code points}
     * of them, as {@code {"fpr": [...], "tpr": [...]}}; null when the records hold one side only.
     */
    ObjectNode rocJson(int points);

    /** The metrics as a readable text table. */
    String toTable();
}
