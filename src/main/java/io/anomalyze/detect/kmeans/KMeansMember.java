package io.anomalyze.detect.kmeans;

/**
 * One K-means model of the ensemble.
 *
 * @param k             number of clusters
 * @param seed          seed its k-means++ start used
 * @param centroids     k centroids in encoded space
 * @param scale         typical distance of normal training records to their nearest centroid;
 *                      dividing by it puts every member on the same footing
 * @param clusterScales when present, the typical distance within each cluster: distances are
 *                      then measured in units of the cluster's own spread, so a tight cluster
 *                      does not hide a record that a loose one would forgive (and vice versa)
 */
public record KMeansMember(int k, long seed, double[][] centroids, double scale, double[] clusterScales) {
}
