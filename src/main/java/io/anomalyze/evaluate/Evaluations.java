package io.anomalyze.evaluate;

import io.anomalyze.detect.Detector;

/** Picks the evaluation that fits a detector's output. */
public final class Evaluations {

    private Evaluations() {
    }

    /**
     * Multi-class metrics for detectors that name classes (their first benign-looking class,
     * {@code BENIGN}, is the negative side), attack-versus-normal metrics otherwise.
     */
    public static Evaluation forDetector(Detector detector) {
        if (detector.multiClass()) {
            String benign = detector.classNames().stream()
                    .filter(c -> c.equalsIgnoreCase("BENIGN")).findFirst()
                    .orElse(detector.classNames().get(0));
            return new MulticlassEvaluation(detector.classNames(), benign);
        }
        return new BinaryEvaluation();
    }
}
