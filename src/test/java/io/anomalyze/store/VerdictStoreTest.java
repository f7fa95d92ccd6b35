package io.anomalyze.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.flow.FlowLabels;
import io.anomalyze.store.RecordQuery.Sort;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdicts stored in blocks: round trip, pages across block boundaries, filters, sorts, migration. */
class VerdictStoreTest {

    private static final ModelDomain FLOW_DOMAIN = new ModelDomain("mlp", "flow model", List.of(), List.of("BENIGN", "DDoS"),
            "BENIGN", true, "m", "");

    private static final int BLOCK = AnalysisStore.BLOCK_VERDICTS;
    private static final List<String> CLASSES = List.of("BENIGN", "DoS Hulk", "PortScan", "Bot \u00e9\u4e2d");

    @TempDir
    Path dir;

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

    private static AnalysisStore.Totals totals(List<Verdict> vs) {
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

    private static long store(AnalysisStore store, List<Verdict> vs, int chunk) {
        long id = store.create("t.csv", 1, FLOW_DOMAIN);
        for (int from = 0; from < vs.size(); from += chunk) {
            store.appendVerdicts(id, from, vs.subList(from, Math.min(vs.size(), from + chunk)));
        }
        store.finish(id, totals(vs));
        return id;
    }

    private static Comparator<Integer> order(Sort sort, List<Verdict> vs) {
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

    @Test
    void everyVerdictReadsBackInFileOrder() throws Exception {
        List<Verdict> vs = verdicts(17 * BLOCK + 37, 1); // more blocks than one read of an export takes
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store(store, vs, BLOCK);
            List<String> read = new ArrayList<>();
            store.forEachVerdict(id, v -> read.add(describe(v)));
            assertEquals(vs.stream().map(VerdictStoreTest::describe).toList(), read);
            assertEquals(AnalysisStore.SCHEMA.size(), store.schemaVersion());
        }
    }

    @Test
    void pagesOfEveryFilterAndSortMatchTheOrderAcrossBlockBoundaries() throws Exception {
        List<Verdict> vs = verdicts(3 * BLOCK + 101, 2);
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store(store, vs, 2 * BLOCK);
            AnalysisSummary a = store.find(id).orElseThrow();
            List<Severity> severities = new ArrayList<>(Arrays.asList(Severity.values()));
            severities.add(null);
            List<String> classes = new ArrayList<>(CLASSES);
            classes.add(null);
            for (Severity sev : severities) {
                for (String cls : classes) {
                    Predicate<Verdict> keep = v -> (sev == null || v.severity() == sev) && (cls == null || v.predictedClass().equals(cls));
                    for (Sort sort : Sort.values()) {
                        List<Integer> expected = new ArrayList<>();
                        for (int i = 0; i < vs.size(); i++) {
                            if (keep.test(vs.get(i))) {
                                expected.add(i);
                            }
                        }
                        expected.sort(order(sort, vs));
                        List<String> want = expected.stream().map(i -> describe(vs.get(i))).toList();
                        List<String> got = new ArrayList<>();
                        int limit = 97;
                        for (long offset = 0; ; offset += limit) {
                            Page<Verdict> page = store.records(a, new RecordQuery(sev, cls, sort, limit, offset));
                            assertEquals(want.size(), page.total(), sev + " " + cls + " " + sort);
                            page.items().forEach(v -> got.add(describe(v)));
                            if (!page.hasNext()) {
                                break;
                            }
                        }
                        assertEquals(want, got, sev + " " + cls + " " + sort);
                    }
                }
            }
            Page<Verdict> none = store.records(a, new RecordQuery(null, "no such class", Sort.ANOMALIES_FIRST, 10, 0));
            assertEquals(0, none.total());
            assertTrue(none.items().isEmpty());
            Page<Verdict> beyond = store.records(a, new RecordQuery(null, null, Sort.SCORE_DESC, 10, vs.size() + 5L));
            assertEquals(vs.size(), beyond.total());
            assertTrue(beyond.items().isEmpty());
        }
    }

