package io.anomalyze.store;

import static io.anomalyze.store.JsonColumns.json;
import static io.anomalyze.store.JsonColumns.read;
import static io.anomalyze.store.JsonColumns.truncate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.kmeans.KMeansModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The {@code analysis} table: one row per analysis with its status, its model's domain, its
 * totals and timeline, read back as {@link AnalysisSummary}. Every method works in the
 * caller's connection and transaction.
 */
final class AnalysisTable {

    private AnalysisTable() {
    }

    /** Inserts a running analysis made by the model of {@code domain}; returns its id. */
    static long create(Connection c, String fileName, long sizeBytes, ModelDomain domain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO analysis (file_name, size_bytes, detector, model, status, created_at, severity_counts, feature_names,"
                        + " model_name, model_sha256, class_names, benign_class)"
                        + " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, truncate(fileName, 255));
            ps.setLong(2, sizeBytes);
            ps.setString(3, domain.kind());
            ps.setString(4, truncate(domain.modelFile(), 255));
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.setString(6, json(new long[Severity.values().length]));
            ps.setString(7, json(domain.featureNames()));
            ps.setString(8, truncate(domain.name(), 255));
            ps.setString(9, domain.sha256());
            ps.setString(10, json(domain.classNames()));
            ps.setString(11, truncate(domain.benignClass(), 255));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Marks a running analysis done with its totals; false when it was no longer running. */
    static boolean markDone(Connection c, long id, AnalysisStore.Totals t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE analysis SET status = 'done', finished_at = ?, record_count = ?,"
                + " skipped = ?, anomalies = ?, labelled = ?, severity_counts = ?, class_counts = ?, metrics = ?, roc = ?, notes = ?"
                + " WHERE id = ? AND status = 'running'")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setLong(2, t.records());
            ps.setLong(3, t.skipped());
            ps.setLong(4, t.anomalies());
            ps.setBoolean(5, t.labelled());
            ps.setString(6, json(t.severityCounts()));
            ps.setString(7, json(t.classCounts()));
            ps.setString(8, t.metrics() == null ? null : json(t.metrics()));
            ps.setString(9, t.roc() == null ? null : json(t.roc()));
            ps.setString(10, json(t.notes()));
            ps.setLong(11, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Marks the analysis failed with a reason and no results. */
    static void markFailed(Connection c, long id, String reason) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE analysis SET status = 'failed', error = ?, finished_at = ?,"
                + " record_count = 0, anomalies = 0, severity_counts = ? WHERE id = ?")) {
            up.setString(1, truncate(reason, 4000));
            up.setTimestamp(2, Timestamp.from(Instant.now()));
            up.setString(3, json(new long[Severity.values().length]));
            up.setLong(4, id);
            up.executeUpdate();
        }
    }

    /** The analyses marked running. */
    static List<Long> running(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM analysis WHERE status = 'running'")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Deletes the analysis's row (its incidents go with it); false when there was none. */
    static boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement a = c.prepareStatement("DELETE FROM analysis WHERE id = ?")) {
            a.setLong(1, id);
            return a.executeUpdate() > 0;
        }
    }

    static Optional<AnalysisSummary> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM analysis WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
            }
        }
    }

    /** Analyses, newest first. */
    static Page<AnalysisSummary> list(Connection c, int limit, long offset) throws SQLException {
        long total;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM analysis")) {
            rs.next();
            total = rs.getLong(1);
        }
        List<AnalysisSummary> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM analysis ORDER BY id DESC LIMIT ? OFFSET ?")) {
            ps.setInt(1, limit);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(summary(rs));
                }
            }
        }
        return new Page<>(items, total, limit, offset);
    }

    /** Stores the analysis's timeline (JSON), or clears it. */
    static void saveTimeline(Connection c, long id, ObjectNode timeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE analysis SET timeline = ? WHERE id = ?")) {
            ps.setString(1, timeline == null ? null : json(timeline));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** The analysis's timeline as stored, or null. */
    static ObjectNode timeline(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT timeline FROM analysis WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs.getString(1), new TypeReference<ObjectNode>() { }, null) : null;
            }
        }
    }

    private static AnalysisSummary summary(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        String kind = rs.getString("detector");
        ModelDomain domain = new ModelDomain(kind, rs.getString("model_name"),
                read(rs.getString("feature_names"), new TypeReference<List<String>>() { }, List.of()),
                read(rs.getString("class_names"), new TypeReference<List<String>>() { }, List.of()),
                rs.getString("benign_class"), !KMeansModel.KIND.equals(kind), rs.getString("model"), rs.getString("model_sha256"));
        return new AnalysisSummary(rs.getLong("id"), rs.getString("file_name"), rs.getLong("size_bytes"),
                domain, AnalysisStatus.of(rs.getString("status")),
                rs.getString("error"), rs.getTimestamp("created_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getLong("record_count"), rs.getLong("skipped"), rs.getLong("anomalies"), rs.getBoolean("labelled"),
                read(rs.getString("severity_counts"), new TypeReference<long[]>() { }, new long[Severity.values().length]),
                read(rs.getString("class_counts"), new TypeReference<LinkedHashMap<String, Long>>() { }, new LinkedHashMap<>()),
                read(rs.getString("metrics"), new TypeReference<ObjectNode>() { }, null),
                read(rs.getString("roc"), new TypeReference<ObjectNode>() { }, null),
                read(rs.getString("notes"), new TypeReference<List<String>>() { }, List.of()));
    }
}
