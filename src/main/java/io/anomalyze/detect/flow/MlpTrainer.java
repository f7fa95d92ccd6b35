package io.anomalyze.detect.flow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.evaluate.MulticlassEvaluation;
import io.anomalyze.read.FileDigest;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.InvalidInputException;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowLabels;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains the flow classifier: a ReLU MLP with a softmax output, fitted with Adam on weighted
 * cross-entropy, in plain Java over primitive float arrays.
 *
 * <p>All training files are read into memory (they are small: tens of thousands of flows).
 * A stratified validation part is held out of every class of every training file by a seeded
 * shuffle; the preprocessing, the benign profile and the weights are fitted on the rest only.
 * Several members (initial weights and batch order from their own seeds) train side by side;
 * after each epoch a member's validation macro-F1 decides whether this is its best epoch so
 * far, the learning rate halves after a few epochs without progress and the member stops
 * after {@code patience} of them, keeping its best epoch's weights. The model averages the
 * members' probabilities. The same seed gives the same model, bit for bit.
 */
public final class MlpTrainer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final MlpTrainingParameters parameters;
    private final Consumer<String> progress;

    public MlpTrainer(MlpTrainingParameters parameters, Consumer<String> progress) {
        this.parameters = parameters;
        this.progress = progress;
    }

    /** Everything a training run produced. */
    public record Result(FlowPreprocessing preprocessing, List<MlpNetwork> networks, ObjectNode sidecar,
                         float[] validationRaw, int validationRows) {

        /** The ONNX graph of this model, preprocessing inside. */
        public byte[] onnx() {
            return FlowOnnxExport.export(preprocessing, networks,
                    "CICIDS2017 flow classifier; see the JSON sidecar for features, classes and provenance");
        }

        /** The trainer's own probabilities for raw rows: the reference for ONNX parity. */
        public float[] probabilities(float[] raw, int rows) {
            float[] x = new float[rows * FlowFeatures.COUNT];
            preprocessing.apply(raw, rows, x);
            return average(networks, x, rows);
        }
    }

    /**
     * The mean of the members' probabilities, summed in member order and scaled by
     * {@code 1 / members} in float, as the ONNX graph computes it.
     */
    static float[] average(List<MlpNetwork> networks, float[] x, int rows) {
        if (networks.size() == 1) {
            return networks.get(0).probabilities(x, rows);
        }
        float[] sum = networks.get(0).probabilities(x, rows);
        for (int m = 1; m < networks.size(); m++) {
            float[] p = networks.get(m).probabilities(x, rows);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += p[i];
            }
        }
        float scale = 1f / networks.size();
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= scale;
        }
        return sum;
    }

    private record Data(float[] raw, int[] y, int[] fileOf, List<String> fileNames, int n, ObjectNode files) {
    }

    /** One trained member: the network of its chosen epoch. */
    private record Member(MlpNetwork network, int bestEpoch, int epochs, double macroF1, double loss) {
    }

    public Result train(List<Path> files, String onnxFileName) throws IOException {
        long started = System.nanoTime();
        Data data = load(files);
        int n = data.n();
        int k = FlowLabels.COUNT;
        int d = FlowFeatures.COUNT;
        Random random = new Random(parameters.seed());

        int[][] split = stratifiedSplit(data.y(), data.fileOf(), n, k, random);
        int[] fit = split[0];
        int[] validation = split[1];
        progress.accept(String.format("%d flows: %d to fit, %d for validation", n, fit.length, validation.length));

        FlowPreprocessing pre = FlowPreprocessing.fit(data.raw(), fit, d);
        float[] x = new float[n * d];
        pre.apply(data.raw(), n, x);
        FlowModelSidecar.Profile benign = benignProfile(data, fit);

        long[] fitCounts = new long[k];
        for (int i : fit) {
            fitCounts[data.y()[i]]++;
        }
        float[] classWeight = classWeights(fitCounts, fit.length);
        float[] xv = gather(x, validation, d);

        int count = parameters.members();
        long[] memberSeeds = new long[count];
        for (int m = 0; m < count; m++) {
            memberSeeds[m] = random.nextLong();
        }
        List<Member> members = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, THREADS), r -> {
            Thread t = new Thread(r, "mlp-member");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Member>> futures = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                int member = m;
                futures.add(pool.submit(() -> trainMember(member, memberSeeds[member], x, data.y(), fit, xv, validation, classWeight)));
            }
            for (Future<Member> f : futures) {
                members.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("training interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<MlpNetwork> networks = members.stream().map(Member::network).toList();
        float[] pv = average(networks, xv, validation.length);
        MulticlassEvaluation ev = evaluate(pv, data.y(), validation);
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.accept(String.format("%s: validation accuracy %.4f, macro-F1 %.4f, attack-vs-benign accuracy %.4f; %.1f s",
                count == 1 ? "model" : "average of " + count + " members", ev.accuracy(), ev.macroF1(), ev.attackDetectionAccuracy(), seconds));

        ObjectNode byFile = Json.object();
        for (int f = 0; f < data.fileNames().size(); f++) {
            int file = f;
            int[] at = java.util.stream.IntStream.range(0, validation.length).filter(i -> data.fileOf()[validation[i]] == file).toArray();
            float[] pf = new float[at.length * k];
            int[] rows = new int[at.length];
            for (int i = 0; i < at.length; i++) {
                System.arraycopy(pv, at[i] * k, pf, i * k, k);
                rows[i] = validation[at[i]];
            }
            MulticlassEvaluation fe = evaluate(pf, data.y(), rows);
            ObjectNode o = byFile.putObject(data.fileNames().get(f));
            o.put("records", rows.length);
            o.put("accuracy", Json.round(fe.accuracy(), 6));
            o.put("macroF1", Json.round(fe.macroF1(), 6));
            o.put("attackDetectionAccuracy", Json.round(fe.attackDetectionAccuracy(), 6));
            progress.accept(String.format("  validation rows from %s: accuracy %.4f, macro-F1 %.4f, attack-vs-benign accuracy %.4f",
                    data.fileNames().get(f), fe.accuracy(), fe.macroF1(), fe.attackDetectionAccuracy()));
        }
        ObjectNode sidecar = sidecar(pre, networks, members, benign, data, fit, validation, fitCounts, classWeight, ev,
                seconds, files, onnxFileName, byFile);
        return new Result(pre, networks, sidecar, gather(data.raw(), validation, d), validation.length);
    }

    /** Members train side by side on at most this many threads. */
    private static final int THREADS = 2;

    /**
     * Trains one network from its own seed. After each epoch the validation macro-F1 decides
     * whether this is the best epoch so far (a tie goes to the lower class-weighted validation
     * cross-entropy); the learning rate halves after a few epochs without progress and training
     * stops after {@code patience} of them.
     */
    private Member trainMember(int member, long seed, float[] x, int[] y, int[] fitRows, float[] xv, int[] validation,
                               float[] classWeight) {
        Random random = new Random(seed);
        int[] fit = fitRows.clone();
        int[] sizes = new int[parameters.hidden().length + 2];
        sizes[0] = FlowFeatures.COUNT;
        System.arraycopy(parameters.hidden(), 0, sizes, 1, parameters.hidden().length);
        sizes[sizes.length - 1] = FlowLabels.COUNT;
        MlpNetwork net = MlpNetwork.initialise(sizes, random);
        Adam adam = new Adam(net);
        MlpNetwork best = net.copy();
        double bestF1 = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int stale = 0;
        double lr = parameters.learningRate();
        String prefix = parameters.members() == 1 ? "" : "member " + (member + 1) + ", ";
        int epoch;
        Backprop bp = new Backprop(sizes, parameters.batchSize());
        for (epoch = 1; epoch <= parameters.maxEpochs(); epoch++) {
            shuffle(fit, random);
            double trainLoss = 0;
            for (int from = 0; from < fit.length; from += parameters.batchSize()) {
                int rows = Math.min(parameters.batchSize(), fit.length - from);
                trainLoss += bp.step(net, x, y, fit, from, rows, classWeight, adam, lr);
            }
            float[] pv = net.probabilities(xv, validation.length);
            MulticlassEvaluation ev = evaluate(pv, y, validation);
            double vLoss = crossEntropy(pv, y, validation, classWeight);
            double f1 = ev.macroF1();
            boolean better = f1 > bestF1 || (f1 == bestF1 && vLoss < bestLoss);
            progress.accept(String.format("%sepoch %d: train loss %.4f, validation loss %.4f, accuracy %.4f, macro-F1 %.4f%s",
                    prefix, epoch, trainLoss / fit.length, vLoss, ev.accuracy(), f1, better ? " (best)" : ""));
            if (better) {
                best = net.copy();
                bestF1 = f1;
                bestLoss = vLoss;
                bestEpoch = epoch;
                stale = 0;
            } else {
                stale++;
                if (stale >= parameters.patience()) {
                    break;
                }
                if (stale % Math.max(1, parameters.patience() / 3) == 0) {
                    lr /= 2;
                }
            }
        }
        progress.accept(String.format("%sbest epoch %d: validation macro-F1 %.4f", prefix, bestEpoch, bestF1));
        return new Member(best, bestEpoch, Math.min(epoch, parameters.maxEpochs()), bestF1, bestLoss);
    }

    /** Weighted cross-entropy gradients of one mini-batch and the Adam step, reusing its buffers. */
    private static final class Backprop {
        private final int[] sizes;
        private final float[][] act;
        private final float[][] delta;

        Backprop(int[] sizes, int batch) {
            this.sizes = sizes;
            act = new float[sizes.length][];
            delta = new float[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                act[l] = new float[batch * sizes[l]];
                delta[l] = new float[batch * sizes[l]];
            }
        }

        double step(MlpNetwork net, float[] x, int[] y, int[] order, int from, int rows, float[] classWeight, Adam adam, double lr) {
            int d = sizes[0];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, order[from + r] * d, act[0], r * d, d);
            }
            int layers = net.layers();
            for (int l = 0; l < layers; l++) {
                net.layer(l, act[l], rows, act[l + 1], l < layers - 1);
            }
            int k = sizes[layers];
            float[] p = act[layers];
            MlpNetwork.softmax(p, rows, k);
            float[] dz = delta[layers];
            double loss = 0;
            for (int r = 0; r < rows; r++) {
                int t = y[order[from + r]];
                float w = classWeight[t];
                loss += -w * Math.log(Math.max(p[r * k + t], 1e-12f));
                for (int c = 0; c < k; c++) {
                    float target = c == t ? 1f : 0f;
                    dz[r * k + c] = w * (p[r * k + c] - target) / rows;
                }
            }
            for (int l = layers - 1; l >= 0; l--) {
                int nIn = sizes[l];
                int nOut = sizes[l + 1];
                float[] gw = adam.gradW[l];
                float[] gb = adam.gradB[l];
                Arrays.fill(gw, 0f);
                Arrays.fill(gb, 0f);
                float[] dl = delta[l + 1];
                float[] a = act[l];
                for (int r = 0; r < rows; r++) {
                    int aBase = r * nIn;
                    int dBase = r * nOut;
                    for (int o = 0; o < nOut; o++) {
                        float g = dl[dBase + o];
                        if (g == 0f) {
                            continue;
                        }
                        gb[o] += g;
                        int wBase = o * nIn;
                        for (int i = 0; i < nIn; i++) {
                            gw[wBase + i] += g * a[aBase + i];
                        }
                    }
                }
                if (l > 0) {
                    float[] w = net.weights[l];
                    float[] prev = delta[l];
                    Arrays.fill(prev, 0, rows * nIn, 0f);
                    for (int r = 0; r < rows; r++) {
                        int aBase = r * nIn;
                        int dBase = r * nOut;
                        for (int o = 0; o < nOut; o++) {
                            float g = dl[dBase + o];
                            if (g == 0f) {
                                continue;
                            }
                            int wBase = o * nIn;
                            for (int i = 0; i < nIn; i++) {
                                prev[aBase + i] += g * w[wBase + i];
                            }
                        }
                        for (int i = 0; i < nIn; i++) {
                            if (a[aBase + i] <= 0f) {
                                prev[aBase + i] = 0f;
                            }
                        }
                    }
                }
            }
            adam.update(net, lr);
            return loss;
        }
    }

    /** Adam's moment estimates and the gradient buffers, per layer. */
    private static final class Adam {
        final float[][] gradW;
        final float[][] gradB;
        private final float[][] mW;
        private final float[][] vW;
        private final float[][] mB;
        private final float[][] vB;
        private int t;

        Adam(MlpNetwork net) {
            int layers = net.layers();
            gradW = new float[layers][];
            gradB = new float[layers][];
            mW = new float[layers][];
            vW = new float[layers][];
            mB = new float[layers][];
            vB = new float[layers][];
            for (int l = 0; l < layers; l++) {
                gradW[l] = new float[net.weights[l].length];
                mW[l] = new float[net.weights[l].length];
                vW[l] = new float[net.weights[l].length];
                gradB[l] = new float[net.biases[l].length];
                mB[l] = new float[net.biases[l].length];
                vB[l] = new float[net.biases[l].length];
            }
        }

        void update(MlpNetwork net, double lr) {
            t++;
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            float stepSize = (float) (lr * Math.sqrt(c2) / c1);
            for (int l = 0; l < gradW.length; l++) {
                apply(net.weights[l], gradW[l], mW[l], vW[l], stepSize);
                apply(net.biases[l], gradB[l], mB[l], vB[l], stepSize);
            }
        }

        private static void apply(float[] p, float[] g, float[] m, float[] v, float stepSize) {
            float b1 = (float) BETA1;
            float b2 = (float) BETA2;
            float eps = (float) EPSILON;
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + eps);
            }
        }
    }

    private Data load(List<Path> files) throws IOException {
        List<FlowBatch> batches = new ArrayList<>();
        List<Integer> batchFile = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ObjectNode info = Json.object();
        ArrayNode list = info.putArray("files");
        int total = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            names.add(name);
            TreeMap<String, Integer> counts = new TreeMap<>();
            try (InputStream in = TrafficInput.open(file, InputLimits.DEFAULTS);
                 FlowRecordReader reader = new FlowRecordReader(in, name, InputLimits.DEFAULTS)) {
                while (true) {
                    FlowBatch b = new FlowBatch(8192);
                    if (!reader.read(b)) {
                        break;
                    }
                    for (int r = 0; r < b.size(); r++) {
                        String label = b.label[r];
                        if (label == null || FlowLabels.canonical(label) == null) {
                            throw new InvalidInputException(name + ": line " + b.line[r] + ": training needs one of the 15 CICIDS2017 labels, found "
                                    + (label == null ? "none" : "\"" + label + "\""));
                        }
                        counts.merge(label, 1, Integer::sum);
                    }
                    batches.add(b);
                    batchFile.add(names.size() - 1);
                    total += b.size();
                }
                ObjectNode f = list.addObject();
                f.put("file", name);
                f.put("sha256", FileDigest.sha256(file));
                f.put("records", reader.records());
                f.put("skipped", reader.badRows().count());
                f.put("nonFiniteCells", reader.nonFiniteCells());
                f.set("classes", Json.MAPPER.valueToTree(counts));
                progress.accept("read " + reader.records() + " flows (" + reader.badRows().count() + " skipped) from " + name);
            }
        }
        float[] raw = new float[total * FlowFeatures.COUNT];
        int[] y = new int[total];
        int[] fileOf = new int[total];
        int at = 0;
        for (int bi = 0; bi < batches.size(); bi++) {
            FlowBatch b = batches.get(bi);
            Arrays.fill(fileOf, at, at + b.size(), batchFile.get(bi));
            System.arraycopy(b.features, 0, raw, at * FlowFeatures.COUNT, b.size() * FlowFeatures.COUNT);
            for (int r = 0; r < b.size(); r++) {
                y[at + r] = FlowLabels.indexOf(b.label[r]);
            }
            at += b.size();
        }
        return new Data(raw, y, fileOf, List.copyOf(names), total, info);
    }

    /**
     * Per class of each training file, a seeded shuffle puts {@code validationFraction} of its
     * rows (at least one, if it has two) aside, so both dialects' rare classes are validated.
     */
    private int[][] stratifiedSplit(int[] y, int[] fileOf, int n, int k, Random random) {
        int files = Arrays.stream(fileOf).max().orElse(0) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k * files; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byClass.get(fileOf[i] * k + y[i]).add(i);
        }
        int[] fit = new int[n];
        int[] val = new int[n];
        int nf = 0;
        int nv = 0;
        for (List<Integer> rows : byClass) {
            int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, random);
            int v = (int) Math.round(idx.length * parameters.validationFraction());
            if (v == 0 && idx.length >= 2) {
                v = 1;
            }
            for (int i = 0; i < idx.length; i++) {
                if (i < v) {
                    val[nv++] = idx[i];
                } else {
                    fit[nf++] = idx[i];
                }
            }
        }
        int[] f = Arrays.copyOf(fit, nf);
        int[] v = Arrays.copyOf(val, nv);
        Arrays.sort(f);
        Arrays.sort(v);
        return new int[][] {f, v};
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** (rows / (present classes * class rows))^power, rescaled so the mean weight per row is 1. */
    private float[] classWeights(long[] counts, int rows) {
        int present = 0;
        for (long c : counts) {
            if (c > 0) {
                present++;
            }
        }
        double[] w = new double[counts.length];
        double mean = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                w[c] = Math.pow((double) rows / (present * counts[c]), parameters.classWeightPower());
                mean += w[c] * counts[c];
            }
        }
        mean /= rows;
        float[] out = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            out[c] = (float) (w[c] / mean);
        }
        return out;
    }

    private static FlowModelSidecar.Profile benignProfile(Data data, int[] fit) {
        int benign = FlowLabels.CLASSES.indexOf(FlowLabels.BENIGN);
        int[] rows = Arrays.stream(fit).filter(i -> data.y()[i] == benign).toArray();
        FlowPreprocessing p = FlowPreprocessing.fit(data.raw(), rows, FlowFeatures.COUNT);
        float[] std = p.std().clone();
        return new FlowModelSidecar.Profile(p.mean(), std);
    }

    private static float[] gather(float[] x, int[] rows, int d) {
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * d, out, i * d, d);
        }
        return out;
    }

    private static MulticlassEvaluation evaluate(float[] p, int[] y, int[] rows) {
        int k = FlowLabels.COUNT;
        int benign = FlowLabels.CLASSES.indexOf(FlowLabels.BENIGN);
        MulticlassEvaluation ev = new MulticlassEvaluation(FlowLabels.CLASSES, FlowLabels.BENIGN);
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i * k + c] > p[i * k + best]) {
                    best = c;
                }
            }
            ev.add(FlowLabels.CLASSES.get(y[rows[i]]), FlowLabels.CLASSES.get(best), 1.0 - p[i * k + benign]);
        }
        return ev;
    }

    /** The training objective on held-out rows: class-weighted mean cross-entropy. */
    private static double crossEntropy(float[] p, int[] y, int[] rows, float[] classWeight) {
        int k = FlowLabels.COUNT;
        double loss = 0;
        double weight = 0;
        for (int i = 0; i < rows.length; i++) {
            float w = classWeight[y[rows[i]]];
            loss -= w * Math.log(Math.max(p[i * k + y[rows[i]]], 1e-12f));
            weight += w;
        }
        return loss / weight;
    }

    private ObjectNode sidecar(FlowPreprocessing pre, List<MlpNetwork> networks, List<Member> members,
                               FlowModelSidecar.Profile benign, Data data,
                               int[] fit, int[] validation, long[] fitCounts, float[] classWeight,
                               MulticlassEvaluation ev, double seconds, List<Path> files,
                               String onnxFileName, ObjectNode validationByFile) {
        ObjectNode s = Json.object();
        s.put("format", FlowModelSidecar.FORMAT);
        s.put("kind", FlowModelSidecar.KIND);
        s.put("name", "CICIDS2017 flow MLP");
        s.put("model", onnxFileName);
        ObjectNode input = s.putObject("input");
        input.put("name", FlowOnnxExport.INPUT);
        input.put("type", "float[batch, 78], raw feature values");
        input.set("features", Json.MAPPER.valueToTree(FlowFeatures.NAMES));
        ObjectNode output = s.putObject("output");
        output.put("name", FlowOnnxExport.OUTPUT);
        output.put("type", "float[batch, 15]");
        output.put("kind", "probabilities");
        s.set("classes", Json.MAPPER.valueToTree(FlowLabels.CLASSES));
        ObjectNode p = s.putObject("preprocessing");
        p.put("inGraph", true);
        p.put("steps", "t = sign(x) * ln(1 + |x|); z = (t - mean) / std; mean and std fitted on the training part");
        p.put("nonFinite", "Infinity, -Infinity, NaN and empty cells are read as 0 before the graph");
        p.set("mean", FlowModelSidecar.array(pre.mean()));
        p.set("std", FlowModelSidecar.array(pre.std()));
        ObjectNode b = s.putObject("benignProfile");
        b.put("space", "signed log1p of the raw value, over the benign flows of the training part");
        b.set("mean", FlowModelSidecar.array(benign.mean()));
        b.set("std", FlowModelSidecar.array(benign.std()));
        FlowSeverityMapping severity = FlowSeverityMapping.defaults();
        ObjectNode sev = s.putObject("severity");
        sev.put("rule", "BENIGN is Normal; an attack class gets its base severity when its probability is at least 'sure', "
                + "one level less from 'unsure' up to 'sure', two levels less below 'unsure', never below Low");
        ObjectNode base = sev.putObject("base");
        for (String c : FlowLabels.CLASSES) {
            base.put(c, severity.base().get(c).label());
        }
        sev.put("sure", severity.sure());
        sev.put("unsure", severity.unsure());
        ObjectNode arch = s.putObject("architecture");
        arch.set("layers", Json.MAPPER.valueToTree(networks.get(0).sizes()));
        arch.put("activation", "ReLU between layers, softmax at the output");
        arch.put("members", networks.size());
        arch.put("combination", networks.size() == 1 ? "single network"
                : "mean of the members' softmax probabilities, inside the graph");
        ObjectNode t = s.putObject("training");
        t.setAll(data.files());
        t.put("records", data.n());
        t.put("fitRecords", fit.length);
        t.put("validationRecords", validation.length);
        t.put("validationSplit", "stratified per training file and class, seeded shuffle, "
                + parameters.validationFraction() + " of each");
        t.put("seed", parameters.seed());
        t.put("date", Instant.now().toString());
        t.put("seconds", Json.round(seconds, 1));
        ArrayNode ms = t.putArray("members");
        for (Member m : members) {
            ObjectNode o = ms.addObject();
            o.put("epochs", m.epochs());
            o.put("bestEpoch", m.bestEpoch());
            o.put("validationMacroF1", Json.round(m.macroF1(), 6));
            o.put("validationLoss", Json.round(m.loss(), 6));
        }
        ObjectNode params = t.putObject("parameters");
        params.set("hidden", Json.MAPPER.valueToTree(parameters.hidden()));
        params.put("maxEpochs", parameters.maxEpochs());
        params.put("batchSize", parameters.batchSize());
        params.put("optimizer", "Adam(beta1=0.9, beta2=0.999, eps=1e-8)");
        params.put("learningRate", parameters.learningRate());
        params.put("learningRateSchedule", "halves after every " + Math.max(1, parameters.patience() / 3)
                + " epochs without a higher validation macro-F1");
        params.put("patience", parameters.patience());
        params.put("loss", "class-weighted cross-entropy");
        params.put("classWeightPower", parameters.classWeightPower());
        params.put("members", parameters.members());
        params.put("modelChoice", "per member, the epoch with the highest validation macro-F1 "
                + "(ties: the lower class-weighted validation cross-entropy)");
        ObjectNode weights = t.putObject("classWeights");
        for (int c = 0; c < classWeight.length; c++) {
            if (fitCounts[c] > 0) {
                weights.put(FlowLabels.CLASSES.get(c), Json.round(classWeight[c], 4));
            }
        }
        StringBuilder cmd = new StringBuilder("java -jar target/anomalyze.jar train mlp");
        for (Path f : files) {
            cmd.append(" --train ").append(f.getFileName());
        }
        cmd.append(" --out models/").append(onnxFileName).append(" --seed ").append(parameters.seed())
                .append(" --epochs ").append(parameters.maxEpochs());
        if (parameters.members() != MlpTrainingParameters.MEMBERS) {
            cmd.append(" --members ").append(parameters.members());
        }
        t.put("command", cmd.toString());
        ObjectNode v = ev.toJson();
        v.put("records", validation.length);
        v.set("byFile", validationByFile);
        s.set("validation", v);
        return s;
    }
}
