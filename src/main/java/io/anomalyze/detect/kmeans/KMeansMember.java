package io.anomalyze.detect.kmeans;

/**
 * One K-means model of the ensemble.
 *
 * @param k             number of clusters
 * @param seed          seed its k-means++ start used
 * @param centroids     k centroids in encoded space
 * @param scale         typical distance of normal training records to their nearest centroid;
 *                      dividing by it puts every member on the same footing
 */
public record KMeansMember(int k, long seed, double[][] centroids, double scale) {
}
