package io.anomalyze.detect;

/**
 * Why a record looks the way it does: one feature, the record's value for it, and its share
 * of the evidence (for K-means, its part of the squared distance to the nearest centroid;
 * for flows, how many benign standard deviations it lies from the benign mean).
 */
public record FeatureContribution(String feature, String value, double contribution) {
}
