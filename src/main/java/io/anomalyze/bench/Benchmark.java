package io.anomalyze.bench;

import io.anomalyze.capture.Captures;
import io.anomalyze.capture.Packet;
import io.anomalyze.capture.PacketSource;
import io.anomalyze.capture.flow.FlowBuilder;
import io.anomalyze.capture.flow.FlowSettings;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.Verdict;
import io.anomalyze.detect.flow.FlowDetector;
import io.anomalyze.detect.kmeans.ConnectionEncoding;
import io.anomalyze.detect.kmeans.EncodedRows;
import io.anomalyze.detect.kmeans.KMeansDetector;
import io.anomalyze.detect.kmeans.KMeansEnsemble;
import io.anomalyze.detect.kmeans.KMeansModel;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionRecordReader;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Measures each stage of the scoring path in process: reading records, K-means scoring and ONNX
 * inference alone, and the whole pipeline of each detector (read, encode, score). Each stage is warmed up, then
 * timed several times; results report the median and the spread.
 */
public final class Benchmark {

    /** Something to time; returns how many records it handled. */
    @FunctionalInterface
    interface Stage {
        long run() throws IOException;
    }

    private static final int SCORED_ROWS = 65_536;

    private final int warmups;
    private final int runs;
    private final Consumer<String> progress;

    public Benchmark(int warmups, int runs, Consumer<String> progress) {
        this.warmups = warmups;
        this.runs = runs;
        this.progress = progress;
    }

    StageResult measure(String name, Stage stage) throws IOException {
        return measure(name, warmups, stage);
    }

