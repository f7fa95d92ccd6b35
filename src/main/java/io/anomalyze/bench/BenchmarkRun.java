package io.anomalyze.bench;

import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.flow.FlowDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One full benchmark: builds the inputs from the samples, loads the models bundled in the jar
 * and measures every stage.
 */
public final class BenchmarkRun {

    private static final String CONNECTION_SAMPLE = "KDDTest+.txt";
    private static final String FLOW_SAMPLE = "MachineLearningCVE-sample.csv";
    /**
     * The upload path (multipart, parsing, storage, sort orders) runs once per upload, not once
     * per batch, so the JIT needs several uploads before it is compiled: the goal is "once warm".
     */
    private static final int HTTP_WARMUPS = 10;

    private final Path samples;
    private final long records;
    private final int runs;
    private final Consumer<String> progress;

    public BenchmarkRun(Path samples, long records, int runs, Consumer<String> progress) {
        this.samples = samples;
        this.records = records;
        this.runs = runs;
        this.progress = progress;
    }

    /** The capture stages alone, over a capture file. */
    public List<StageResult> runCapture(Path capture) throws IOException {
        Benchmark bench = new Benchmark(1, runs, progress);
        try (DetectorRegistry bundled = DetectorRegistry.load(null)) {
            FlowDetector mlp = (FlowDetector) bundled.require("mlp", "the benchmark").detector();
            return bench.captureStages(capture, mlp);
        }
    }

    public List<StageResult> run() throws IOException {
        Benchmark bench = new Benchmark(1, runs, progress);
        List<StageResult> results = new ArrayList<>();
        Path connectionSample = samples.resolve(CONNECTION_SAMPLE);
        try (DetectorRegistry bundled = DetectorRegistry.load(null)) {
            Detector kmeans = bundled.require("kmeans", "the benchmark").detector();
            byte[] connections = SyntheticTraffic.cycle(connectionSample, 0, records);
            results.addAll(bench.connectionStages(connections, kmeans));
            Detector mlp = bundled.require("mlp", "the benchmark").detector();
            byte[] flows = SyntheticTraffic.cycle(samples.resolve(FLOW_SAMPLE), 1, records);
            byte[] flowsWithIdentity = SyntheticTraffic.cycleWithIdentity(samples.resolve(FLOW_SAMPLE), records);
            results.addAll(bench.flowStages(flows, flowsWithIdentity, (FlowDetector) mlp));
        }
        if (Files.isRegularFile(connectionSample)) {
            try (HttpUploadBench http = new HttpUploadBench()) {
                results.add(bench.measure("http upload " + CONNECTION_SAMPLE, HTTP_WARMUPS, () -> http.upload(connectionSample)));
            }
        }
        return results;
    }
}
