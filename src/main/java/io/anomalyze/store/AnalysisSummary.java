package io.anomalyze.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One analysis as stored: what was uploaded, which model judged it, how it ended and its
 * running totals.
 *
 * @param severityCounts records per {@link Severity}, indexed by ordinal
 * @param classCounts    records per predicted class, largest first
 * @param metrics        the evaluation (field names of {@code evaluate --json}) when labelled, else null
 * @param roc            ROC points {@code {"fpr": [...], "tpr": [...]}} when labelled, else null
 * @param notes          remarks about the input and the first skipped rows
 * @param domain         the domain of the model that made the analysis, as it was then
 */
public record AnalysisSummary(long id, String fileName, long sizeBytes, ModelDomain domain,
                              AnalysisStatus status, String error, Instant createdAt, Instant finishedAt,
                              long records, long skipped, long anomalies, boolean labelled,
                              long[] severityCounts, Map<String, Long> classCounts, ObjectNode metrics,
                              ObjectNode roc, List<String> notes) {

    /** The detector family that made the analysis: {@code kmeans} or {@code mlp}. */
    public String detector() {
        return domain.kind();
    }

    /** The model file that made the analysis. */
    public String model() {
        return domain.modelFile();
    }

    /** Names of the features each record carries, in order. */
    public List<String> featureNames() {
        return domain.featureNames();
    }

    public long count(Severity s) {
        return severityCounts[s.ordinal()];
    }

    /** Seconds from upload to the end, or null while running. */
    public Double seconds() {
        return finishedAt == null ? null : (finishedAt.toEpochMilli() - createdAt.toEpochMilli()) / 1000.0;
    }

    /** Share of records judged anomalous, in [0, 1]. */
    public double anomalyShare() {
        return records == 0 ? 0 : (double) anomalies / records;
    }
}
