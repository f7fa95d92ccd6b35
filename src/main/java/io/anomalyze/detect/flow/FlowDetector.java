package io.anomalyze.detect.flow;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.capture.CaptureFormat;
import io.anomalyze.capture.CaptureOptions;
import io.anomalyze.capture.CaptureStats;
import io.anomalyze.capture.Captures;
import io.anomalyze.capture.flow.CaptureFlowReader;
import io.anomalyze.capture.flow.FlowSettings;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.OrderedBatchPipeline;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.ScanResult;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.detect.VerdictSink;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowLabels;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names the CICIDS2017 class of each flow with an ONNX classifier run by ONNX Runtime. One
 * session is created when the model loads and shared by every scan and thread (ONNX Runtime
 * sessions are safe for concurrent {@code run} calls); flows go through it in batches.
 *
 * <p>Per flow: the most probable class, every class probability, a severity from
 * {@link FlowSeverityMapping}, the score {@code 1 - P(BENIGN)} (so attack-versus-benign
 * ROC analysis works whatever class is named), the confidence (the top probability), and the
 * three features furthest from benign training traffic, measured in benign standard
 * deviations of the signed-log1p value.
 */
public final class FlowDetector implements Detector {

    static final int BATCH = 4096;
    private static final int TOP_FEATURES = 3;
    /**
     * Smallest spread used when measuring how unusual a value is: features that are constant in
     * benign traffic would otherwise make any difference infinitely unusual. In log space 0.1
     * is roughly a 10 % change.
     */
    private static final float MIN_PROFILE_STD = 0.1f;

    private final FlowModelSidecar sidecar;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    /** Graph input column to canonical feature index. */
    private final int[] featureIndex;
    private final int benignIndex;
    private final List<String> classes;
    /** Per class, its severity when the model is sure of it: looked up once, not per verdict. */
    private final Severity[] baseSeverity;
    private final ModelDomain domain;
    /**
     * Each batch runs on one thread, and the pipeline spreads batches over the cores with the
     * reading thread as one of them, rather than letting ONNX Runtime split each batch over
     * threads of its own: those threads and the pipeline's would compete for the same cores.
     */
    private final OrderedBatchPipeline<Work> pipeline = new OrderedBatchPipeline<>(
            Runtime.getRuntime().availableProcessors(), true, "flow-scoring", Work::new);

