package io.anomalyze.cli;

import io.anomalyze.detect.Verdict;
import io.anomalyze.detect.VerdictSink;
import java.io.PrintStream;
import java.util.List;

/**
 * Passes verdicts on and, for files that take a while, prints how far the scan has got to
 * stderr about every two seconds, so a long run never looks hung.
 */
final class ProgressReport implements VerdictSink {

    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final VerdictSink next;
    private final PrintStream err;
    private final String source;
    private final long started = System.nanoTime();
    private long lastReport = started;
    private long records;

    ProgressReport(VerdictSink next, PrintStream err, String source) {
        this.next = next;
        this.err = err;
        this.source = source;
    }

    @Override
    public void accept(List<Verdict> batch) {
        next.accept(batch);
        records += batch.size();
        long now = System.nanoTime();
        if (now - lastReport >= INTERVAL_NANOS) {
            lastReport = now;
            double seconds = (now - started) / 1e9;
            err.printf("%s: %,d records scored in %.0f s (%,.0f records/s)%n", source, records, seconds, records / seconds);
        }
    }
}
