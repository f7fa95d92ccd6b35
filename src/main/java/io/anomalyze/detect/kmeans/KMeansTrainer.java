package io.anomalyze.detect.kmeans;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.detect.SeverityBands;
import io.anomalyze.evaluate.BinaryEvaluation;
import io.anomalyze.read.FileDigest;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.read.connection.AttackFamilies;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.connection.ConnectionRecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import smile.clustering.KMeans;
import smile.math.MathEx;

/**
 * Trains the K-means ensemble on the normal rows of a labelled connection-record file.
 *
 * <p>The file is split once, by a seeded shuffle, into a fit part and a validation part.
 * Encoding statistics and every K-means member are fitted on the normal rows of the fit part
 * only. The validation part (normal and attack rows) chooses among the candidate encodings by
 * ROC-AUC, then fixes the threshold and the severity bands. No test file is involved.
 */
public final class KMeansTrainer {

    private final KMeansTrainingParameters parameters;
    private final Consumer<String> progress;
    private final int threads;

    /**
     * @param progress receives one line per step; called from the training threads
     */
    public KMeansTrainer(KMeansTrainingParameters parameters, Consumer<String> progress) {
        this.parameters = parameters;
        this.progress = line -> {
            synchronized (progress) {
                progress.accept(line);
            }
        };
        this.threads = Runtime.getRuntime().availableProcessors();
    }

    /** The training rows held in memory, one batch of everything. */
    private record TrainingData(ConnectionBatch rows, boolean[] attack, long skipped) {
    }

