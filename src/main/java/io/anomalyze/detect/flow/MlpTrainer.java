package io.anomalyze.detect.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.evaluate.MulticlassEvaluation;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowLabels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains the flow classifier: a ReLU MLP with a softmax output, fitted with Adam
 * ({@link AdamOptimizer}) on weighted cross-entropy ({@link MlpBackprop}), in plain Java over
 * primitive float arrays.
 *
 * <p>The training files are read into memory ({@link MlpTrainingData}). A stratified validation part is held out of every class of every training file by a seeded
 * shuffle; the preprocessing, the benign profile and the weights are fitted on the rest only.
 * Several members (initial weights and batch order from their own seeds) train side by side;
 * after each epoch a member's validation macro-F1 decides whether this is its best epoch so
 * far, the learning rate halves after a few epochs without progress and the member stops
 * after {@code patience} of them, keeping its best epoch's weights. The model averages the
 * members' probabilities. The same seed gives the same model, bit for bit.
 */
public final class MlpTrainer {

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

    /** One trained member: the network of its chosen epoch and how its run went. */
    private record Member(MlpNetwork network, MlpSidecarWriter.MemberSummary summary) {
    }

    public Result train(List<Path> files, String onnxFileName) throws IOException {
        long started = System.nanoTime();
        MlpTrainingData data = MlpTrainingData.load(files, progress);
        int n = data.n();
        int k = FlowLabels.COUNT;
        int d = FlowFeatures.COUNT;
        Random random = new Random(parameters.seed());

        MlpTrainingData.Split split = data.stratifiedSplit(parameters.validationFraction(), random);
        int[] fit = split.fit();
        int[] validation = split.validation();
        progress.accept(String.format("%d flows: %d to fit, %d for validation", n, fit.length, validation.length));

        FlowPreprocessing pre = FlowPreprocessing.fit(data.raw(), fit, d);
        float[] x = new float[n * d];
        pre.apply(data.raw(), n, x);
        FlowPreprocessing benignStats = FlowPreprocessing.fit(data.raw(), data.benignRows(fit), d);
        FlowModelSidecar.Profile benign = new FlowModelSidecar.Profile(benignStats.mean(), benignStats.std().clone());

        long[] fitCounts = new long[k];
        for (int i : fit) {
            fitCounts[data.y()[i]]++;
        }
        float[] classWeight = classWeights(fitCounts, fit.length);
        float[] xv = MlpTrainingData.gather(x, validation, d);

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
            o.put("accuracy", Decimals.round(fe.accuracy(), 6));
            o.put("macroF1", Decimals.round(fe.macroF1(), 6));
            o.put("attackDetectionAccuracy", Decimals.round(fe.attackDetectionAccuracy(), 6));
            progress.accept(String.format("  validation rows from %s: accuracy %.4f, macro-F1 %.4f, attack-vs-benign accuracy %.4f",
                    data.fileNames().get(f), fe.accuracy(), fe.macroF1(), fe.attackDetectionAccuracy()));
        }
        ObjectNode sidecar = MlpSidecarWriter.write(parameters, pre, networks, members.stream().map(Member::summary).toList(),
                benign, data, fit.length, validation.length, fitCounts, classWeight, ev, byFile, seconds, files, onnxFileName);
        return new Result(pre, networks, sidecar, MlpTrainingData.gather(data.raw(), validation, d), validation.length);
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
        AdamOptimizer adam = new AdamOptimizer(net);
        MlpNetwork best = net.copy();
        double bestF1 = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int stale = 0;
        double lr = parameters.learningRate();
        String prefix = parameters.members() == 1 ? "" : "member " + (member + 1) + ", ";
        int epoch;
        MlpBackprop backprop = new MlpBackprop(sizes, parameters.batchSize());
        for (epoch = 1; epoch <= parameters.maxEpochs(); epoch++) {
            MlpTrainingData.shuffle(fit, random);
            double trainLoss = 0;
            for (int from = 0; from < fit.length; from += parameters.batchSize()) {
                int rows = Math.min(parameters.batchSize(), fit.length - from);
                trainLoss += backprop.gradients(net, x, y, fit, from, rows, classWeight, adam.gradW, adam.gradB);
                adam.update(net, lr);
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
        return new Member(best, new MlpSidecarWriter.MemberSummary(Math.min(epoch, parameters.maxEpochs()), bestEpoch, bestF1, bestLoss));
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
}
