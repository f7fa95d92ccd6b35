package io.anomalyze.detect;

import io.anomalyze.read.BadRow;
import java.util.List;

/**
 * What a scan of one file read.
 *
 * @param records  valid records scored
 * @param skipped  bad rows skipped
 * @param badRows  the first bad rows, for the report
 * @param labelled true when the file carried labels
 * @param notes    remarks about the input worth showing (e.g. values unseen in training)
 */
public record ScanResult(long records, long skipped, List<BadRow> badRows, boolean labelled, List<String> notes) {
}
