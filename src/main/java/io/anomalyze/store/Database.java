package io.anomalyze.store;

import io.anomalyze.store.AnalysisStore.FileUse;
import io.anomalyze.store.AnalysisStore.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 database file and its connection pool: every call of the store runs through
 * {@link #sql}, which reopens a database that an error closed, and {@link #compactIfSparse}
 * gives the space of deleted analyses back to the file system.
 */
final class Database implements AutoCloseable {

    /** The file is compacted when less than this share of it holds live data. */
    static final int COMPACT_BELOW_FILL_PERCENT = 60;
    /** Files smaller than this are never worth compacting. */
    private static final long COMPACT_MIN_FILE_BYTES = 4L << 20;
    /** H2 errors after which the database is closed, or its file no longer written: reopen it. */
    private static final Set<Integer> FATAL = Set.of(
            ErrorCode.DATABASE_IS_CLOSED, ErrorCode.OUT_OF_MEMORY,
            ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, ErrorCode.IO_EXCEPTION_1,
            ErrorCode.IO_EXCEPTION_2, ErrorCode.FILE_CORRUPTED_1, ErrorCode.GENERAL_ERROR_1);
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Work done on one pooled connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final String url;
    private final Path file;
    private volatile JdbcConnectionPool pool;
    /**
     * Every database call holds the read side; compaction, which closes and reopens the file,
     * takes the write side only when nothing else is using the database.
     */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean deletedSinceCompaction;

    private Database(String url, Path file) {
        this.url = url;
        this.file = file;
        this.pool = newPool(url);
    }

    /** The database in {@code dataDir}, created when there is none. */
    static Database in(Path dataDir) {
        // WRITE_DELAY=0: a commit reaches the file before it returns, so an analysis the API has
        // answered for survives the process being killed right after.
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("anomalyze").toString().replace('\\', '/')
                + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
        return new Database(url, dataDir.resolve("anomalyze.mv.db"));
    }

    private static JdbcConnectionPool newPool(String url) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "anomalyze", "");
        pool.setMaxConnections(16);
        return pool;
    }

    /**
     * Runs {@code work} on a pooled connection. An error that leaves H2's database closed (such
     * as running out of memory inside it) reopens the database for the calls that follow, so the
     * service recovers instead of answering every request with an error until restarted; a call
     * that finds the database closed before its work began is run again once on the reopened one.
     */
    <T> T sql(Work<T> work) {
        gate.readLock().lock();
        try {
            for (int attempt = 0; ; attempt++) {
                JdbcConnectionPool p = pool;
                Connection c;
                try {
                    c = p.getConnection();
                } catch (SQLException e) {
                    if (attempt == 0 && fatal(e) && reopen(p, e)) {
                        continue;
                    }
                    throw new StoreException(e);
                }
                try (c) {
                    return work.run(c);
                } catch (SQLException e) {
                    if (fatal(e)) {
                        reopen(p, e);
                    }
                    throw new StoreException(e);
                }
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    private static boolean fatal(SQLException e) {
        return e instanceof SQLNonTransientConnectionException || FATAL.contains(e.getErrorCode());
    }

    /** Replaces the pool {@code broken} (unless another call already did) and checks the database answers. */
    private synchronized boolean reopen(JdbcConnectionPool broken, SQLException cause) {
        if (pool == broken) {
            LOG.warn("the database failed ({}); reopening it", cause.getMessage());
            broken.dispose();
            pool = newPool(url);
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            LOG.error("the database could not be reopened: {}", e.getMessage());
            return false;
        }
    }

    /** Null while the database answers; otherwise why it does not. */
    String problem() {
        try {
            sql(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
                    rs.next();
                }
                return null;
            });
            return null;
        } catch (StoreException e) {
            return e.getMessage();
        }
    }

    FileUse fileUse() {
        return sql(c -> {
            long bytes = 0;
            int fill = 100;
            int chunksFill = 100;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE"
                    + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('info.FILE_SIZE', 'info.FILL_RATE', 'info.CHUNKS_FILL_RATE')")) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "info.FILE_SIZE" -> bytes = Long.parseLong(rs.getString(2));
                        case "info.FILL_RATE" -> fill = Integer.parseInt(rs.getString(2));
                        default -> chunksFill = Integer.parseInt(rs.getString(2));
                    }
                }
            }
            return new FileUse(bytes, fill * chunksFill / 100);
        });
    }

    /** Notes that an analysis's data was removed, which may leave the file worth compacting. */
    void noteDeleted() {
        deletedSinceCompaction = true;
    }

    boolean deletedSinceCompaction() {
        return deletedSinceCompaction;
    }

    /**
     * Compacts the file when less than {@link #COMPACT_BELOW_FILL_PERCENT} % of it holds live
     * data: H2 rewrites the live data into a new file ({@code SHUTDOWN COMPACT}) and the database
     * is opened again. Runs only when no other call is using the database, and skips otherwise.
     *
     * @return the file's size before and after, or null when nothing was done
     */
    long[] compactIfSparse() {
        if (!gate.writeLock().tryLock()) {
            return null;
        }
        try {
            FileUse use = fileUse();
            if (use.bytes() < COMPACT_MIN_FILE_BYTES || use.livePercent() >= COMPACT_BELOW_FILL_PERCENT) {
                return null;
            }
            deletedSinceCompaction = false;
            long started = System.nanoTime();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                throw new StoreException(e);
            } finally {
                pool.dispose();
                pool = newPool(url);
            }
            long after = fileUse().bytes();
            LOG.info("compacted {} from {} MB ({} % live) to {} MB in {} ms", file.getFileName(), use.bytes() >> 20,
                    use.livePercent(), after >> 20, (System.nanoTime() - started) / 1_000_000);
            return new long[] {use.bytes(), after};
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