    /** Like {@link #measure(String, Stage)}, with its own number of warm-up runs. */
    StageResult measure(String name, int warmups, Stage stage) throws IOException {
        long records = 0;
        for (int i = 0; i < warmups; i++) {
            records = stage.run();
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            records = stage.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        StageResult result = new StageResult(name, records, seconds);
        progress.accept(String.format("%-32s %,12.0f records/s", name, result.medianRecordsPerSecond()));
        return result;
    }

    /** Connection-record stages over {@code data} (a connection-record file's bytes). */
    public List<StageResult> connectionStages(byte[] data, Detector kmeans) throws IOException {
        List<StageResult> results = new ArrayList<>();
        results.add(measure("connection parsing", () -> {
            try (ConnectionRecordReader reader = new ConnectionRecordReader(new ByteArrayInputStream(data), "bench", InputLimits.DEFAULTS)) {
                ConnectionBatch batch = new ConnectionBatch(4096);
                while (reader.read(batch)) {
                    // reading is the work
                }
                return reader.records();
            }
        }));
        if (kmeans instanceof KMeansDetector detector) {
            results.addAll(kmeansScoring(data, detector.model()));
        }
        results.add(measure("kmeans pipeline (parse+score)", () -> scan(kmeans, data)));
        return results;
    }

    /**
     * Ensemble scoring alone: the first {@value #SCORED_ROWS} records are read and encoded once,
     * then scored by one thread, and by one thread per core each taking an equal share.
     */
    private List<StageResult> kmeansScoring(byte[] data, KMeansModel model) throws IOException {
        ConnectionEncoding.Compiled encoding = model.encoding().compile();
        KMeansEnsemble ensemble = new KMeansEnsemble(model.members(), encoding.dimension(), encoding.hotValue(), encoding.encodedZeros());
        EncodedRows rows = new EncodedRows(SCORED_ROWS);
        int count = 0;
        try (ConnectionRecordReader reader = new ConnectionRecordReader(new ByteArrayInputStream(data), "bench", InputLimits.DEFAULTS)) {
            ConnectionBatch batch = new ConnectionBatch(4096);
            while (count < SCORED_ROWS && reader.read(batch)) {
                for (int r = 0; r < batch.size() && count < SCORED_ROWS; r++) {
                    encoding.encode(batch, r, rows, count++);
                }
            }
        }
        // Baselines from the first records, as a scan chooses them.
        KMeansEnsemble.Baselines baselines = ensemble.baselinesFrom(rows, count);
        int cores = Runtime.getRuntime().availableProcessors();
        return List.of(scoring("kmeans scoring (1 thread)", ensemble, baselines, rows, count, 1),
                scoring("kmeans scoring (all cores)", ensemble, baselines, rows, count, cores));
    }

    private StageResult scoring(String name, KMeansEnsemble ensemble, KMeansEnsemble.Baselines baselines, EncodedRows rows, int n,
                                int threads) throws IOException {
        double[] scores = new double[n];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<KMeansEnsemble.Scratch> scratch = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                scratch.add(ensemble.newScratch());
            }
            return measure(name, () -> {
                List<Future<?>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int from = (int) ((long) n * t / threads);
                    int to = (int) ((long) n * (t + 1) / threads);
                    KMeansEnsemble.Scratch own = scratch.get(t);
                    parts.add(pool.submit(() -> ensemble.score(rows, from, to, scores, null, own, baselines)));
                }
                for (Future<?> part : parts) {
                    try {
                        part.get();
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IOException("scoring failed", e);
                    }
                }
                return n;
            });
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Flow-record stages over {@code data} (a flow CSV's bytes, header first) and, for parsing,
     * over {@code withIdentity} (the same flows with Flow ID, addresses, ports, protocol and time).
     */
    public List<StageResult> flowStages(byte[] data, byte[] withIdentity, FlowDetector mlp) throws IOException {
        List<StageResult> results = new ArrayList<>();
        results.add(measure("flow parsing", () -> parse(data)));
        results.add(measure("flow parsing with identity", () -> parse(withIdentity)));
        double[][] rows = firstRows(data, 65_536);
        results.add(measure("onnx inference", () -> {
            List<Verdict> verdicts = mlp.predict(rows);
            return verdicts.size();
        }));
        results.add(measure("mlp pipeline (parse+infer)", () -> scan(mlp, data)));
        return results;
    }

    private static long parse(byte[] data) throws IOException {
        try (FlowRecordReader reader = new FlowRecordReader(new ByteArrayInputStream(data), "bench", InputLimits.DEFAULTS)) {
            FlowBatch batch = new FlowBatch(4096);
            while (reader.read(batch)) {
                // reading is the work
            }
            return reader.records();
        }
    }

    /**
     * Capture stages over a capture file, each in packets per second: reading and decoding
     * packets, building flows from them, and the whole capture-to-verdicts scan of the flow
     * detector.
     */
    public List<StageResult> captureStages(Path capture, FlowDetector mlp) throws IOException {
        List<StageResult> results = new ArrayList<>();
        results.add(measure("capture reading (packets)", () -> {
            Packet packet = new Packet();
            long n = 0;
            try (PacketSource source = Captures.open(capture, InputLimits.DEFAULTS)) {
                while (source.next(packet)) {
                    n++;
                }
            }
            return n;
        }));
        long[] flows = new long[1];
        results.add(measure("flow building (packets)", () -> {
            Packet packet = new Packet();
            FlowBuilder builder = new FlowBuilder(FlowSettings.DEFAULTS, flow -> { });
            try (PacketSource source = Captures.open(capture, InputLimits.DEFAULTS)) {
                while (source.next(packet)) {
                    builder.accept(packet);
                }
            }
            builder.finish();
            flows[0] = builder.flows();
            return builder.packets();
        }));
        long packets = results.get(0).records();
        progress.accept(String.format("(%,d packets make %,d flows)", packets, flows[0]));
        results.add(measure("capture -> verdicts (packets)", () -> {
            try (java.io.InputStream in = TrafficInput.open(capture, InputLimits.DEFAULTS)) {
                AtomicLong seen = new AtomicLong();
                mlp.scan(in, capture.getFileName().toString(), ScanOptions.unexplained(), batch -> seen.addAndGet(batch.size()));
                if (seen.get() != flows[0]) {
                    throw new IllegalStateException("scored " + seen.get() + " flows, built " + flows[0]);
                }
            }
            return packets;
        }));
        return results;
    }

    private static long scan(Detector detector, byte[] data) throws IOException {
        AtomicLong seen = new AtomicLong();
        detector.scan(new ByteArrayInputStream(data), "bench", ScanOptions.unexplained(), batch -> seen.addAndGet(batch.size()));
        return seen.get();
    }

    private static double[][] firstRows(byte[] data, int max) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (FlowRecordReader reader = new FlowRecordReader(new ByteArrayInputStream(data), "bench", InputLimits.DEFAULTS)) {
            FlowBatch batch = new FlowBatch(4096);
            int width = 78;
            while (rows.size() < max && reader.read(batch)) {
                for (int r = 0; r < batch.size() && rows.size() < max; r++) {
                    double[] row = new double[width];
                    for (int j = 0; j < width; j++) {
                        row[j] = batch.feature(r, j);
                    }
                    rows.add(row);
                }
            }
        }
        return rows.toArray(double[][]::new);
    }
}
