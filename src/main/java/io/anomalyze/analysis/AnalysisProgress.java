package io.anomalyze.analysis;

/**
 * How far a running analysis has got.
 *
 * @param records    records scored so far
 * @param bytesRead  bytes of the uploaded file read so far (compressed bytes for .gz)
 * @param bytesTotal size of the uploaded file
 */
public record AnalysisProgress(long records, long bytesRead, long bytesTotal) {

    /** Share of the file read, in [0, 1]. */
    public double fraction() {
        return bytesTotal <= 0 ? 0 : Math.min(1.0, (double) bytesRead / bytesTotal);
    }

    /** Share of the file read, in thousandths, for a progress element. */
    public long permille() {
        return Math.round(fraction() * 1000);
    }
}