    /**
     * @param onnx    the serialised ONNX model
     * @param sidecar its description
     * @param model   the ONNX file's name and digest
     */
    public FlowDetector(byte[] onnx, FlowModelSidecar sidecar, ModelDomain.Source model) {
        String source = model.file();
        this.sidecar = sidecar;
        this.classes = sidecar.classes();
        this.featureIndex = new int[sidecar.features().size()];
        for (int j = 0; j < featureIndex.length; j++) {
            featureIndex[j] = FlowFeatures.indexOf(sidecar.features().get(j));
        }
        int benign = -1;
        for (int c = 0; c < classes.size(); c++) {
            if (FlowLabels.isBenign(classes.get(c))) {
                benign = c;
            }
        }
        if (benign < 0) {
            throw new InvalidInputException(source + ": the sidecar's classes must include BENIGN");
        }
        this.benignIndex = benign;
        this.baseSeverity = new Severity[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            baseSeverity[c] = sidecar.severity().baseOf(classes.get(c));
        }
        this.domain = new ModelDomain(FlowModelSidecar.KIND, sidecar.json().path(FlowModelSidecar.Keys.NAME).asText("flow classifier"),
                sidecar.features(), classes, classes.get(benign), true, model.file(), model.sha256());
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // One thread per run: scans run batches in parallel themselves (see the pipeline).
                options.setIntraOpNumThreads(1);
                this.session = env.createSession(onnx, options);
            }
            this.inputName = sidecar.inputName() != null ? sidecar.inputName() : session.getInputNames().iterator().next();
            this.outputName = sidecar.outputName() != null ? sidecar.outputName() : session.getOutputNames().iterator().next();
            checkShapes(source);
        } catch (OrtException e) {
            throw new InvalidInputException(source + ": ONNX Runtime cannot load the model (" + e.getMessage() + ")");
        }
    }

    private void checkShapes(String source) throws OrtException {
        NodeInfo in = session.getInputInfo().get(inputName);
        if (in == null) {
            throw new InvalidInputException(source + ": the graph has no input \"" + inputName + "\" (it has "
                    + session.getInputNames() + ")");
        }
        if (!session.getOutputNames().contains(outputName)) {
            throw new InvalidInputException(source + ": the graph has no output \"" + outputName + "\" (it has "
                    + session.getOutputNames() + ")");
        }
        if (in.getInfo() instanceof TensorInfo t) {
            long[] shape = t.getShape();
            if (shape.length != 2 || (shape[1] > 0 && shape[1] != featureIndex.length)) {
                throw new InvalidInputException(source + ": the graph input has shape " + java.util.Arrays.toString(shape)
                        + " but the sidecar names " + featureIndex.length + " features");
            }
        }
    }

    public FlowModelSidecar sidecar() {
        return sidecar;
    }

    @Override
    public ModelDomain domain() {
        return domain;
    }

    @Override
    public List<String> knownLimits() {
        List<String> limits = new ArrayList<>();
        sidecar.json().path(FlowModelSidecar.Keys.LIMITS).forEach(l -> limits.add(l.asText()));
        if (limits.isEmpty() && sidecar.json().path(FlowModelSidecar.Keys.TRAINING).path("files").toString().contains("CICIDS2017")) {
            limits.addAll(CICIDS2017_LIMITS);
        }
        return limits;
    }

    /** What is known of models trained on CICIDS2017 flows alone, as the bundled one is. */
    static final List<String> CICIDS2017_LIMITS = List.of(
            "Trained on the CICIDS2017 lab network (2017): on traffic of another network it does much worse. On a sample of CSE-CIC-IDS2018 flows its attack-vs-benign accuracy was 0.65 (DoS Hulk mostly called BENIGN, 18 % of benign flows called PortScan). Retrain it on labelled flows of your network with train mlp.",
            "Names only the 15 CICIDS2017 classes: an attack of another kind is called BENIGN or the nearest known class.",
            "Never saw single-packet flows (CICIDS2017's extractor dropped them), so its verdicts on them rest on little evidence.",
            "Heartbleed, Infiltration, Sql Injection and XSS had 4 to 15 test flows each: their figures carry little weight; in original-format flows XSS is mostly called Brute Force.");

    @Override
    public ObjectNode provenance() {
        ObjectNode d = Json.object();
        d.put("input", "flow records (CICFlowMeter, 78 CICIDS2017 features, any supported header dialect)"
                + " or packet captures (pcap, pcapng), turned into such flows");
        d.put("outputs", sidecar.logits() ? "logits" : "probabilities");
        d.set("severity", Json.MAPPER.valueToTree(sidecar.severity()));
        if (sidecar.json().has(FlowModelSidecar.Keys.ARCHITECTURE)) {
            d.set("architecture", sidecar.json().get(FlowModelSidecar.Keys.ARCHITECTURE));
        }
        d.set("training", sidecar.json().path(FlowModelSidecar.Keys.TRAINING));
        d.set("validation", sidecar.json().path(FlowModelSidecar.Keys.VALIDATION));
        return d;
    }

    /**
     * Class probabilities for raw flows.
     *
     * @param raw  {@code rows * 78} raw feature values in {@link FlowFeatures#NAMES} order
     * @param rows how many rows
     * @return {@code rows * classes} probabilities, row-major
     */
    public float[] probabilities(float[] raw, int rows) {
        return probabilities(raw, rows, new float[rows * featureIndex.length], null);
    }

    /**
     * {@link #probabilities(float[], int)} with the graph's input built in {@code x}, and, when
     * {@code logged} is not null, the signed log1p of each input value kept there: the top
     * features of a verdict are measured in that log space, which the graph's scaling usually
     * computes anyway.
     */
    private float[] probabilities(float[] raw, int rows, float[] x, float[] logged) {
        int m = featureIndex.length;
        FlowModelSidecar.Scaler scaler = sidecar.scaler();
        boolean scaledInLog = scaler != null && scaler.signedLog1p();
        for (int r = 0; r < rows; r++) {
            int src = r * FlowFeatures.COUNT;
            int dst = r * m;
            for (int j = 0; j < m; j++) {
                float v = raw[src + featureIndex[j]];
                float t = scaledInLog || logged != null ? FlowPreprocessing.signedLog1p(v) : v;
                if (logged != null) {
                    logged[dst + j] = t;
                }
                if (scaler != null) {
                    v = ((scaledInLog ? t : v) - scaler.mean()[j]) / scaler.std()[j];
                }
                x[dst + j] = v;
            }
        }
        int k = classes.size();
        float[] out = new float[rows * k];
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(x, 0, rows * m), new long[] {rows, m});
             OrtSession.Result result = session.run(Map.of(inputName, tensor), java.util.Set.of(outputName))) {
            OnnxTensor y = (OnnxTensor) result.get(0);
            long[] shape = y.getInfo().getShape();
            if (shape.length != 2 || shape[0] != rows || shape[1] != k) {
                throw new InvalidInputException("the model's output has shape " + java.util.Arrays.toString(shape)
                        + " but the sidecar names " + k + " classes");
            }
            y.getFloatBuffer().get(out);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
        if (sidecar.logits()) {
            MlpNetwork.softmax(out, rows, k);
        }
        return out;
    }

    /** A batch buffer: one per in-flight batch of the pipeline. */
    private static final class Work {
        final FlowBatch batch = new FlowBatch(BATCH);
        /** The graph's input, and the signed log1p of its values; sized on first use. */
        float[] input;
        float[] logged;
    }

    /**
     * Reads on the calling thread while other threads run inference and build verdicts for the
     * batches already read; verdicts reach the sink in file order.
     */
    @Override
    public ScanResult scan(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 1 << 16);
        buffered.mark(16);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        if (CaptureFormat.looksLikeCapture(head)) {
            return scanCapture(buffered, source, options, sink);
        }
        return scanFlowRecords(buffered, source, options, sink);
    }

    /**
     * Scores a packet capture: its packets become flows (with identity) in batches that go
     * straight to the model, never through CSV text. Flow settings and capture options come from
     * the environment ({@link FlowSettings#fromEnvironment()}, {@link CaptureOptions#fromEnvironment()}).
     */
    private ScanResult scanCapture(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException {
        FlowSettings settings;
        CaptureOptions captureOptions;
        try {
            settings = FlowSettings.fromEnvironment();
            captureOptions = CaptureOptions.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage() + " (ANOMALYZE_FLOW_TIMEOUT, ANOMALYZE_ACTIVITY_TIMEOUT, ANOMALYZE_MAX_OPEN_FLOWS,"
                    + " ANOMALYZE_REORDER_WINDOW, ANOMALYZE_MAX_PACKET_BYTES)");
        }
        AtomicLong unknownLabelCount = new AtomicLong();
        try (CaptureFlowReader reader = new CaptureFlowReader(
                Captures.open(in, source, options.limits(), captureOptions), settings)) {
            pipeline.run(work -> reader.read(work.batch), work -> score(work, source, options.keepFeatures(), options.explain(), unknownLabelCount), sink);
            List<String> notes = new ArrayList<>();
            CaptureStats stats = reader.stats();
            notes.add(String.format(java.util.Locale.ROOT, "%d packet records, %d IP packets, %d flows", stats.records(),
                    reader.packets(), reader.flows()));
            stats.skipped().forEach((reason, count) -> notes.add(count + " packet records skipped: " + reason));
            if (stats.truncatedAt() >= 0) {
                notes.add("the capture is cut off mid-record at byte " + stats.truncatedAt());
            }
            if (reader.evictedFlows() > 0) {
                notes.add(reader.evictedFlows() + " flows were ended early at the open-flow cap of " + settings.maxOpenFlows());
            }
            return new ScanResult(reader.flows(), 0, List.of(), false, notes);
        }
    }

    private ScanResult scanFlowRecords(InputStream in, String source, ScanOptions options, VerdictSink sink) throws IOException {
        AtomicLong unknownLabelCount = new AtomicLong();
        try (FlowRecordReader reader = new FlowRecordReader(in, source, options.limits())) {
            pipeline.run(work -> reader.read(work.batch),
                    work -> score(work, source, options.keepFeatures(), options.explain(), unknownLabelCount), sink);
            long unknownLabels = unknownLabelCount.get();
            List<String> notes = new ArrayList<>();
            if (reader.nonFiniteCells() > 0) {
                notes.add(reader.nonFiniteCells() + " cells held Infinity, NaN or nothing and were read as 0");
            }
            notes.addAll(reader.identityNotes());
            if (unknownLabels > 0) {
                notes.add(unknownLabels + " records carry a label outside the 15 CICIDS2017 classes");
            }
            return new ScanResult(reader.records(), reader.badRows().count(), reader.badRows().examples(), reader.labelled(), notes);
        }
    }

    private List<Verdict> score(Work work, String source, boolean keepFeatures, boolean explain, AtomicLong unknownLabels) {
        FlowBatch batch = work.batch;
        int rows = batch.size();
        if (work.input == null) {
            work.input = new float[BATCH * featureIndex.length];
            work.logged = new float[BATCH * featureIndex.length];
        }
        float[] logged = explain ? work.logged : null;
        float[] p = probabilities(batch.features, rows, work.input, logged);
        List<Verdict> verdicts = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            String label = batch.label[r];
            if (label != null && FlowLabels.canonical(label) == null) {
                unknownLabels.incrementAndGet();
            }
            verdicts.add(verdict(batch.features, r, p, logged, batch.line[r], source, label, keepFeatures ? batch.featureTexts(r) : null,
                    explain, identityOf(batch, r)));
        }
        return verdicts;
    }

    /**
     * Verdicts, with their top features, for a batch filled by the caller (for records that
     * arrive one by one rather than in a file), computed as a scan of the same rows would.
     */
    public List<Verdict> verdicts(FlowBatch batch) {
        int rows = batch.size();
        if (rows == 0) {
            return List.of();
        }
        float[] p = probabilities(batch.features, rows);
        List<Verdict> verdicts = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            verdicts.add(verdict(batch.features, r, p, null, batch.line[r], null, batch.label[r], null, true, identityOf(batch, r)));
        }
        return verdicts;
    }

    /**
     * Verdicts for rows of raw features given directly (e.g. by the JSON API), in
     * {@link FlowFeatures#NAMES} order. Infinity, NaN and missing values count as 0, as in files;
     * a value beyond the float range is refused, naming the row and feature, as in files.
     */
    @Override
    public List<Verdict> predict(double[][] rawRows) {
        int rows = rawRows.length;
        float[] raw = new float[rows * FlowFeatures.COUNT];
        for (int r = 0; r < rows; r++) {
            if (rawRows[r] == null || rawRows[r].length != FlowFeatures.COUNT) {
                throw new InvalidInputException("row " + (r + 1) + " has " + (rawRows[r] == null ? 0 : rawRows[r].length)
                        + " values, expected " + FlowFeatures.COUNT);
            }
            for (int j = 0; j < FlowFeatures.COUNT; j++) {
                double v = rawRows[r][j];
                String outOfRange = FlowFeatures.outOfRange(j, v);
                if (outOfRange != null) {
                    throw new InvalidInputException("record " + (r + 1) + ": " + outOfRange);
                }
                raw[r * FlowFeatures.COUNT + j] = Double.isFinite(v) ? (float) v : 0f;
            }
        }
        List<Verdict> out = new ArrayList<>(rows);
        for (int from = 0; from < rows; from += BATCH) {
            int n = Math.min(BATCH, rows - from);
            float[] chunk = java.util.Arrays.copyOfRange(raw, from * FlowFeatures.COUNT, (from + n) * FlowFeatures.COUNT);
            float[] p = probabilities(chunk, n);
            for (int r = 0; r < n; r++) {
                out.add(verdict(chunk, r, p, null, from + r + 1, null, null, null, true, FlowIdentity.EMPTY));
            }
        }
        return out;
    }

    /** The identity of row {@code r} of a batch, as its reader or flow builder filled it. */
    public static FlowIdentity identityOf(FlowBatch batch, int r) {
        return new FlowIdentity(batch.flowId(r), batch.srcAddress[r], batch.srcPort[r], batch.dstAddress[r], batch.dstPort[r],
                batch.protocol[r], batch.startMicros[r], batch.endMicros[r], null, null);
    }

    /**
     * @param line   the flow's line in {@code source}, or its record number when the source is null
     * @param source the file's name, or null for rows given directly
     * @throws InvalidInputException when the model gives this flow a probability that is not a
     *         finite number: a graph without its own scaling can overflow even on finite input,
     *         and such a flow has no verdict to give, least of all a benign one
     */
    private Verdict verdict(float[] raw, int r, float[] p, float[] logged, long line, String source, String label, String[] texts, boolean explain,
                            FlowIdentity identity) {
        int k = classes.size();
        int base = r * k;
        for (int c = 0; c < k; c++) {
            if (!Float.isFinite(p[base + c])) {
                throw new InvalidInputException((source == null ? "record " + line : source + ": line " + line) + ": the model gave this flow no finite probability for "
                        + classes.get(c) + " (a feature value is beyond what the model handles)");
            }
        }
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (p[base + c] > p[base + best]) {
                best = c;
            }
        }
        float[] probs = java.util.Arrays.copyOfRange(p, base, base + k);
        double top = probs[best];
        String predicted = classes.get(best);
        Severity severity = sidecar.severity().of(baseSeverity[best], top);
        double score = Math.max(0, 1.0 - probs[benignIndex]);
        return new Verdict(line, best != benignIndex, severity, score, top, predicted, label,
                explain ? topFeatures(raw, r, logged) : List.of(), texts, probs, identity);
    }

    /** @param logged the signed log1p of the graph's input values, or null to compute them here */
    private List<FeatureContribution> topFeatures(float[] raw, int r, float[] logged) {
        FlowModelSidecar.Profile profile = sidecar.benignProfile();
        if (profile == null) {
            return List.of();
        }
        int[] bestIdx = new int[TOP_FEATURES];
        float[] bestZ = new float[TOP_FEATURES];
        java.util.Arrays.fill(bestIdx, -1);
        int base = r * FlowFeatures.COUNT;
        for (int j = 0; j < featureIndex.length; j++) {
            float t = logged != null ? logged[r * featureIndex.length + j] : FlowPreprocessing.signedLog1p(raw[base + featureIndex[j]]);
            float z = Math.abs(t - profile.mean()[j]) / Math.max(MIN_PROFILE_STD, profile.std()[j]);
            for (int s = 0; s < TOP_FEATURES; s++) {
                if (bestIdx[s] < 0 || z > bestZ[s]) {
                    for (int m = TOP_FEATURES - 1; m > s; m--) {
                        bestIdx[m] = bestIdx[m - 1];
                        bestZ[m] = bestZ[m - 1];
                    }
                    bestIdx[s] = j;
                    bestZ[s] = z;
                    break;
                }
            }
        }
        List<FeatureContribution> top = new ArrayList<>(TOP_FEATURES);
        for (int s = 0; s < TOP_FEATURES && bestIdx[s] >= 0; s++) {
            int f = featureIndex[bestIdx[s]];
            top.add(new FeatureContribution(FlowFeatures.name(f), FlowBatch.format(raw[base + f]), Decimals.round(bestZ[s], 3)));
        }
        return top;
    }

    @Override
    public void close() {
        pipeline.close();
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing useful can be done about a failing native release at shutdown.
        }
    }
}
