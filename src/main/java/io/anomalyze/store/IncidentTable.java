package io.anomalyze.store;

import io.anomalyze.detect.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The incidents of each analysis, one row each, read highest severity first, then largest.
 * Rows go with their analysis: the foreign key deletes them when the analysis is deleted.
 */
final class IncidentTable {

    /** The migration that creates the table. */
    static final List<String> SCHEMA = List.of("""
            CREATE TABLE incident (
              analysis_id BIGINT NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
              seq INT NOT NULL,
              src_address VARCHAR(64) NOT NULL,
              dst_address VARCHAR(64) NOT NULL,
              class_name VARCHAR(255) NOT NULL,
              first_micros BIGINT NOT NULL,
              last_micros BIGINT NOT NULL,
              flows BIGINT NOT NULL,
              bytes BIGINT NOT NULL,
              packets BIGINT NOT NULL,
              distinct_ports INT NOT NULL,
              min_port INT NOT NULL,
              max_port INT NOT NULL,
              severity TINYINT NOT NULL,
              first_line BIGINT NOT NULL,
              PRIMARY KEY (analysis_id, seq)
            )""",
            "CREATE INDEX incident_rank ON incident(analysis_id, severity DESC, flows DESC, first_line)");

    private IncidentTable() {
    }

    /** Appends incidents after the {@code already} stored ones, in one batch. */
    static void insert(Connection c, long analysisId, long already, List<Incident> incidents) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long seq = already;
            for (Incident i : incidents) {
                ps.setLong(1, analysisId);
                ps.setLong(2, seq++);
                ps.setString(3, i.srcAddress());
                ps.setString(4, i.dstAddress());
                ps.setString(5, truncate(i.className()));
                ps.setLong(6, i.firstMicros());
                ps.setLong(7, i.lastMicros());
                ps.setLong(8, i.flows());
                ps.setLong(9, i.bytes());
                ps.setLong(10, i.packets());
                ps.setInt(11, i.distinctPorts());
                ps.setInt(12, i.minPort());
                ps.setInt(13, i.maxPort());
                ps.setInt(14, i.highestSeverity().ordinal());
                ps.setLong(15, i.firstLine());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A page of an analysis's incidents, highest severity first, then most flows, then earliest in the file. */
    static Page<Incident> page(Connection c, long analysisId, int limit, long offset) throws SQLException {
        long total;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM incident WHERE analysis_id = ?")) {
            ps.setLong(1, analysisId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<Incident> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM incident WHERE analysis_id = ?"
                + " ORDER BY severity DESC, flows DESC, first_line LIMIT ? OFFSET ?")) {
            ps.setLong(1, analysisId);
            ps.setInt(2, limit);
            ps.setLong(3, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Incident(rs.getString("src_address"), rs.getString("dst_address"), rs.getString("class_name"),
                            rs.getLong("first_micros"), rs.getLong("last_micros"), rs.getLong("flows"), rs.getLong("bytes"),
                            rs.getLong("packets"), rs.getInt("distinct_ports"), rs.getInt("min_port"), rs.getInt("max_port"),
                            Severity.values()[rs.getInt("severity")], rs.getLong("first_line")));
                }
            }
        }
        return new Page<>(items, total, limit, offset);
    }

    private static String truncate(String s) {
        return s.length() <= 255 ? s : s.substring(0, 255);
    }
}
