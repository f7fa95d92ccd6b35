package io.anomalyze.store;

import static io.anomalyze.store.StoredVerdicts.BLOCK;
import static io.anomalyze.store.StoredVerdicts.databaseUrl;
import static io.anomalyze.store.StoredVerdicts.describe;
import static io.anomalyze.store.StoredVerdicts.describeWithIdentity;
import static io.anomalyze.store.StoredVerdicts.order;
import static io.anomalyze.store.StoredVerdicts.store;
import static io.anomalyze.store.StoredVerdicts.totals;
import static io.anomalyze.store.StoredVerdicts.verdicts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.flow.FlowLabels;
import io.anomalyze.store.RecordQuery.Sort;
import io.anomalyze.store.legacy.CompactText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Databases of earlier versions brought up to date, a newer one refused, and what each version stores kept. */
class SchemaMigrationsTest {

    @TempDir
    Path dir;

    @Test
    void aDatabaseOfVersionOneIsConvertedEvenAfterAnInterruptedConversion() throws Exception {
        List<Verdict> vs = verdicts(BLOCK + 250, 4);
        String url = databaseUrl(dir);
        try (Connection c = DriverManager.getConnection(url, "anomalyze", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            s.execute("INSERT INTO schema_version VALUES (1)");
            for (String statement : SchemaMigrations.SCHEMA.get(0)) {
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
            s.execute(SchemaMigrations.SCHEMA.get(1).get(0));
            s.execute("INSERT INTO verdict_block VALUES (1, 0, 7, X'00'), (3, 0, 0, X'00')");
            s.execute("UPDATE analysis SET severity_counts = '" + Arrays.toString(totals(vs).severityCounts()).replace(" ", "") + "'");
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(SchemaMigrations.SCHEMA.size(), store.schemaVersion());
            List<String> read = new ArrayList<>();
            store.forEachVerdict(1, v -> read.add(describe(v)));
            assertEquals(vs.stream().map(StoredVerdicts::describe).toList(), read);
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
                    top.items().stream().map(StoredVerdicts::describe).toList());
            assertEquals(AnalysisStatus.FAILED, store.find(2).orElseThrow().status());
            long[] left = new long[1];
            store.forEachVerdict(2, v -> left[0]++);
            assertEquals(0, left[0]);
        }
    }

    @Test
    void aDatabaseOfVersionFourOpensWithItsVerdictsUnchanged() throws Exception {
        List<Verdict> vs = verdicts(BLOCK + 20, 7);
        long id;
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            id = store(store, vs, BLOCK);
        }
        String url = databaseUrl(dir);
        try (Connection c = DriverManager.getConnection(url, "anomalyze", ""); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 4");
            s.execute("COMMENT ON TABLE verdict_block IS NULL");
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(SchemaMigrations.SCHEMA.size(), store.schemaVersion());
            List<String> read = new ArrayList<>();
            store.forEachVerdict(id, v -> read.add(describeWithIdentity(v)));
            assertEquals(vs.stream().map(StoredVerdicts::describeWithIdentity).toList(), read);
        }
    }

    @Test
    void aNewerDatabaseIsRefused() throws Exception {
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertEquals(SchemaMigrations.SCHEMA.size(), store.schemaVersion());
        }
        String url = databaseUrl(dir);
        try (Connection c = DriverManager.getConnection(url, "anomalyze", ""); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }
        assertThrows(IllegalStateException.class, () -> AnalysisStore.open(dir));
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
    void aVerdictWithoutIdentityKeepsTheLayoutOfVersionTwo() {
        Verdict v = verdicts(1, 6).get(0);
        byte[] block = VerdictBlocks.encode(List.of(v), 0, 1);
        int at = VerdictBlocks.offset(block, 0);
        assertEquals(v.anomalous() ? 1 : 0, block[at + 8], "the flags byte of version 2 held only 0 or 1");
        assertEquals(v.predictedClass().length() + 1, block[at + 22], "the class follows the confidence directly");
        assertEquals(describe(v), describe(VerdictBlocks.decode(block, 0)));
    }
}
