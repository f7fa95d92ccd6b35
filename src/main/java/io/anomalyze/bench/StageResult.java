package io.anomalyze.bench;

import java.util.Arrays;

/**
 * Throughput of one benchmark stage over several timed runs.
 *
 * @param stage   what was measured
 * @param records records per run (for the HTTP stage: records of the uploaded file)
 * @param seconds wall-clock seconds of each timed run
 */
public record StageResult(String stage, long records, double[] seconds) {

    public double medianSeconds() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double medianRecordsPerSecond() {
        return records / medianSeconds();
    }

    /** Slowest and fastest run in records per second. */
    public double minRecordsPerSecond() {
        return records / Arrays.stream(seconds).max().orElse(Double.NaN);
    }

    public double maxRecordsPerSecond() {
        return records / Arrays.stream(seconds).min().orElse(Double.NaN);
    }
}
