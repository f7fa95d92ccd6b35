package io.anomalyze.store;

import io.anomalyze.detect.Verdict;
import io.anomalyze.store.AnalysisStore.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads an analysis's verdicts back: a page of them in the stored order that serves a filter
 * and sort ({@link VerdictOrders}), narrowed by identity filters when asked, or all of them in
 * file order for exports.
 */
final class RecordPages {

    private static final int RECENT_FILTERS = 8;

    private final Database db;
    /** Identity filters recently used, by analysis and filter: paging through matches reuses them. */
    private final Map<String, BitSet> recentMatches = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, BitSet> eldest) {
                    return size() > RECENT_FILTERS;
                }
            });

    RecordPages(Database db) {
        this.db = db;
    }

    /** Drops what is remembered of a deleted analysis. */
    void forget(long analysisId) {
        recentMatches.keySet().removeIf(k -> k.startsWith(analysisId + "?"));
    }

    /**
     * A page of an analysis's verdicts: a range of the stored order that serves the filter and
     * sort, so paging through millions of records reads only the rows the page shows. An
     * analysis that is not done shows none.
     */
    Page<Verdict> records(AnalysisSummary analysis, RecordQuery q) {
        if (analysis.status() != AnalysisStatus.DONE) {
            return new Page<>(List.of(), 0, q.limit(), q.offset());
        }
        return db.sql(c -> {
            long id = analysis.id();
            byte[] dir = BlockTable.block(c, id, BlockTable.DIRECTORY, 0);
            if (dir == null) {
                return new Page<>(List.of(), 0, q.limit(), q.offset());
            }
            VerdictOrders.Directory d = VerdictOrders.decodeDirectory(dir);
            int classes = d.classes().size();
            int cls = q.className() == null ? 0 : d.classes().indexOf(q.className());
            if (cls < 0) {
                return new Page<>(List.of(), 0, q.limit(), q.offset());
            }
            VerdictOrders.Filter filter = VerdictOrders.Filter.of(q.severity() != null, q.className() != null);
            int group = filter.group(q.severity() == null ? 0 : q.severity().ordinal(), cls);
            long total = VerdictOrders.groupSize(filter, group, d.counts(), classes);
            long start = VerdictOrders.groupStart(filter, group, d.counts(), classes);
            RecordQuery.Sort sort = VerdictOrders.stored(filter, q.sort());
            int kind = sort == null ? -1 : VerdictOrders.kind(filter, sort);
            int[] seqs;
            if (q.identity() != null) {
                BitSet hits = identityMatches(c, id, q.identity());
                int[] picked = new int[q.limit()];
                int n = 0;
                long matching = 0;
                OrderReader order = new OrderReader(c, id, kind);
                for (long pos = start; pos < start + total; pos++) {
                    int seq = order.at(pos);
                    if (hits.get(seq)) {
                        if (matching >= q.offset() && n < picked.length) {
                            picked[n++] = seq;
                        }
                        matching++;
                    }
                }
                seqs = Arrays.copyOf(picked, n);
                total = matching;
            } else {
                int n = (int) Math.max(0, Math.min(q.limit(), total - q.offset()));
                seqs = new int[n];
                OrderReader order = new OrderReader(c, id, kind);
                for (int i = 0; i < n; i++) {
                    seqs[i] = order.at(start + q.offset() + i);
                }
            }
            List<Verdict> items = new ArrayList<>(seqs.length);
            Map<Integer, byte[]> blocks = new HashMap<>();
            for (int seq : seqs) {
                int blockNo = seq / VerdictBlocks.SIZE;
                byte[] data = blocks.get(blockNo);
                if (data == null) {
                    data = BlockTable.block(c, id, BlockTable.VERDICTS, blockNo);
                    if (data == null) {
                        throw new IllegalStateException("analysis " + id + " lacks verdict block " + blockNo);
                    }
                    blocks.put(blockNo, data);
                }
                items.add(VerdictBlocks.decode(data, seq % VerdictBlocks.SIZE));
            }
            return new Page<>(items, total, q.limit(), q.offset());
        });
    }

    /** Reads positions of one stored order (or of file order, kind -1) a row of {@link VerdictOrders#BLOCK} at a time. */
    private static final class OrderReader {
        private final Connection c;
        private final long id;
        private final int kind;
        private byte[] row;
        private long rowNo = -1;

        OrderReader(Connection c, long id, int kind) {
            this.c = c;
            this.id = id;
            this.kind = kind;
        }

        int at(long pos) throws SQLException {
            if (kind < 0) {
                return Math.toIntExact(pos);
            }
            if (pos / VerdictOrders.BLOCK != rowNo) {
                rowNo = pos / VerdictOrders.BLOCK;
                row = BlockTable.block(c, id, kind, Math.toIntExact(rowNo));
                if (row == null) {
                    throw new IllegalStateException("analysis " + id + " lacks order " + kind + " row " + rowNo);
                }
            }
            return VerdictOrders.at(row, (int) (pos % VerdictOrders.BLOCK));
        }
    }

    /**
     * The sequence numbers of the verdicts that match an identity filter, one bit each: every
     * block is read once, in file order, and tested on its bytes, so memory stays at one bit per
     * verdict however large the analysis.
     */
    private BitSet identityMatches(Connection c, long id, IdentityFilter filter) throws SQLException {
        String key = id + "?" + filter;
        BitSet cached = recentMatches.get(key);
        if (cached != null) {
            return cached;
        }
        BitSet hits = new BitSet();
        int[] seq = {0};
        BlockTable.forEachBlock(c, id, block -> {
            int count = VerdictBlocks.count(block);
            for (int i = 0; i < count; i++) {
                if (filter.matches(block, VerdictBlocks.offset(block, i))) {
                    hits.set(seq[0] + i);
                }
            }
            seq[0] += count;
        });
        recentMatches.put(key, hits);
        return hits;
    }

    /**
     * Streams every verdict of an analysis in file order, without holding them all in memory: the
     * blocks are read a few at a time, each read on a connection given back to the pool before its
     * verdicts are handed over, so an action that waits (on a slow client) holds no connection.
     * A finished analysis's blocks do not change; one deleted meanwhile ends the stream with a
     * {@link StoreException} rather than a silently short export.
     */
    void forEachVerdict(long analysisId, Consumer<Verdict> action) {
        int next = 0;
        while (true) {
            int from = next;
            List<byte[]> blocks = new ArrayList<>(BlockTable.BLOCKS_PER_READ);
            int[] last = {from - 1};
            db.sql(c -> {
                BlockTable.readBlocks(c, analysisId, from, (no, block) -> {
                    last[0] = no;
                    blocks.add(block);
                });
                return null;
            });
            for (byte[] block : blocks) {
                int count = VerdictBlocks.count(block);
                for (int i = 0; i < count; i++) {
                    action.accept(VerdictBlocks.decode(block, i));
                }
            }
            if (blocks.size() < BlockTable.BLOCKS_PER_READ) {
                if (db.sql(c -> AnalysisTable.find(c, analysisId)).isEmpty()) {
                    throw new StoreException(new SQLException("analysis " + analysisId + " was deleted while its verdicts were read"));
                }
                return;
            }
            next = last[0] + 1;
        }
    }
}
