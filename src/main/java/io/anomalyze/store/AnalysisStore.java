package io.anomalyze.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses and their per-record verdicts in an embedded H2 database file, through plain JDBC.
 * This class is the store's one entry point and says in what order its parts act; each part
 * does one job: {@link Database} (the file, its pool, recovery and compaction),
 * {@link SchemaMigrations}, {@link AnalysisTable} (analysis rows), {@link VerdictBlockWriter}
 * (verdicts in blocks of {@link #BLOCK_VERDICTS} in file order, one row per block, and the page
 * orders built when an analysis finishes), {@link RecordPages} (pages and exports),
 * {@link VerdictPurge} (removing blocks a few at a time) and {@link IncidentTable}.
 */
public final class AnalysisStore implements AutoCloseable {

    /** Verdicts per stored block; {@link #appendVerdicts} takes them from a multiple of this on. */
    public static final int BLOCK_VERDICTS = VerdictBlocks.SIZE;
    /** The file is compacted when less than this share of it holds live data. */
    public static final int COMPACT_BELOW_FILL_PERCENT = Database.COMPACT_BELOW_FILL_PERCENT;
    /**
     * The restart rule: an analysis a stopped service left unfinished is failed with this reason
     * (at the next start, or by the stopping service itself) and its verdicts removed.
     */
    public static final String INTERRUPTED = "the service stopped before this analysis finished; upload the file again";
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisStore.class);

    private final Database db;
    private final VerdictBlockWriter writer;
    private final RecordPages pages;
    private final VerdictPurge purge;

    private AnalysisStore(Database db) {
        this.db = db;
        this.writer = new VerdictBlockWriter(db);
        this.pages = new RecordPages(db);
        this.purge = new VerdictPurge(db);
    }

    /**
     * Opens (creating when needed) the database in {@code dataDir}, brings its schema up to date
     * and marks analyses that a stopped service left running as failed.
     */
    public static AnalysisStore open(Path dataDir) throws IOException {
        DataDirectory.prepare(dataDir);
        AnalysisStore store = new AnalysisStore(Database.in(dataDir));
        try {
            store.db.sql(c -> {
                SchemaMigrations.migrate(c, store.writer);
                return null;
            });
            store.failInterrupted();
            store.purge.purgePending();
            store.db.compactIfSparse();
        } catch (RuntimeException e) {
            store.db.close();
            throw e;
        }
        return store;
    }

    /** Current schema version: the number of migrations applied. */
    public int schemaVersion() {
        return db.sql(SchemaMigrations::version);
    }

    /** An analysis still marked running at start belongs to a service that stopped mid-way. */
    private void failInterrupted() {
        db.sql(c -> {
            c.setAutoCommit(false);
            for (long id : AnalysisTable.running(c)) {
                markFailed(c, id, INTERRUPTED);
            }
            c.commit();
            return null;
        });
    }

    /** Records a new analysis as running, with the domain of the model that makes it, and returns its id. */
    public long create(String fileName, long sizeBytes, ModelDomain domain) {
        return db.sql(c -> AnalysisTable.create(c, fileName, sizeBytes, domain));
    }

    /**
     * Stores verdicts in one transaction; {@code firstSeq} numbers them in file order and is a
     * multiple of {@link #BLOCK_VERDICTS}. Only the last call of an analysis may store a number
     * of verdicts that is not such a multiple.
     */
    public void appendVerdicts(long analysisId, long firstSeq, List<Verdict> batch) {
        writer.append(analysisId, firstSeq, batch);
    }

    /** The totals of a finished analysis; it becomes {@code done} in the same transaction. */
    public record Totals(long records, long skipped, long anomalies, boolean labelled, long[] severityCounts,
                         Map<String, Long> classCounts, ObjectNode metrics, ObjectNode roc, List<String> notes) {
    }

    /**
     * Builds the page orders of the stored verdicts and marks the analysis done with its totals.
     * The orders go in over many small transactions (one large one would hold them all in
     * memory); the directory that pages read first and the status go in one last transaction,
     * so until it commits the analysis is running and shows no verdicts. An analysis that stopped
     * running meanwhile (deleted or failed) has what was written removed again.
     */
    public void finish(long id, Totals t) {
        VerdictOrders.Keys keys = writer.takeKeys(id);
        boolean marked = db.sql(c -> {
            c.setAutoCommit(false);
            try {
                VerdictBlockWriter.storeOrders(c, id, keys);
                if (!AnalysisTable.markDone(c, id, t)) {
                    c.rollback();
                    return false;
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        });
        if (!marked) {
            purge.queue(id);
            purge.purge(id);
        }
    }

    /**
     * Marks an analysis failed with a reason and drops the verdicts it had stored so far. Tried
     * twice: this records why an analysis ended, and the first try may be the one that finds
     * the database closed by the error that ended it (the store then reopens it).
     */
    public void fail(long id, String reason) {
        writer.forget(id);
        try {
            failOnce(id, reason);
        } catch (StoreException first) {
            LOG.warn("marking analysis {} failed: {}; trying again", id, first.getMessage());
            failOnce(id, reason);
        }
    }

    private void failOnce(long id, String reason) {
        db.sql(c -> {
            c.setAutoCommit(false);
            markFailed(c, id, reason);
            c.commit();
            return null;
        });
        purge.purge(id);
    }

    /** Marks the analysis failed and queues its blocks for removal, in the caller's transaction. */
    private static void markFailed(Connection c, long id, String reason) throws SQLException {
        VerdictPurge.queue(c, id);
        AnalysisTable.markFailed(c, id, reason);
    }

    /**
     * Deletes an analysis and its verdicts; false when there was none. The analysis row goes at
     * once, in the transaction that queues its blocks for removal; the blocks then go a few at a
     * time ({@link VerdictPurge}), so memory and the database's undo stay small however large
     * the analysis.
     */
    public boolean delete(long id) {
        writer.forget(id);
        pages.forget(id);
        boolean existed = db.sql(c -> {
            c.setAutoCommit(false);
            try {
                VerdictPurge.queue(c, id);
                boolean deleted = AnalysisTable.delete(c, id);
                c.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        });
        purge.purge(id);
        return existed;
    }

    /** Stores incidents of a running analysis after the {@code already} stored ones. */
    public void addIncidents(long analysisId, long already, List<Incident> incidents) {
        db.sql(c -> {
            IncidentTable.insert(c, analysisId, already, incidents);
            return null;
        });
    }

    /** A page of the analysis's incidents, highest severity first, then most flows. */
    public Page<Incident> incidents(long analysisId, int limit, long offset) {
        return db.sql(c -> IncidentTable.page(c, analysisId, limit, offset));
    }

    /** Stores the analysis's timeline (JSON), or clears it. */
    public void saveTimeline(long analysisId, ObjectNode timeline) {
        db.sql(c -> {
            AnalysisTable.saveTimeline(c, analysisId, timeline);
            return null;
        });
    }

    /** The analysis's timeline as stored, or null when its records had no times. */
    public ObjectNode timeline(long analysisId) {
        return db.sql(c -> AnalysisTable.timeline(c, analysisId));
    }

    public Optional<AnalysisSummary> find(long id) {
        return db.sql(c -> AnalysisTable.find(c, id));
    }

    /** Analyses, newest first. */
    public Page<AnalysisSummary> list(int limit, long offset) {
        return db.sql(c -> AnalysisTable.list(c, limit, offset));
    }

    /** A page of an analysis's verdicts for a filter and sort; an analysis that is not done shows none. */
    public Page<Verdict> records(AnalysisSummary analysis, RecordQuery q) {
        return pages.records(analysis, q);
    }

    /** Streams every verdict of an analysis in file order, in bounded memory (see {@link RecordPages#forEachVerdict}). */
    public void forEachVerdict(long analysisId, Consumer<Verdict> action) {
        pages.forEachVerdict(analysisId, action);
    }

    /** Null while the database answers; otherwise why it does not (for the health check). */
    public String problem() {
        return db.problem();
    }

    /**
     * The database file's size and the share of it that holds live data: the share of the file
     * taken by chunks ({@code info.FILL_RATE}) times the share of live pages in those chunks
     * ({@code info.CHUNKS_FILL_RATE}); deleted data leaves chunks that hold few live pages.
     */
    public record FileUse(long bytes, int livePercent) {
    }

    public FileUse fileUse() {
        return db.fileUse();
    }

    /** True when analyses were deleted or failed since the file was last compacted. */
    public boolean deletedSinceCompaction() {
        return db.deletedSinceCompaction();
    }

    /**
     * Gives the space of deleted analyses back to the file system when less than
     * {@link #COMPACT_BELOW_FILL_PERCENT} % of the file holds live data (see {@link FileUse}).
     * Runs only when no other call is using the database, and skips otherwise.
     *
     * @return the file's size before and after, or null when nothing was done
     */
    public long[] compactIfSparse() {
        return db.compactIfSparse();
    }

    @Override
    public void close() {
        db.close();
    }

    /** A database failure: the service's fault, never the user's. */
    public static final class StoreException extends RuntimeException {
        StoreException(SQLException cause) {
            super("database error: " + cause.getMessage(), cause);
        }
    }
}
