package io.anomalyze.detect;

import java.util.List;

/**
 * What a model knows of its input and output, and which file it is: its feature domain (the
 * features it reads, in order), its output domain (the classes a verdict names, and which of
 * them is harmless traffic), and its provenance. An analysis keeps the domain of the model
 * that made it, so its verdicts read the same whatever model is loaded later.
 *
 * @param kind         detector family: {@code kmeans} or {@code mlp}
 * @param name         the model's display name
 * @param featureNames the features a record carries, in the model's order
 * @param classNames   the classes a verdict's class and probabilities are drawn from, in order
 * @param benignClass  the class that means harmless traffic
 * @param multiClass   whether verdicts name attack classes (true) or only normal/anomaly
 * @param modelFile    the model file's name
 * @param sha256       the model file's SHA-256, hex; empty when not known
 */
public record ModelDomain(String kind, String name, List<String> featureNames, List<String> classNames,
                          String benignClass, boolean multiClass, String modelFile, String sha256) {

    public ModelDomain {
        featureNames = List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
    }

    /** The file a model was read from: its name and the SHA-256 of its bytes. */
    public record Source(String file, String sha256) {

        /** A model built in memory, not read from a file. */
        public static Source inMemory(String name) {
            return new Source(name, "");
        }

        /** The source of a model read from {@code bytes}. */
        public static Source of(String file, byte[] bytes) {
            return new Source(file, io.anomalyze.read.FileDigest.sha256(bytes));
        }
    }
}
