package io.anomalyze.store;

import io.anomalyze.detect.Verdict;
import io.anomalyze.store.legacy.VersionOneVerdicts;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an analysis's verdicts in blocks as they come, and its page orders when it finishes.
 * While an analysis runs, the sort keys of the verdicts stored so far are kept, so finishing
 * need not read every block back; keys that were lost (a failed write, a restart) are read back
 * from the blocks instead.
 */
final class VerdictBlockWriter implements VersionOneVerdicts.Target {

    /** Order rows (16 KB each) written per transaction while an analysis finishes: about 1 MB. */
    private static final int ORDER_ROWS_PER_COMMIT = 64;

    private final Database db;
    /** Sort keys of the verdicts stored so far by running analyses. */
    private final Map<Long, VerdictOrders.Keys> runningKeys = new ConcurrentHashMap<>();

    VerdictBlockWriter(Database db) {
        this.db = db;
    }

    /**
     * Stores verdicts in one transaction; {@code firstSeq} numbers them in file order and is a
     * multiple of {@link VerdictBlocks#SIZE}. Only the last call of an analysis may store a number
     * of verdicts that is not such a multiple.
     */
    void append(long analysisId, long firstSeq, List<Verdict> batch) {
        if (firstSeq % VerdictBlocks.SIZE != 0) {
            throw new IllegalArgumentException("verdicts are stored from a multiple of " + VerdictBlocks.SIZE + " on, not " + firstSeq);
        }
        if (batch.isEmpty()) {
            return;
        }
        Math.toIntExact(firstSeq + batch.size());
        db.sql(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(BlockTable.INSERT)) {
                int block = (int) (firstSeq / VerdictBlocks.SIZE);
                VerdictBlocks.Encoder encoder = new VerdictBlocks.Encoder();
                for (int from = 0; from < batch.size(); from += VerdictBlocks.SIZE) {
                    BlockTable.addVerdictBlock(ps, encoder, analysisId, block++, batch, from, Math.min(batch.size(), from + VerdictBlocks.SIZE));
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                runningKeys.remove(analysisId);
                c.rollback();
                throw e;
            }
            return null;
        });
        VerdictOrders.Keys keys = firstSeq == 0 ? new VerdictOrders.Keys() : runningKeys.get(analysisId);
        if (keys == null || keys.size != firstSeq) {
            runningKeys.remove(analysisId);
            return;
        }
        for (Verdict v : batch) {
            keys.add(v.severity().ordinal(), v.score(),
                    VerdictBlocks.truncate(v.predictedClass(), 128));
        }
        runningKeys.put(analysisId, keys);
    }

    /** The sort keys kept for a running analysis, which stops being kept; null when there are none. */
    VerdictOrders.Keys takeKeys(long analysisId) {
        return runningKeys.remove(analysisId);
    }

    /** Stops keeping the sort keys of an analysis that will not finish. */
    void forget(long analysisId) {
        runningKeys.remove(analysisId);
    }

    /**
     * Stores the page orders and then the directory of an analysis from the sort keys of its
     * stored verdicts: {@code known} when they were kept while storing them, else read back. The
     * order rows are committed every {@link #ORDER_ROWS_PER_COMMIT} rows; the directory is left
     * to the caller's transaction.
     */
    static void storeOrders(Connection c, long id, VerdictOrders.Keys known) throws SQLException {
        VerdictOrders.Keys keys = known != null && known.size == BlockTable.storedVerdicts(c, id) ? known : readKeys(c, id);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM verdict_block WHERE analysis_id = ? AND kind > " + BlockTable.VERDICTS)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(BlockTable.INSERT)) {
            ps.setLong(1, id);
            SQLException[] failure = new SQLException[1];
            int[] pending = new int[1];
            VerdictOrders.build(keys, (kind, order) -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    for (int from = 0, block = 0; from < order.length; from += VerdictOrders.BLOCK, block++) {
                        ps.setInt(2, kind);
                        ps.setInt(3, block);
                        ps.setBytes(4, VerdictOrders.encodeRow(order, from, Math.min(order.length, from + VerdictOrders.BLOCK)));
                        ps.addBatch();
                        if (++pending[0] == ORDER_ROWS_PER_COMMIT) {
                            ps.executeBatch();
                            c.commit();
                            pending[0] = 0;
                        }
                    }
                } catch (SQLException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            ps.executeBatch();
            ps.setInt(2, BlockTable.DIRECTORY);
            ps.setInt(3, 0);
            ps.setBytes(4, VerdictOrders.encodeDirectory(keys.classes, keys.counts()));
            ps.executeUpdate();
        }
    }

    /** The sort keys of every stored verdict of an analysis, read back from its blocks. */
    private static VerdictOrders.Keys readKeys(Connection c, long id) throws SQLException {
        VerdictOrders.Keys keys = new VerdictOrders.Keys();
        BlockTable.forEachBlock(c, id, block -> {
            int count = VerdictBlocks.count(block);
            for (int i = 0; i < count; i++) {
                ByteBuffer v = VerdictBlocks.at(block, i);
                keys.add(VerdictBlocks.severity(v), VerdictBlocks.score(v), VerdictBlocks.predictedClass(v));
            }
        });
        return keys;
    }

    @Override
    public void clear(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM verdict_block");
        }
    }

    @Override
    public void writeBlock(Connection c, long analysisId, int blockNo, List<Verdict> verdicts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BlockTable.INSERT)) {
            BlockTable.addVerdictBlock(ps, analysisId, blockNo, verdicts, 0, verdicts.size());
            ps.executeBatch();
        }
    }

    @Override
    public void finish(Connection c, long analysisId) throws SQLException {
        storeOrders(c, analysisId, null);
    }
}
