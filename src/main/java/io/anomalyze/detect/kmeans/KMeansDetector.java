package io.anomalyze.detect.kmeans;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.OrderedBatchPipeline;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.ScanResult;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.detect.VerdictSink;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.connection.ConnectionRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scores connection records with the K-means ensemble: each record gets a score, a verdict
 * against the threshold, a severity from the bands, a confidence and, for anomalies, the three
 * features that add most to its distance from normal traffic.
 */
public final class KMeansDetector implements Detector {

    static final int BATCH = 4096;
    private static final int TOP_FEATURES = 3;

    private final KMeansModel model;
    private final ConnectionEncoding.Compiled encoding;
    private final KMeansEnsemble ensemble;
    private final OrderedBatchPipeline<Work> pipeline;

    /** The classes of a K-means verdict: the first is harmless traffic. */
    public static final List<String> CLASSES = List.of("normal", "anomaly");
    private static final String NAME = "NSL-KDD K-means ensemble";

    private final ModelDomain domain;

    public KMeansDetector(KMeansModel model, ModelDomain.Source source) {
        this(model, source, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads how many cores score batches in parallel */
    public KMeansDetector(KMeansModel model, ModelDomain.Source source, int threads) {
        this.model = model;
        this.domain = new ModelDomain(KMeansModel.KIND, NAME, model.features(), CLASSES, CLASSES.get(0), false,
                source.file(), source.sha256());
        this.encoding = model.encoding().compile();
        this.ensemble = new KMeansEnsemble(model.members(), encoding.dimension(), encoding.hotValue(), encoding.encodedZeros());
        this.pipeline = new OrderedBatchPipeline<>(threads, true, "kmeans-scoring", Work::new);
    }

    @Override
    public void close() {
        pipeline.close();
    }

    public KMeansModel model() {
        return model;
    }

    @Override
    public ModelDomain domain() {
        return domain;
    }

    @Override
    public List<String> knownLimits() {
        return List.of(
                "Learnt what normal means from NSL-KDD, records of a simulated 1998 US Air Force network: on another network, normal traffic that differs from it is flagged.",
                "Says \"unusual\", not which attack; harmless but unusual connections are flagged too (14 % of KDDTest+'s normal records).",
                "Misses attacks that look like ordinary traffic in the 41 features: snmpguess (4 % detected) and snmpgetattack (16 %) in KDDTest+.");
    }

    @Override
    public ObjectNode provenance() {
        ObjectNode d = Json.object();
        d.put("input", "connection records (NSL-KDD / KDD Cup 99 layout, 41 features)");
        ObjectNode members = d.putObject("ensemble");
        members.put("members", model.members().size());
        members.set("clusterCounts", Json.MAPPER.valueToTree(model.members().stream().map(KMeansMember::k).toList()));
        members.put("threshold", model.threshold());
        members.put("aggregation", model.aggregation());
        d.set("severityBands", Json.MAPPER.valueToTree(model.severityBands()));
        d.set("training", model.training());
        d.set("validation", model.validation());
        return d;
    }

    /** A batch with its scratch arrays: one per in-flight batch of the pipeline. */
    private final class Work {
        final ConnectionBatch batch = new ConnectionBatch(BATCH);
        final EncodedRows x = new EncodedRows(BATCH);
        final double[] scores = new double[BATCH];
        final KMeansEnsemble.Scratch scratch = ensemble.newScratch();
        final int[] nearest = new int[BATCH];
        final double[] contribution = new double[encoding.dimension()];
        final double[] perFeature = new double[ConnectionLayout.FEATURE_COUNT];
        /** The baselines of the scan this batch belongs to; set before the batch is scored. */
        KMeansEnsemble.Baselines baselines;
    }

    /** What the reading thread knows about the scan in progress. */
    private static final class ScanState {
        boolean sampled;
        KMeansEnsemble.Baselines baselines;
    }

    @Override
    public ScanResult scan(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException {
        AtomicLongArray unseen = new AtomicLongArray(3);
        try (ConnectionRecordReader reader = new ConnectionRecordReader(in, source, options.limits())) {
            ScanState state = new ScanState();
            pipeline.run(work -> fill(reader, work, state), work -> score(work, options.keepFeatures(), options.explain(), unseen), sink);
            return new ScanResult(reader.records(), reader.badRows().count(), reader.badRows().examples(),
                    reader.labelled(), unseenNotes(unseen));
        }
    }

    /** Reads the next batch; the first one also chooses the baselines of the whole scan. */
    private boolean fill(ConnectionRecordReader reader, Work work, ScanState state) throws IOException {
        if (!reader.read(work.batch)) {
            return false;
        }
        if (!state.sampled) {
            state.sampled = true;
            state.baselines = chooseBaselines(work.batch);
        }
        work.baselines = state.baselines;
        return true;
    }

    private KMeansEnsemble.Baselines chooseBaselines(ConnectionBatch batch) {
        int n = Math.min(batch.size(), KMeansEnsemble.BASELINE_SAMPLE);
        EncodedRows sample = new EncodedRows(n);
        for (int r = 0; r < n; r++) {
            encoding.encode(batch, r, sample, r);
        }
        return ensemble.baselinesFrom(sample, n);
    }

    private static List<String> unseenNotes(AtomicLongArray unseen) {
        List<String> notes = new ArrayList<>();
        String[] names = {"protocol", "service", "flag"};
        for (int b = 0; b < 3; b++) {
            long count = unseen.get(b);
            if (count > 0) {
                notes.add(count + " records have a " + names[b] + " never seen in training; it was encoded as \"other\"");
            }
        }
        return notes;
    }

    private List<Verdict> score(Work work, boolean keepFeatures, boolean explain, AtomicLongArray unseen) {
        return score(work.batch, work.x, work.scores, work.nearest, work.contribution, work.perFeature, work.scratch,
                work.baselines, keepFeatures, explain, unseen);
    }

    private List<Verdict> score(ConnectionBatch batch, EncodedRows x, double[] scores, int[] nearest, double[] contribution,
                                double[] perFeature, KMeansEnsemble.Scratch scratch, KMeansEnsemble.Baselines baselines,
                                boolean keepFeatures, boolean explain, AtomicLongArray unseen) {
        int rows = batch.size();
        for (int r = 0; r < rows; r++) {
            int mask = encoding.encode(batch, r, x, r);
            for (int b = 0; mask != 0 && b < 3; b++) {
                if ((mask & (1 << b)) != 0) {
                    unseen.incrementAndGet(b);
                }
            }
        }
        ensemble.score(x, 0, rows, scores, explain ? nearest : null, scratch, baselines);
        List<Verdict> verdicts = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            verdicts.add(verdict(batch, r, x, scores[r], nearest[r], contribution, perFeature, keepFeatures, explain));
        }
        return verdicts;
    }

    /** A scorer of batches filled by the caller; owns its working memory, so one per thread. */
    public BatchScorer newBatchScorer() {
        return new BatchScorer();
    }

    /**
     * Scores connection batches filled by the caller (records that arrive one by one rather than
     * in a file), with top features, exactly as a scan of the same rows would: a scan's
     * baselines change its speed, never its results.
     */
    public final class BatchScorer {
        private final EncodedRows x = new EncodedRows(BATCH);
        private final double[] scores = new double[BATCH];
        private final int[] nearest = new int[BATCH];
        private final double[] contribution = new double[encoding.dimension()];
        private final double[] perFeature = new double[ConnectionLayout.FEATURE_COUNT];
        private final KMeansEnsemble.Scratch scratch = ensemble.newScratch();
        private final AtomicLongArray unseen = new AtomicLongArray(3);

        private BatchScorer() {
        }

        /** Verdicts of every row of {@code batch}, whose capacity must not exceed {@link #capacity()}. */
        public List<Verdict> verdicts(ConnectionBatch batch) {
            if (batch.capacity > BATCH) {
                throw new IllegalArgumentException("batches of at most " + BATCH + " records");
            }
            return score(batch, x, scores, nearest, contribution, perFeature, scratch, null, false, true, unseen);
        }

        /** Largest batch capacity {@link #verdicts} takes. */
        public int capacity() {
            return BATCH;
        }
    }

    private Verdict verdict(ConnectionBatch batch, int r, EncodedRows x, double score, int nearest,
                            double[] contribution, double[] perFeature, boolean keepFeatures, boolean explain) {
        double threshold = model.threshold();
        boolean anomalous = score >= threshold;
        Severity severity = model.severityBands().of(score, threshold);
        double confidence = confidence(score, threshold);
        boolean explained = anomalous && explain;
        String[] texts = explained || keepFeatures ? batch.featureTexts(r) : null;
        List<FeatureContribution> top = explained ? topFeatures(texts, r, x, nearest, contribution, perFeature) : List.of();
        return new Verdict(batch.line[r], anomalous, severity, score, confidence,
                anomalous ? "anomaly" : "normal", batch.label[r], top, keepFeatures ? texts : null, null,
                FlowIdentity.connection(batch.protocol[r], batch.service[r], batch.flag[r]));
    }

    /**
     * How far the score sits from the threshold, relative to the larger of the two: 0 on the
     * threshold, approaching 1 far from it on either side.
     */
    static double confidence(double score, double threshold) {
        double larger = Math.max(score, threshold);
        return larger <= 0 ? 0 : Math.abs(score - threshold) / larger;
    }

    private List<FeatureContribution> topFeatures(String[] texts, int r, EncodedRows x, int nearest, double[] contribution,
                                                  double[] perFeature) {
        ensemble.contributions(x, r, nearest, contribution);
        // Fold one-hot slots back onto their column so "service" competes as one feature.
        Arrays.fill(perFeature, 0.0);
        double total = 0;
        for (int j = 0; j < contribution.length; j++) {
            perFeature[encoding.columnOf(j)] += contribution[j];
            total += contribution[j];
        }
        // The strongest few in the order a stable descending sort gives: larger contribution
        // first, lower column first among equals, so a later column must be strictly larger.
        int[] strongest = new int[TOP_FEATURES];
        int found = 0;
        for (int j = 0; j < perFeature.length; j++) {
            int s = found;
            while (s > 0 && Double.compare(perFeature[j], perFeature[strongest[s - 1]]) > 0) {
                s--;
            }
            if (s < TOP_FEATURES) {
                System.arraycopy(strongest, s, strongest, s + 1, Math.min(found, TOP_FEATURES - 1) - s);
                strongest[s] = j;
                found = Math.min(found + 1, TOP_FEATURES);
            }
        }
        List<FeatureContribution> top = new ArrayList<>(TOP_FEATURES);
        for (int i = 0; i < found && perFeature[strongest[i]] > 0; i++) {
            int f = strongest[i];
            top.add(new FeatureContribution(ConnectionLayout.FEATURES.get(f), texts[f],
                    Decimals.round(total == 0 ? 0 : perFeature[f] / total, 4)));
        }
        return top;
    }
}
