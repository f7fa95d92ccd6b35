package io.anomalyze.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the blocks of deleted and failed analyses a few at a time, so memory and the
 * database's undo stay small however large the analysis. An analysis is queued in the
 * transaction that deletes or fails it; blocks a stopped service left queued are removed at the
 * next start.
 */
final class VerdictPurge {

    /** Blocks removed per transaction: a few MB of undo at most. */
    static final int PURGE_BLOCKS = 8;

    private final Database db;

    VerdictPurge(Database db) {
        this.db = db;
    }

    /** Queues the analysis's blocks for removal, in the caller's transaction. */
    static void queue(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO verdict_purge (analysis_id) KEY (analysis_id) VALUES (?)")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    void queue(long id) {
        db.sql(c -> {
            queue(c, id);
            return null;
        });
    }

    /** Removes the blocks of a queued analysis, {@link #PURGE_BLOCKS} per transaction, then takes it off the queue. */
    void purge(long id) {
        int removed;
        do {
            removed = db.sql(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM verdict_block WHERE analysis_id = ? FETCH FIRST "
                        + PURGE_BLOCKS + " ROWS ONLY")) {
                    ps.setLong(1, id);
                    return ps.executeUpdate();
                }
            });
        } while (removed == PURGE_BLOCKS);
        db.sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM verdict_purge WHERE analysis_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return null;
        });
        db.noteDeleted();
    }

    /** Finishes the removals a stopped service left queued. */
    void purgePending() {
        List<Long> ids = db.sql(c -> {
            List<Long> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT analysis_id FROM verdict_purge ORDER BY analysis_id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
        ids.forEach(this::purge);
    }
}
