package io.anomalyze.store;

import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.store.RecordQuery.Sort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Verdicts of every shape a file can give, stored and described as they read back, for the store's tests. */
final class StoredVerdicts {

    static final ModelDomain FLOW_DOMAIN = new ModelDomain("mlp", "flow model", List.of(), List.of("BENIGN", "DDoS"),
            "BENIGN", true, "m", "");

    static final int BLOCK = AnalysisStore.BLOCK_VERDICTS;

    static final List<String> CLASSES = List.of("BENIGN", "DoS Hulk", "PortScan", "Bot \u00e9\u4e2d");

    private StoredVerdicts() {
    }

    /** Verdicts with ties in score, every severity and class, the extreme finite scores and the odd values a file can hold. */
    static List<Verdict> verdicts(int n, long seed) {
        Random r = new Random(seed);
        List<Verdict> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Severity sev = Severity.values()[r.nextInt(Severity.values().length)];
            double score = switch (i % 97) {
                case 5 -> Double.MAX_VALUE;
                case 6 -> Double.MIN_VALUE;
                case 7 -> -0.5;
                default -> r.nextInt(40) / 8.0;
            };
            String cls = CLASSES.get(r.nextInt(CLASSES.size()));
            String label = i % 3 == 0 ? null : (i % 11 == 0 ? "x".repeat(300) : "label\u001F" + i);
            List<FeatureContribution> top = i % 5 == 0 ? List.of()
                    : List.of(new FeatureContribution("src_bytes", "12\u001E3", 0.25 * i), new FeatureContribution("\u00fcber", "", -1.5));
            String[] features = i % 7 == 0 ? null : new String[] {"0", "tcp", "", "\"quoted, field\"", "\u00e9t\u00e9", String.valueOf(i)};
            float[] probabilities = i % 4 == 0 ? null : new float[] {0.1f, 0.7f, 0.2f, i};
            out.add(new Verdict(i + 2L, sev != Severity.NORMAL, sev, score, r.nextDouble(), cls, label, top, features, probabilities));
        }
        return out;
    }

    /** A verdict as it reads back: confidence as a float, labels cut at 256 characters. */
    static String describe(Verdict v) {
        double score = v.score();
        String label = v.label() == null || v.label().length() <= 256 ? v.label() : v.label().substring(0, 256);
        return v.line() + "|" + v.anomalous() + "|" + v.severity() + "|" + score + "|" + (float) v.confidence() + "|"
                + v.predictedClass() + "|" + label + "|" + (v.topFeatures() == null ? List.of() : v.topFeatures()) + "|"
                + Arrays.toString(v.features()) + "|" + Arrays.toString(v.probabilities());
    }

    static AnalysisStore.Totals totals(List<Verdict> vs) {
        long[] sev = new long[Severity.values().length];
        Map<String, Long> classes = new LinkedHashMap<>();
        long anomalies = 0;
        for (Verdict v : vs) {
            sev[v.severity().ordinal()]++;
            classes.merge(v.predictedClass(), 1L, Long::sum);
            anomalies += v.anomalous() ? 1 : 0;
        }
        return new AnalysisStore.Totals(vs.size(), 0, anomalies, false, sev, classes, null, null, List.of());
    }

    static long store(AnalysisStore store, List<Verdict> vs, int chunk) {
        long id = store.create("t.csv", 1, FLOW_DOMAIN);
        for (int from = 0; from < vs.size(); from += chunk) {
            store.appendVerdicts(id, from, vs.subList(from, Math.min(vs.size(), from + chunk)));
        }
        store.finish(id, totals(vs));
        return id;
    }

    static Comparator<Integer> order(Sort sort, List<Verdict> vs) {
        Comparator<Integer> byScore = Comparator.comparingDouble(i -> vs.get(i).score());
        Comparator<Integer> bySeq = Comparator.naturalOrder();
        return switch (sort) {
            case ANOMALIES_FIRST -> Comparator.<Integer>comparingInt(i -> -vs.get(i).severity().ordinal())
                    .thenComparing(byScore.reversed()).thenComparing(bySeq);
            case SCORE_DESC -> byScore.reversed().thenComparing(bySeq);
            case SCORE_ASC -> byScore.thenComparing(bySeq);
            case FILE_ORDER -> bySeq;
        };
    }

    /** The same verdicts, most given an identity in one of the forms the store keeps apart. */
    static List<Verdict> withIdentities(List<Verdict> vs) {
        List<Verdict> out = new ArrayList<>(vs.size());
        long t0 = 1_499_428_560_000_000L; // 2017-07-07T11:56:00Z
        for (int i = 0; i < vs.size(); i++) {
            Verdict v = vs.get(i);
            String src = i % 10 == 9 ? "2001:db8::" + Integer.toHexString(i % 7 + 1) : "172.16." + (i % 3) + "." + (i % 5 + 1);
            String dst = "192.168.10." + (50 + i % 4);
            int sp = 40_000 + i % 13;
            int dp = i % 2 == 0 ? 80 : 443;
            long start = t0 + (i % 60) * 60_000_000L;
            FlowIdentity id = switch (i % 6) {
                case 0 -> new FlowIdentity(src + "-" + dst + "-" + sp + "-" + dp + "-6", src, sp, dst, dp, 6, start, start + i * 7L, null, null);
                case 1 -> new FlowIdentity(dst + "-" + src + "-" + dp + "-" + sp + "-6", src, sp, dst, dp, 6, start, start, null, null);
                case 2 -> new FlowIdentity("flow " + i + " \u00e9", src, sp, dst, dp, 17, start, start - 5, null, null);
                case 3 -> FlowIdentity.connection("icmp", "ecr_i", "SF");
                case 4 -> new FlowIdentity(null, null, FlowIdentity.UNKNOWN, dst, dp, FlowIdentity.UNKNOWN, FlowIdentity.NO_TIME,
                        i % 4 == 0 ? start : FlowIdentity.NO_TIME, null, null);
                default -> FlowIdentity.EMPTY;
            };
            out.add(new Verdict(v.line(), v.anomalous(), v.severity(), v.score(), v.confidence(), v.predictedClass(), v.label(),
                    v.topFeatures(), v.features(), v.probabilities(), id));
        }
        return out;
    }

    static String describeWithIdentity(Verdict v) {
        return describe(v) + "|" + v.identity();
    }

    /** The JDBC address of the database in {@code dir}, for writing what earlier versions left. */
    static String databaseUrl(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("anomalyze").toString().replace('\\', '/');
    }
}
