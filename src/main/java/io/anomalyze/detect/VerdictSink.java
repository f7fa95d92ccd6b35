package io.anomalyze.detect;

import java.util.List;

/** Receives verdicts batch by batch while a file is scanned. */
@FunctionalInterface
public interface VerdictSink {
    void accept(List<Verdict> batch);
}