    public KMeansModel train(Path trainFile) throws IOException {
        long started = System.nanoTime();
        TrainingData data = load(trainFile);
        int n = data.rows().size();
        progress.accept("read " + n + " records (" + data.skipped() + " skipped) from " + trainFile.getFileName());

        int[] order = shuffledIndices(n, parameters.seed());
        int validationSize = (int) Math.round(n * parameters.validationFraction());
        int[] validation = Arrays.copyOfRange(order, 0, validationSize);
        int[] fit = Arrays.copyOfRange(order, validationSize, n);
        int[] fitNormal = Arrays.stream(fit).filter(i -> !data.attack()[i]).sorted().toArray();
        Arrays.sort(validation);

        List<String> protocols = vocabulary(data.rows().protocol, n);
        List<String> services = vocabulary(data.rows().service, n);
        List<String> flags = vocabulary(data.rows().flag, n);

        List<Callable<Candidate>> search = new ArrayList<>();
        for (double floor : parameters.stdFloors()) {
            for (double clip : parameters.clips()) {
                for (double weight : parameters.categoricalWeights()) {
                    ConnectionEncoding encoding = fitEncoding(data.rows(), fitNormal, protocols, services, flags, floor, clip, weight);
                    search.add(() -> fitCandidate(data, encoding, floor, parameters.searchClusterCounts(),
                            fitNormal, validation, false));
                }
            }
        }
        Candidate best = null;
        for (Candidate candidate : inParallel(search)) {
            progress.accept(String.format("candidate stdFloor=%s clip=%s categoricalWeight=%s:"
                            + " validation ROC-AUC %.4f, family-balanced ROC-AUC %.4f", candidate.stdFloor,
                    candidate.encoding.clip(), candidate.encoding.categoricalWeight(), candidate.auc, candidate.familyAuc));
            if (best == null || candidate.familyAuc > best.familyAuc) {
                best = candidate;
            }
        }

        progress.accept("fitting the full ensemble with the chosen encoding");
        best = fitCandidate(data, best.encoding, best.stdFloor, parameters.clusterCounts(), fitNormal, validation, true);
        progress.accept(String.format("full ensemble: validation ROC-AUC %.4f, family-balanced ROC-AUC %.4f", best.auc, best.familyAuc));
        String[] family = familyOf(data, validation);
        double threshold = balancedThreshold(best.validationScores, family);
        SeverityBands bands = severityBands(best.validationScores, threshold);
        BinaryEvaluation evaluation = new BinaryEvaluation();
        for (int v = 0; v < validation.length; v++) {
            int i = validation[v];
            double s = best.validationScores[v];
            evaluation.add(data.attack()[i], s >= threshold, s, data.rows().label[i]);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        ObjectNode training = Json.object();
        training.put("file", trainFile.getFileName().toString());
        training.put("sha256", FileDigest.sha256(trainFile));
        training.put("records", n);
        training.put("skipped", data.skipped());
        training.put("fitNormalRecords", fitNormal.length);
        training.put("validationRecords", validation.length);
        training.put("seed", parameters.seed());
        training.put("date", Instant.now().toString());
        training.put("seconds", Decimals.round(seconds, 1));
        training.set("parameters", Json.MAPPER.valueToTree(parameters));
        ObjectNode chosen = training.putObject("chosenEncoding");
        chosen.put("stdFloor", best.stdFloor);
        chosen.put("clip", best.encoding.clip());
        chosen.put("categoricalWeight", best.encoding.categoricalWeight());
        chosen.put("validationRocAuc", Decimals.round(best.auc, 6));
        chosen.put("validationFamilyBalancedRocAuc", Decimals.round(best.familyAuc, 6));
        training.put("selectionRule", "the candidate encoding with the highest mean ROC-AUC of normal versus each attack"
                + " family (DoS, Probe, R2L, U2R) on the validation split");
        training.put("thresholdRule", "maximises balanced accuracy on the validation split: the mean of the normal"
                + " rows' specificity and the attack detection rate, the latter averaged over attack families so that"
                + " rare families weigh as much as floods");
        training.put("command", "java -jar target/anomalyze.jar train kmeans --train " + trainFile.getFileName()
                + " --out models/nsl-kdd-kmeans.json --seed " + parameters.seed());
        ObjectNode validationMetrics = evaluation.toJson();
        validationMetrics.put("records", validation.length);
        progress.accept(String.format("chosen: threshold %.4f, validation accuracy %.4f, F1 %.4f, ROC-AUC %.4f",
                threshold, evaluation.accuracy(), evaluation.f1(), best.auc));
        return new KMeansModel(KMeansModel.FORMAT, KMeansModel.KIND, ConnectionLayout.FEATURES, best.encoding, best.members,
                "mean over members of (distance to nearest centroid / member scale)", threshold, bands, training,
                validationMetrics);
    }

    private record Candidate(ConnectionEncoding encoding, double stdFloor, List<KMeansMember> members,
                             double[] validationScores, double auc, double familyAuc) {
    }

    private Candidate fitCandidate(TrainingData data, ConnectionEncoding encoding, double stdFloor,
                                   List<Integer> clusterCounts, int[] fitNormal, int[] validation, boolean parallelMembers) {
        ConnectionEncoding.Compiled compiled = encoding.compile();
        int d = compiled.dimension();
        EncodedRows fitRows = encode(compiled, data.rows(), fitNormal);
        double[][] fitVectors = new double[fitNormal.length][d];
        for (int i = 0; i < fitNormal.length; i++) {
            fitRows.toDense(i, compiled.hotValue(), fitVectors[i], 0, d);
        }
        List<Callable<KMeansMember>> fits = new ArrayList<>();
        for (int m = 0; m < clusterCounts.size(); m++) {
            int k = clusterCounts.get(m);
            long memberSeed = parameters.seed() * 1000 + m;
            fits.add(() -> fitMember(fitVectors, fitRows, compiled, k, memberSeed));
        }
        List<KMeansMember> members = parallelMembers ? inParallel(fits) : runAll(fits);
        KMeansEnsemble ensemble = new KMeansEnsemble(members, d, compiled.hotValue(), compiled.encodedZeros());
        double[] scores = new double[validation.length];
        ensemble.score(encode(compiled, data.rows(), validation), 0, validation.length, scores, null);
        BinaryEvaluation evaluation = new BinaryEvaluation();
        for (int v = 0; v < validation.length; v++) {
            evaluation.add(data.attack()[validation[v]], false, scores[v], null);
        }
        return new Candidate(encoding, stdFloor, members, scores, evaluation.roc(2).auc(),
                familyBalancedAuc(scores, familyOf(data, validation)));
    }

    private KMeansMember fitMember(double[][] fitVectors, EncodedRows fitRows, ConnectionEncoding.Compiled compiled,
                                   int k, long memberSeed) {
        int d = compiled.dimension();
        // Smile draws its k-means++ start from a per-thread generator: seed it on this thread.
        MathEx.setSeed(memberSeed);
        long t0 = System.nanoTime();
        KMeans kmeans = KMeans.fit(fitVectors, k, parameters.maxIterations(), parameters.tolerance());
        progress.accept(String.format("  k=%d fitted in %.1f s", k, (System.nanoTime() - t0) / 1e9));
        double[] distances = new double[fitVectors.length];
        new KMeansEnsemble(List.of(new KMeansMember(k, memberSeed, kmeans.centroids, 1.0)), d, compiled.hotValue(), compiled.encodedZeros())
                .score(fitRows, 0, fitVectors.length, distances, null);
        return new KMeansMember(k, memberSeed, kmeans.centroids, Math.max(1e-9, quantile(distances, 0.5)));
    }

    /** Runs the tasks on the trainer's threads and returns their results in task order. */
    private <T> List<T> inParallel(List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())));
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) {
        List<T> results = new ArrayList<>();
        for (Callable<T> t : tasks) {
            try {
                results.add(t.call());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return results;
    }

    private static EncodedRows encode(ConnectionEncoding.Compiled compiled, ConnectionBatch rows, int[] which) {
        EncodedRows out = new EncodedRows(which.length);
        for (int i = 0; i < which.length; i++) {
            compiled.encode(rows, which[i], out, i);
        }
        return out;
    }

    /** Per validation row: "normal" or the attack family of its label. */
    private static String[] familyOf(TrainingData data, int[] rows) {
        String[] family = new String[rows.length];
        for (int v = 0; v < rows.length; v++) {
            int i = rows[v];
            family[v] = data.attack()[i] ? AttackFamilies.familyOf(data.rows().label[i]) : NORMAL;
        }
        return family;
    }

    /** Families with fewer validation rows than this are too small to steer any choice. */
    private static final int MIN_FAMILY_ROWS = 5;
    private static final String NORMAL = "normal";

    private static List<String> groups(String[] family) {
        java.util.Map<String, Integer> counts = new TreeMap<>();
        for (String f : family) {
            counts.merge(f, 1, Integer::sum);
        }
        List<String> groups = new ArrayList<>();
        counts.forEach((f, c) -> {
            if (!f.equals(NORMAL) && c >= MIN_FAMILY_ROWS) {
                groups.add(f);
            }
        });
        return groups;
    }

    /** Mean over attack families of the ROC-AUC of normal rows versus that family's rows. */
    static double familyBalancedAuc(double[] scores, String[] family) {
        double sum = 0;
        List<String> groups = groups(family);
        for (String g : groups) {
            BinaryEvaluation e = new BinaryEvaluation();
            for (int v = 0; v < scores.length; v++) {
                if (family[v].equals(NORMAL) || family[v].equals(g)) {
                    e.add(family[v].equals(g), false, scores[v], null);
                }
            }
            sum += e.roc(2).auc();
        }
        return sum / groups.size();
    }

    /**
     * The threshold that maximises the balanced accuracy of normal versus attack, where the
     * attack side is the mean detection rate over families, placed midway between two adjacent
     * distinct scores.
     */
    static double balancedThreshold(double[] scores, String[] family) {
        List<String> groups = groups(family);
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        int g = groups.size();
        long[] total = new long[g + 1];
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = family[i].equals(NORMAL) ? g : groups.indexOf(family[i]);
            if (group[i] >= 0) {
                total[group[i]]++;
            }
        }
        // Sweep the threshold upwards: rows at or below it are called normal.
        long[] below = new long[g + 1];
        double bestObjective = objective(below, total, g);
        double best = scores[order[0]] - 1e-9;
        for (int i = 0; i < n; i++) {
            int gi = group[order[i]];
            if (gi >= 0) {
                below[gi]++;
            }
            boolean boundary = i + 1 == n || scores[order[i + 1]] > scores[order[i]];
            if (boundary) {
                double o = objective(below, total, g);
                if (o > bestObjective) {
                    bestObjective = o;
                    best = i + 1 == n ? scores[order[i]] + 1e-9 : (scores[order[i]] + scores[order[i + 1]]) / 2;
                }
            }
        }
        return best;
    }

    /** Balanced accuracy of normal versus attack, with the attack side averaged over families. */
    private static double objective(long[] below, long[] total, int normalIndex) {
        double specificity = (double) below[normalIndex] / total[normalIndex];
        double detection = 0;
        for (int f = 0; f < normalIndex; f++) {
            detection += 1 - (double) below[f] / total[f];
        }
        return (specificity + detection / normalIndex) / 2;
    }

    private static ConnectionEncoding fitEncoding(ConnectionBatch rows, int[] fitNormal, List<String> protocols,
                                                  List<String> services, List<String> flags,
                                                  double stdFloor, double clip, double weight) {
        int p = ConnectionLayout.NUMERIC_COUNT;
        boolean[] log = new boolean[p];
        for (int i = 0; i < p; i++) {
            log[i] = ConnectionEncoding.HEAVY_TAILED.contains(ConnectionLayout.numericName(i));
        }
        double[] mean = new double[p];
        double[] m2 = new double[p];
        long count = 0;
        for (int idx : fitNormal) {
            count++;
            for (int i = 0; i < p; i++) {
                double v = rows.numeric(idx, i);
                if (log[i]) {
                    v = Math.log1p(v);
                }
                double delta = v - mean[i];
                mean[i] += delta / count;
                m2[i] += delta * (v - mean[i]);
            }
        }
        double[] std = new double[p];
        for (int i = 0; i < p; i++) {
            std[i] = Math.max(stdFloor, Math.sqrt(m2[i] / Math.max(1, count - 1)));
        }
        return new ConnectionEncoding(protocols, services, flags, log, mean, std, clip, weight);
    }

    /** Cut points at the quartiles of the validation scores above the threshold. */
    static SeverityBands severityBands(double[] scores, double threshold) {
        double[] above = Arrays.stream(scores).filter(s -> s >= threshold).map(s -> s / threshold).sorted().toArray();
        if (above.length < 4) {
            return new SeverityBands(1.5, 3, 10);
        }
        return new SeverityBands(Math.max(1, above[above.length / 4]), above[above.length / 2], above[above.length * 3 / 4]);
    }

    private TrainingData load(Path file) throws IOException {
        ConnectionBatch all = null;
        List<ConnectionBatch> batches = new ArrayList<>();
        long skipped;
        try (InputStream in = TrafficInput.open(file, InputLimits.DEFAULTS);
             ConnectionRecordReader reader = new ConnectionRecordReader(in, file.getFileName().toString(), InputLimits.DEFAULTS)) {
            while (true) {
                ConnectionBatch batch = new ConnectionBatch(8192);
                if (!reader.read(batch)) {
                    break;
                }
                batches.add(batch);
            }
            if (!reader.labelled()) {
                throw new io.anomalyze.InvalidInputException(file.getFileName()
                        + ": training needs labelled records (a label column after the 41 features)");
            }
            skipped = reader.badRows().count();
            int total = (int) reader.records();
            all = new ConnectionBatch(total);
            for (ConnectionBatch b : batches) {
                all.appendAll(b);
            }
        }
        boolean[] attack = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            attack[i] = ConnectionLayout.isAttack(all.label[i]);
        }
        return new TrainingData(all, attack, skipped);
    }

    private static List<String> vocabulary(String[] values, int n) {
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(values[i], 1, Integer::sum);
        }
        return List.copyOf(counts.keySet());
    }

    private static int[] shuffledIndices(int n, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
