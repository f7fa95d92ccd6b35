package io.anomalyze.store;

import static io.anomalyze.store.StoredVerdicts.BLOCK;
import static io.anomalyze.store.StoredVerdicts.CLASSES;
import static io.anomalyze.store.StoredVerdicts.FLOW_DOMAIN;
import static io.anomalyze.store.StoredVerdicts.describe;
import static io.anomalyze.store.StoredVerdicts.describeWithIdentity;
import static io.anomalyze.store.StoredVerdicts.order;
import static io.anomalyze.store.StoredVerdicts.store;
import static io.anomalyze.store.StoredVerdicts.verdicts;
import static io.anomalyze.store.StoredVerdicts.withIdentities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.store.RecordQuery.Sort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdicts read back from their blocks: in file order, and in pages of every filter, sort and identity filter. */
class RecordPagesTest {

    @TempDir
    Path dir;

    @Test
    void everyVerdictReadsBackInFileOrder() throws Exception {
        List<Verdict> vs = verdicts(17 * BLOCK + 37, 1); // more blocks than one read of an export takes
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store(store, vs, BLOCK);
            List<String> read = new ArrayList<>();
            store.forEachVerdict(id, v -> read.add(describe(v)));
            assertEquals(vs.stream().map(StoredVerdicts::describe).toList(), read);
            assertEquals(SchemaMigrations.SCHEMA.size(), store.schemaVersion());
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
    void identitiesReadBackAsStored() throws Exception {
        List<Verdict> vs = withIdentities(verdicts(2 * BLOCK + 11, 5));
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            long id = store(store, vs, BLOCK);
            List<String> read = new ArrayList<>();
            store.forEachVerdict(id, v -> read.add(describeWithIdentity(v)));
            assertEquals(vs.stream().map(StoredVerdicts::describeWithIdentity).toList(), read);
            AnalysisSummary a = store.find(id).orElseThrow();
            Page<Verdict> page = store.records(a, new RecordQuery(null, null, Sort.FILE_ORDER, 3, 19));
            assertEquals("FlowIdentity[flowId=192.168.10.53-2001:db8::6-443-40006-6, srcAddress=2001:db8::6, srcPort=40006, "
                    + "dstAddress=192.168.10.53, dstPort=443, protocol=6, startMicros=1499429700000000, endMicros=1499429700000000, "
                    + "service=null, flag=null]", page.items().get(0).identity().toString());
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
