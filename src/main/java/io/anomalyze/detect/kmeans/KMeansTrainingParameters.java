package io.anomalyze.detect.kmeans;

import java.util.List;

/**
 * Everything that shapes a trained ensemble. The candidate lists are searched on the
 * validation split; the rest is fixed.
 *
 * @param seed               seed for the split and every k-means++ start
 * @param clusterCounts      cluster count of each member of the final ensemble; the first
 *                           member's nearest centroid explains each verdict
 * @param searchClusterCounts cluster counts of the smaller ensemble that compares candidate
 *                           encodings (cheaper, and ranks them the same way)
 * @param maxIterations      Lloyd iterations per member at most
 * @param tolerance          convergence tolerance of each member
 * @param validationFraction share of the training file held out for model choice and threshold
 * @param stdFloors          candidate floors for standard deviations (near-constant features
 *                           would otherwise turn any deviation into an enormous distance)
 * @param clips              candidate bounds for standardised values
 * @param categoricalWeights candidate values of a set one-hot slot
 */
public record KMeansTrainingParameters(long seed, List<Integer> clusterCounts, List<Integer> searchClusterCounts, int maxIterations, double tolerance,
                                       double validationFraction, List<Double> stdFloors, List<Double> clips,
                                       List<Double> categoricalWeights) {

    public static KMeansTrainingParameters defaults(long seed) {
        return new KMeansTrainingParameters(seed, List.of(512, 256, 128), List.of(64, 32), 50, 1e-4, 0.2,
                List.of(0.01, 0.1), List.of(10.0), List.of(1.0, 3.0));
    }
}
