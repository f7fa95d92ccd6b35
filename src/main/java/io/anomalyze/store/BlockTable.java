package io.anomalyze.store;

import io.anomalyze.detect.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code verdict_block} table: one row per block of an analysis's data, by kind. Kind
 * {@link #VERDICTS} holds its verdicts in file order ({@link VerdictBlocks}), kind
 * {@link #DIRECTORY} the counts its pages start from, and the kinds in between its page orders
 * ({@link VerdictOrders#kind}).
 */
final class BlockTable {

    static final int VERDICTS = 0;
    static final int DIRECTORY = 100;
    /** Verdict blocks read per query when walking an analysis. */
    static final int BLOCKS_PER_READ = 8;

    static final String INSERT = "INSERT INTO verdict_block (analysis_id, kind, block_no, data) VALUES (?, ?, ?, ?)";

    private BlockTable() {
    }

    /** Adds one block of verdicts, {@code from} to {@code to} of {@code batch}, to a prepared {@link #INSERT}. */
    static void addVerdictBlock(PreparedStatement insert, long analysisId, int blockNo, List<Verdict> batch, int from, int to)
            throws SQLException {
        addVerdictBlock(insert, new VerdictBlocks.Encoder(), analysisId, blockNo, batch, from, to);
    }

    /** {@link #addVerdictBlock(PreparedStatement, long, int, List, int, int)}, encoding with {@code encoder}. */
    static void addVerdictBlock(PreparedStatement insert, VerdictBlocks.Encoder encoder, long analysisId, int blockNo,
                                List<Verdict> batch, int from, int to) throws SQLException {
        insert.setLong(1, analysisId);
        insert.setInt(2, VERDICTS);
        insert.setInt(3, blockNo);
        insert.setBytes(4, encoder.encode(batch, from, to));
        insert.addBatch();
    }

    /** One block, or null when there is none. */
    static byte[] block(Connection c, long id, int kind, int blockNo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM verdict_block WHERE analysis_id = ? AND kind = ? AND block_no = ?")) {
            ps.setLong(1, id);
            ps.setInt(2, kind);
            ps.setInt(3, blockNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** Verdicts stored for an analysis: the full blocks before its last block, plus that block's count. */
    static long storedVerdicts(Connection c, long id) throws SQLException {
        // The ORDER BY names every key column so that H2 walks the key backwards; ordered by
        // block_no alone it reads and sorts every block of the analysis, data and all.
        try (PreparedStatement ps = c.prepareStatement("SELECT block_no, data FROM verdict_block WHERE analysis_id = ? AND kind = "
                + VERDICTS + " ORDER BY analysis_id DESC, kind DESC, block_no DESC LIMIT 1")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (long) rs.getInt(1) * VerdictBlocks.SIZE + VerdictBlocks.count(rs.getBytes(2)) : 0;
            }
        }
    }

    interface BlockAction {
        void accept(int blockNo, byte[] block);
    }

    /** Up to {@link #BLOCKS_PER_READ} verdict blocks of an analysis from block {@code from} on, in order. */
    static void readBlocks(Connection c, long id, int from, BlockAction action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEXT_BLOCKS)) {
            ps.setLong(1, id);
            ps.setInt(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    action.accept(rs.getInt(1), rs.getBytes(2));
                }
            }
        }
    }

    /** Hands over the verdict blocks of an analysis in order, reading {@link #BLOCKS_PER_READ} at a time. */
    static void forEachBlock(Connection c, long id, Consumer<byte[]> action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEXT_BLOCKS)) {
            int next = 0;
            while (true) {
                ps.setLong(1, id);
                ps.setInt(2, next);
                int read = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        next = rs.getInt(1) + 1;
                        read++;
                        action.accept(rs.getBytes(2));
                    }
                }
                if (read < BLOCKS_PER_READ) {
                    return;
                }
            }
        }
    }

    // Every key column in the ORDER BY: H2 then reads the key in order and stops after the
    // limit; ordered by block_no alone it would read and sort all the remaining blocks each time.
    private static final String NEXT_BLOCKS = "SELECT block_no, data FROM verdict_block WHERE analysis_id = ? AND kind = "
            + VERDICTS + " AND block_no >= ? ORDER BY analysis_id, kind, block_no LIMIT " + BLOCKS_PER_READ;
}
