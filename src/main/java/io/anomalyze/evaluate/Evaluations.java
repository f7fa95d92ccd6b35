package io.anomalyze.evaluate;

import io.anomalyze.detect.Detector;

/** Picks the evaluation that fits a detector's output. */
public final class Evaluations {

    private Evaluations() {
    }

    public static Evaluation forDetector(Detector detector) {
        return new BinaryEvaluation();
    }
}
