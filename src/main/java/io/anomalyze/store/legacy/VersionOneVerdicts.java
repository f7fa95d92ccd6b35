package io.anomalyze.store.legacy;

import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the verdicts of schema version 1, where every verdict was a row of the {@code verdict}
 * table, and hands them to the current store in blocks. Kept for as long as a data directory of
 * that version may still be opened: it is the only code that knows that table.
 */
public final class VersionOneVerdicts {

    /** Where converted verdicts go: the current store's block table and page orders. */
    public interface Target {
        /** Removes whatever an earlier, interrupted conversion stored. */
        void clear(Connection c) throws SQLException;

        /** Stores one block of an analysis's verdicts, in file order. */
        void writeBlock(Connection c, long analysisId, int blockNo, List<Verdict> verdicts) throws SQLException;

        /** Called once all of an analysis's verdicts are written. */
        void finish(Connection c, long analysisId) throws SQLException;
    }

    private static final String COLUMNS = "line_no, anomalous, severity, score, confidence, predicted_class, label, top_features,"
            + " features, probabilities";

    private VersionOneVerdicts() {
    }

    /**
     * Rewrites the verdicts of each finished analysis in blocks of {@code blockSize}; those of any
     * other analysis are dropped, as its status already says. H2 commits at each schema change,
     * so a conversion cut short is started again from the rows of version 1, or skipped once they
     * are gone.
     */
    public static void convert(Connection c, int blockSize, Target target) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "VERDICT", null)) {
            if (!rs.next()) {
                return;
            }
        }
        target.clear(c);
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM analysis WHERE status = 'done' ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        try (PreparedStatement read = c.prepareStatement("SELECT " + COLUMNS + " FROM verdict WHERE analysis_id = ? ORDER BY seq")) {
            for (long id : ids) {
                read.setFetchSize(1000);
                read.setLong(1, id);
                List<Verdict> block = new ArrayList<>(blockSize);
                int blockNo = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (true) {
                        boolean more = rs.next();
                        if (more) {
                            block.add(verdict(rs));
                        }
                        if (block.size() == blockSize || (!more && !block.isEmpty())) {
                            target.writeBlock(c, id, blockNo++, block);
                            block.clear();
                        }
                        if (!more) {
                            break;
                        }
                    }
                }
                target.finish(c, id);
            }
        }
    }

    private static Verdict verdict(ResultSet rs) throws SQLException {
        return new Verdict(rs.getLong("line_no"), rs.getBoolean("anomalous"), Severity.values()[rs.getInt("severity")],
                rs.getDouble("score"), rs.getFloat("confidence"), rs.getString("predicted_class"), rs.getString("label"),
                CompactText.readTopFeatures(rs.getString("top_features")),
                CompactText.readStrings(rs.getString("features")),
                CompactText.readFloats(rs.getString("probabilities")));
    }
}