    @Test
    void unfinishedAndFailedAnalysesShowNoVerdicts() throws Exception {
        List<Verdict> vs = verdicts(BLOCK + 3, 3);
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store.create("t.csv", 1, FLOW_DOMAIN);
            store.appendVerdicts(id, 0, vs);
            AnalysisSummary running = store.find(id).orElseThrow();
            assertEquals(0, store.records(running, new RecordQuery(null, null, Sort.FILE_ORDER, 10, 0)).items().size());
            assertThrows(IllegalArgumentException.class, () -> store.appendVerdicts(id, BLOCK + 3, vs));
            store.fail(id, "stopped");
            long[] left = new long[1];
            store.forEachVerdict(id, v -> left[0]++);
            assertEquals(0, left[0]);
            assertEquals(AnalysisStatus.FAILED, store.find(id).orElseThrow().status());
        }
        // a restart finds an analysis left running failed, its verdicts gone
        long id;
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            id = store.create("t.csv", 1, FLOW_DOMAIN);
            store.appendVerdicts(id, 0, vs);
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(AnalysisStatus.FAILED, store.find(id).orElseThrow().status());
            long[] left = new long[1];
            store.forEachVerdict(id, v -> left[0]++);
            assertEquals(0, left[0]);
        }
    }

    @Test
    void aDatabaseOfVersionOneIsConvertedEvenAfterAnInterruptedConversion() throws Exception {
        List<Verdict> vs = verdicts(BLOCK + 250, 4);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("anomalyze").toString().replace('\\', '/');
        try (Connection c = DriverManager.getConnection(url, "anomalyze", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            s.execute("INSERT INTO schema_version VALUES (1)");
            for (String statement : AnalysisStore.SCHEMA.get(0)) {
                s.execute(statement);
            }
            s.execute("INSERT INTO analysis (id, file_name, size_bytes, detector, model, status, created_at, record_count)"
                    + " VALUES (1, 'done.csv', 1, 'mlp', 'm', 'done', CURRENT_TIMESTAMP, " + vs.size() + "),"
                    + " (2, 'running.csv', 1, 'mlp', 'm', 'running', CURRENT_TIMESTAMP, 0)");
            StringBuilder sb = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO verdict (analysis_id, seq, line_no, anomalous, severity, score,"
                    + " confidence, predicted_class, label, top_features, features, probabilities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (long analysis : new long[] {1, 2}) {
                    for (int i = 0; i < vs.size(); i++) {
                        Verdict v = vs.get(i);
                        ps.setLong(1, analysis);
                        ps.setInt(2, i);
                        ps.setLong(3, v.line());
                        ps.setBoolean(4, v.anomalous());
                        ps.setInt(5, v.severity().ordinal());
                        ps.setDouble(6, v.score());
                        ps.setFloat(7, (float) v.confidence());
                        ps.setString(8, v.predictedClass());
                        ps.setString(9, v.label() == null ? null : v.label().substring(0, Math.min(256, v.label().length())));
                        ps.setString(10, CompactText.topFeatures(v.topFeatures(), sb));
                        ps.setString(11, CompactText.strings(v.features(), sb));
                        ps.setString(12, CompactText.floats(v.probabilities(), sb));
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            // what a conversion cut short leaves behind: the new table, holding rows of no use
            s.execute(AnalysisStore.SCHEMA.get(1).get(0));
            s.execute("INSERT INTO verdict_block VALUES (1, 0, 7, X'00'), (3, 0, 0, X'00')");
            s.execute("UPDATE analysis SET severity_counts = '" + Arrays.toString(totals(vs).severityCounts()).replace(" ", "") + "'");
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(AnalysisStore.SCHEMA.size(), store.schemaVersion());
            List<String> read = new ArrayList<>();
            store.forEachVerdict(1, v -> read.add(describe(v)));
            assertEquals(vs.stream().map(VerdictStoreTest::describe).toList(), read);
            AnalysisSummary a = store.find(1).orElseThrow();
            // Analyses from before models' domains were stored were made by the bundled flow model.
            assertEquals(FlowLabels.CLASSES, a.domain().classNames());
            assertEquals("BENIGN", a.domain().benignClass());
            assertEquals("m", a.model());
            assertEquals("", a.domain().sha256());
            Page<Verdict> top = store.records(a, new RecordQuery(null, null, Sort.ANOMALIES_FIRST, 5, BLOCK - 2));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < vs.size(); i++) {
                expected.add(i);
            }
            expected.sort(order(Sort.ANOMALIES_FIRST, vs));
            assertEquals(expected.subList(BLOCK - 2, BLOCK + 3).stream().map(i -> describe(vs.get(i))).toList(),
                    top.items().stream().map(VerdictStoreTest::describe).toList());
            assertEquals(AnalysisStatus.FAILED, store.find(2).orElseThrow().status());
            long[] left = new long[1];
            store.forEachVerdict(2, v -> left[0]++);
            assertEquals(0, left[0]);
        }
    }

    @Test
    void anAnalysisKeepsTheDomainOfTheModelThatMadeIt() throws Exception {
        ModelDomain own = new ModelDomain("mlp", "Site model", List.of("Flow Duration", "Destination Port"),
                List.of("DDoS", "BENIGN", "PortScan"), "BENIGN", true, "site.onnx", "ab".repeat(32));
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            store.create("t.csv", 1, own);
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(own, store.find(1).orElseThrow().domain());
        }
    }

    @Test
    void aNewerDatabaseIsRefused() throws Exception {
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(AnalysisStore.SCHEMA.size(), store.schemaVersion());
        }
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("anomalyze").toString().replace('\\', '/');
        try (Connection c = DriverManager.getConnection(url, "anomalyze", ""); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }
        assertThrows(IllegalStateException.class, () -> AnalysisStore.open(dir));
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

    @Test
    void identitiesReadBackAsStored() throws Exception {
        List<Verdict> vs = withIdentities(verdicts(2 * BLOCK + 11, 5));
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store(store, vs, BLOCK);
            List<String> read = new ArrayList<>();
            store.forEachVerdict(id, v -> read.add(describeWithIdentity(v)));
            assertEquals(vs.stream().map(VerdictStoreTest::describeWithIdentity).toList(), read);
            AnalysisSummary a = store.find(id).orElseThrow();
            Page<Verdict> page = store.records(a, new RecordQuery(null, null, Sort.FILE_ORDER, 3, 19));
            assertEquals("FlowIdentity[flowId=192.168.10.53-2001:db8::6-443-40006-6, srcAddress=2001:db8::6, srcPort=40006, "
                    + "dstAddress=192.168.10.53, dstPort=443, protocol=6, startMicros=1499429700000000, endMicros=1499429700000000, "
                    + "service=null, flag=null]", page.items().get(0).identity().toString());
        }
    }

    @Test
    void aVerdictWithoutIdentityKeepsTheLayoutOfVersionTwo() {
        Verdict v = verdicts(1, 6).get(0);
        byte[] block = VerdictBlocks.encode(List.of(v), 0, 1);
        int at = VerdictBlocks.offset(block, 0);
        assertEquals(v.anomalous() ? 1 : 0, block[at + 8], "the flags byte of version 2 held only 0 or 1");
        assertEquals(v.predictedClass().length() + 1, block[at + 22], "the class follows the confidence directly");
        assertEquals(describe(v), describe(VerdictBlocks.decode(block, 0)));
    }

    @Test
    void aDatabaseOfVersionFourOpensWithItsVerdictsUnchanged() throws Exception {
        List<Verdict> vs = verdicts(BLOCK + 20, 7);
        long id;
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            id = store(store, vs, BLOCK);
        }
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("anomalyze").toString().replace('\\', '/');
        try (Connection c = DriverManager.getConnection(url, "anomalyze", ""); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 4");
            s.execute("COMMENT ON TABLE verdict_block IS NULL");
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(AnalysisStore.SCHEMA.size(), store.schemaVersion());
            List<String> read = new ArrayList<>();
            store.forEachVerdict(id, v -> read.add(describeWithIdentity(v)));
            assertEquals(vs.stream().map(VerdictStoreTest::describeWithIdentity).toList(), read);
        }
    }

    @Test
    void identityFiltersCombineWithClassSeveritySortAndPaging() throws Exception {
        List<Verdict> vs = withIdentities(verdicts(3 * BLOCK + 7, 8));
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store(store, vs, BLOCK);
            AnalysisSummary a = store.find(id).orElseThrow();
            long t0 = 1_499_428_560_000_000L;
            List<IdentityFilter> filters = List.of(
                    new IdentityFilter(AddressBlock.parse("172.16.1.0/24"), null, null, FlowIdentity.UNKNOWN, FlowIdentity.NO_TIME, FlowIdentity.NO_TIME),
                    new IdentityFilter(null, AddressBlock.parse("192.168.10.53"), null, 443, FlowIdentity.NO_TIME, FlowIdentity.NO_TIME),
                    new IdentityFilter(null, null, AddressBlock.parse("2001:db8::/64"), FlowIdentity.UNKNOWN, FlowIdentity.NO_TIME, FlowIdentity.NO_TIME),
                    new IdentityFilter(null, null, AddressBlock.parse("192.168.10.48/29"), 80, t0 + 600_000_000L, t0 + 1_800_000_000L),
                    new IdentityFilter(null, null, null, FlowIdentity.UNKNOWN, t0 + 3_000_000_000L, FlowIdentity.NO_TIME));
            for (IdentityFilter f : filters) {
                for (Severity sev : new Severity[] {null, Severity.HIGH}) {
                    for (Sort sort : new Sort[] {Sort.FILE_ORDER, Sort.ANOMALIES_FIRST, Sort.SCORE_ASC}) {
                        String cls = sort == Sort.SCORE_ASC ? "PortScan" : null;
                        List<Integer> expected = new ArrayList<>();
                        for (int i = 0; i < vs.size(); i++) {
                            Verdict v = vs.get(i);
                            if ((sev == null || v.severity() == sev) && (cls == null || v.predictedClass().equals(cls)) && matches(f, v.identity())) {
                                expected.add(i);
                            }
                        }
                        expected.sort(order(sort, vs));
                        List<String> want = expected.stream().map(i -> describeWithIdentity(vs.get(i))).toList();
                        List<String> got = new ArrayList<>();
                        for (long offset = 0; ; offset += 40) {
                            Page<Verdict> page = store.records(a, new RecordQuery(sev, cls, sort, 40, offset, f));
                            assertEquals(want.size(), page.total(), f + " " + sev + " " + sort);
                            page.items().forEach(v -> got.add(describeWithIdentity(v)));
                            if (!page.hasNext()) {
                                break;
                            }
                        }
                        assertTrue(want.size() > 0 || sev != null, "the filter " + f + " should match some verdicts");
                        assertEquals(want, got, f + " " + sev + " " + sort);
                    }
                }
            }
        }
    }

    /** The filter's meaning, written plainly over decoded identities. */
    private static boolean matches(IdentityFilter f, FlowIdentity id) {
        java.util.function.BiPredicate<AddressBlock, String> in = (block, address) -> {
            if (address == null) {
                return false;
            }
            byte[] b = new byte[16];
            int n = io.anomalyze.read.IpAddresses.parse(address, b);
            return block.contains(b, 0, n);
        };
        return (f.src() == null || in.test(f.src(), id.srcAddress()))
                && (f.dst() == null || in.test(f.dst(), id.dstAddress()))
                && (f.host() == null || in.test(f.host(), id.srcAddress()) || in.test(f.host(), id.dstAddress()))
                && (f.port() == FlowIdentity.UNKNOWN || id.srcPort() == f.port() || id.dstPort() == f.port())
                && (f.fromMicros() == FlowIdentity.NO_TIME || (id.startMicros() != FlowIdentity.NO_TIME && id.startMicros() >= f.fromMicros()))
                && (f.toMicros() == FlowIdentity.NO_TIME || (id.startMicros() != FlowIdentity.NO_TIME && id.startMicros() < f.toMicros()));
    }
}
