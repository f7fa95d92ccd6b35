package io.anomalyze.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.ScanResult;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.evaluate.Evaluation;
import io.anomalyze.evaluate.Evaluations;
import io.anomalyze.read.BadRow;
import io.anomalyze.read.TrafficInput;
import io.anomalyze.read.TrafficLayout;
import io.anomalyze.store.AnalysisStatus;
import io.anomalyze.store.AnalysisStore;
import io.anomalyze.store.AnalysisSummary;
import io.anomalyze.store.Incident;
import io.anomalyze.store.Page;
import io.anomalyze.store.RecordQuery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs analyses: an uploaded file is recognised (layout, detector), recorded as running, then
 * streamed through its detector on a bounded pool while verdicts are stored batch by batch and
 * counted. Labelled files are evaluated on the way. A full service says so (503) before reading a
 * byte of an upload's body, but the slot is taken only once the body is in: a slow client holds
 * none while it sends.
 */
public final class AnalysisService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisService.class);
    private static final int ROC_POINTS = 200;
    private static final int NOTED_BAD_ROWS = 20;
    /**
     * The folder of the data directory that uploads are spooled to while they arrive and are
     * analysed (named so it cannot be taken for the sample traffic files of {@code uploads/}).
     */
    public static final String SPOOL_DIR = "incoming";
    private static final int DISK_CHECK_BATCHES = 8;
    /** How often an idle service checks whether deletions left the database file worth compacting. */
    static final long COMPACT_CHECK_SECONDS = 30;

    private final DetectorRegistry registry;
    private final AnalysisStore store;
    private final AnalysisSettings settings;
    private final Path uploadDir;
    private final ExecutorService pool;
    private final Semaphore slots;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer analysisTimer;
    private volatile boolean closing;
    private final java.util.concurrent.ScheduledExecutorService compaction;

    public AnalysisService(DetectorRegistry registry, AnalysisStore store, AnalysisSettings settings, Path uploadDir,
                           MeterRegistry meters) throws IOException {
        this.registry = registry;
        this.store = store;
        this.settings = settings;
        this.uploadDir = Files.createDirectories(uploadDir);
        this.meters = meters;
        this.slots = new Semaphore(settings.threads() + settings.queueCapacity());
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.queueCapacity() + 1), r -> {
                    Thread t = new Thread(r, "analysis-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.analysisTimer = Timer.builder("anomalyze.analysis.duration").description("time to analyse an upload").register(meters);
        meters.gauge("anomalyze.analyses.running", running, Map::size);
        cleanUploads();
        this.compaction = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "database-compaction");
            t.setDaemon(true);
            return t;
        });
        compaction.scheduleWithFixedDelay(this::compactWhenIdle, COMPACT_CHECK_SECONDS, COMPACT_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Deleted analyses leave free pages inside the database file; once no analysis is running,
     * the file is compacted so the space goes back to the disk (the store skips it while any
     * request is using the database, and when most of the file is still live).
     */
    void compactWhenIdle() {
        if (!running.isEmpty() || closing || !store.deletedSinceCompaction()) {
            return;
        }
        try {
            store.compactIfSparse();
        } catch (RuntimeException e) {
            LOG.warn("compacting the database failed: {}", e.getMessage());
        }
    }

    /** Leftover upload files of a stopped service belong to analyses already marked failed. */
    private void cleanUploads() throws IOException {
        try (var files = Files.list(uploadDir)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(".upload")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public AnalysisSettings settings() {
        return settings;
    }

    /**
     * Takes an analysis slot and names the file the upload goes to (never the client's name).
     *
     * @throws AnalysisQueueFullException when every slot is taken
     */
    public Reservation reserve() {
        return reserve(newUploadFile());
    }

    /**
     * Takes an analysis slot for a file already received into {@link #newUploadFile()}; closing
     * the reservation unstarted deletes the file.
     *
     * @throws AnalysisQueueFullException when every slot is taken
     */
    public Reservation reserve(Path received) {
        if (!slots.tryAcquire()) {
            meters.counter("anomalyze.analyses.refused").increment();
            throw queueFull();
        }
        return new Reservation(received);
    }

    /** 503 now when every slot is taken, so a client is not made to send a body that would be refused. */
    public void requireFreeSlot() {
        if (slots.availablePermits() == 0) {
            meters.counter("anomalyze.analyses.refused").increment();
            throw queueFull();
        }
    }

    private AnalysisQueueFullException queueFull() {
        return new AnalysisQueueFullException(settings.threads() + settings.queueCapacity(), 10);
    }

    /** A file in the upload directory, named by the service (never by the client), for an upload to be received into. */
    public Path newUploadFile() {
        return uploadDir.resolve(UUID.randomUUID() + ".upload");
    }

    /** A held slot and the file its upload is written to; closing an unstarted one frees both. */
    public final class Reservation implements AutoCloseable {
        private final Path file;
        private boolean started;
        private long id;
        private Running task;

        private Reservation(Path file) {
            this.file = file;
        }

        public Path file() {
            return file;
        }

        /**
         * Recognises the saved upload, records it and queues its analysis.
         *
         * @param clientName the name the client gave the file, for display only
         * @param detector   "auto", "kmeans", "mlp" or null
         * @throws InvalidInputException when the layout is unknown or its model is not loaded
         */
        public AnalysisSummary start(String clientName, String detector) throws IOException {
            String name = displayName(clientName);
            long size = Files.size(file);
            TrafficLayout layout;
            TrafficInput.checkInflation(file, name, settings.limits());
            try (InputStream in = new BufferedInputStream(TrafficInput.open(Files.newInputStream(file), name, settings.limits()),
                    TrafficLayout.SNIFF_BYTES + 1)) {
                layout = TrafficLayout.sniff((BufferedInputStream) in, name);
            } catch (InvalidInputException e) {
                if (!e.isLimitExceeded()) {
                    refuseOverlongFirstLine(file, name);
                }
                throw e;
            }
            DetectorRegistry.LoadedModel model = registry.choose(layout, detector, name);
            long id = store.create(name, size, model.detector().domain());
            Running r = new Running(size);
            running.put(id, r);
            started = true;
            this.id = id;
            this.task = r;
            pool.execute(() -> run(id, name, file, model.detector(), r));
            meters.counter("anomalyze.analyses.started", "detector", model.detector().kind()).increment();
            return current(id);
        }

        /**
         * Waits up to {@code timeout} for the started analysis and returns it as it then stands.
         * An analysis refused for its input within that time is deleted and the refusal thrown,
         * so a bad upload leaves nothing stored.
         */
        public AnalysisSummary awaitResult(Duration timeout) throws InterruptedException {
            if (!started) {
                throw new IllegalStateException("the analysis was not started");
            }
            try {
                task.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return current(id);
            }
            if (task.invalidInput != null) {
                store.delete(id);
                throw task.invalidInput;
            }
            return current(id);
        }

        @Override
        public void close() throws IOException {
            if (!started) {
                slots.release();
                Files.deleteIfExists(file);
            }
        }
    }

    /** The analysis as stored now; someone may have deleted it the moment it ended. */
    private AnalysisSummary current(long id) {
        return store.find(id).orElseThrow(() -> new AnalysisDeletedException(id));
    }

    /**
     * A file whose start fits no layout may be one endless line: that is named as the line-length
     * limit it breaks rather than as an unknown layout. Reads at most the limit, in constant memory.
     */
    private void refuseOverlongFirstLine(Path file, String name) throws IOException {
        int max = settings.limits().maxLineBytes();
        byte[] buf = new byte[1 << 16];
        long seen = 0;
        try (InputStream in = TrafficInput.open(Files.newInputStream(file), name, settings.limits())) {
            int n;
            while (seen <= max && (n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        seen += i;
                        if (seen <= max) {
                            return;
                        }
                        break;
                    }
                }
                seen += n;
            }
        } catch (InvalidInputException e) {
            return;
        }
        if (seen > max) {
            throw InvalidInputException.limit(name + ": line 1 is longer than the limit of " + max + " bytes");
        }
    }

    /**
     * The last path segment of a client's file name, trimmed to something displayable: control
     * characters (C0 and C1) and invisible format characters (right-to-left overrides and other
     * bidirectional controls, zero-width characters) are removed, as they can make a name read as
     * something it is not.
     */
    static String displayName(String clientName) {
        String n = clientName == null ? "" : clientName;
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1).strip();
        n = n.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", "").strip();
        if (n.isEmpty()) {
            n = "upload";
        }
        return n.length() > 200 ? n.substring(0, 200) : n;
    }

    private void run(long id, String name, Path file, Detector detector, Running r) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "failed";
        VerdictWriter writer = new VerdictWriter(store, id);
        try (writer;
             InputStream raw = new CountingStream(Files.newInputStream(file), r.bytesRead);
             InputStream in = TrafficInput.open(raw, name, settings.limits())) {
            Evaluation evaluation = Evaluations.forDetector(detector);
            long[] severityCounts = new long[Severity.values().length];
            Map<String, long[]> classCounts = new HashMap<>();
            long[] anomalies = new long[1];
            long[] incidentsStored = new long[1];
            IncidentBuilder incidents = new IncidentBuilder(settings.incidentGapMicros(), settings.maxOpenIncidents(), closed -> {
                store.addIncidents(id, incidentsStored[0], closed);
                incidentsStored[0] += closed.size();
            });
            Timeline timeline = new Timeline();
            ScanResult result = detector.scan(in, name, new ScanOptions(settings.limits(), true), batch -> {
                if (++r.batches % DISK_CHECK_BATCHES == 0) {
                    requireFreeDisk(name);
                }
                writer.add(batch);
                for (Verdict v : batch) {
                    severityCounts[v.severity().ordinal()]++;
                    classCounts.computeIfAbsent(v.predictedClass(), k -> new long[1])[0]++;
                    if (v.anomalous()) {
                        anomalies[0]++;
                    }
                    evaluation.add(v);
                    incidents.add(v);
                    timeline.add(v);
                }
                r.records.addAndGet(batch.size());
                meters.counter("anomalyze.records.scored").increment(batch.size());
            });
            boolean labelled = result.labelled() && evaluation.total() > 0;
            // the evaluation is computed while the writer stores the last verdicts
            var metrics = labelled ? evaluation.toJson() : null;
            var roc = labelled ? evaluation.rocJson(ROC_POINTS) : null;
            writer.finish();
            incidents.finish();
            store.saveTimeline(id, TimelineJson.of(timeline.result()));
            List<String> notes = new ArrayList<>(result.notes());
            for (BadRow bad : result.badRows().subList(0, Math.min(NOTED_BAD_ROWS, result.badRows().size()))) {
                notes.add("skipped " + bad.describe());
            }
            if (result.skipped() > NOTED_BAD_ROWS) {
                notes.add("... and " + (result.skipped() - NOTED_BAD_ROWS) + " more skipped rows");
            }
            store.finish(id, new AnalysisStore.Totals(result.records(), result.skipped(), anomalies[0], labelled, severityCounts,
                    sortedCounts(classCounts), metrics, roc, notes));
            outcome = "done";
        } catch (InvalidInputException e) {
            store.fail(id, e.getMessage());
            r.invalidInput = e;
        } catch (DiskFullException e) {
            store.fail(id, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            store.fail(id, closing ? AnalysisStore.INTERRUPTED : name + ": could not be read (" + e.getMessage() + ")");
        } catch (RuntimeException | Error e) {
            if (closing) {
                store.fail(id, AnalysisStore.INTERRUPTED);
                return;
            }
            LOG.error("analysis {} failed", id, e);
            store.fail(id, "internal error while analysing " + name + "; the service log has the details");
        } finally {
            sample.stop(analysisTimer);
            meters.counter("anomalyze.analyses.finished", "outcome", outcome).increment();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", file, e.getMessage());
            }
            running.remove(id);
            slots.release();
            r.done.complete(null);
        }
    }

    /**
     * Stops an analysis before its verdicts fill the disk: the database must keep room to finish
     * other work and to record the failure.
     */
    private void requireFreeDisk(String name) {
        long free = FreeDisk.shortOf(uploadDir, 0, FreeDisk.RESERVE);
        if (free >= 0) {
            throw new DiskFullException(name + ": stopped because the disk is nearly full (" + (free >> 20)
                    + " MB free, " + (FreeDisk.RESERVE >> 20) + " MB kept in reserve); free some space and upload the file again");
        }
    }

    private static Map<String, Long> sortedCounts(Map<String, long[]> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()[0]));
        return out;
    }

    /** Progress of a running analysis; empty once it has ended (or was never here). */
    public Optional<AnalysisProgress> progress(long id) {
        Running r = running.get(id);
        return r == null ? Optional.empty() : Optional.of(new AnalysisProgress(r.records.get(), r.bytesRead.get(), r.size));
    }

    /** True while the analysis is queued or running in this service. */
    public boolean isRunning(long id) {
        return running.containsKey(id);
    }

    /**
     * The "still running" rule: an analysis has ended once it is stored as done or failed and
     * this service no longer works on it. Until then it shows no records, and cannot be exported,
     * summarised by host or deleted.
     */
    public boolean hasEnded(AnalysisSummary a) {
        return a.status() != AnalysisStatus.RUNNING && !running.containsKey(a.id());
    }

    /**
     * @param then what the user can do instead, such as "export it once it is done"
     * @throws AnalysisRunningException unless the analysis {@linkplain #hasEnded has ended}
     */
    public void requireEnded(AnalysisSummary a, String then) {
        if (!hasEnded(a)) {
            throw new AnalysisRunningException(a.id(), then);
        }
    }

    public Optional<AnalysisSummary> find(long id) {
        return store.find(id);
    }

    /** Analyses, newest first. */
    public Page<AnalysisSummary> list(int limit, long offset) {
        return store.list(limit, offset);
    }

    /** A page of an analysis's records for a filter and sort; none until it is done. */
    public Page<Verdict> records(AnalysisSummary a, RecordQuery q) {
        return store.records(a, q);
    }

    /** Every record of an analysis in file order, streamed in bounded memory for exports. */
    public void forEachVerdict(long id, Consumer<Verdict> action) {
        store.forEachVerdict(id, action);
    }

    /** The top sources and destinations of an analysis's anomalous flows, {@code limit} of each. */
    public HostActivity.Report hosts(long id, int limit) {
        return HostActivity.of(store, id, limit);
    }

    /** The loaded models, in the order they were loaded. */
    public List<DetectorRegistry.LoadedModel> models() {
        return registry.models();
    }

    /** The kinds of detector an upload can be given to. */
    public List<String> kinds() {
        return registry.kinds();
    }

    /** The loaded model that made the analysis, if it is still loaded: same file, same content. */
    public Optional<DetectorRegistry.LoadedModel> modelThatMade(AnalysisSummary a) {
        // Analyses stored before models were fingerprinted have no digest: their file name must do.
        return registry.find(a.detector()).filter(lm -> lm.file().equals(a.model())
                && (a.domain().sha256().isEmpty() || lm.detector().domain().sha256().equals(a.domain().sha256())));
    }

    /** What the health check reports of the database: why it does not answer (null when it does), and its schema version. */
    public record DatabaseHealth(String problem, int schemaVersion) {
    }

    public DatabaseHealth databaseHealth() {
        String problem = store.problem();
        return new DatabaseHealth(problem, problem == null ? store.schemaVersion() : -1);
    }

    /** A page of the analysis's incidents, highest severity first, then most flows. */
    public Page<Incident> incidents(long id, int limit, long offset) {
        return store.incidents(id, limit, offset);
    }

    /** The analysis's timeline (records per time bucket and severity), or null when its records had no times. */
    public ObjectNode timeline(long id) {
        return store.timeline(id);
    }

    /**
     * Deletes a finished analysis; a running one is refused so its verdicts cannot reappear, and
     * so is any when the disk is too full for the database to write the delete.
     */
    public boolean delete(long id) {
        Optional<AnalysisSummary> a = store.find(id);
        if (a.isEmpty()) {
            return false;
        }
        requireEnded(a.get(), "delete it once it has ended");
        long free = FreeDisk.shortOf(uploadDir, 0, FreeDisk.DELETE_RESERVE);
        if (free >= 0) {
            throw new StorageFullException("not enough free disk space to delete analysis " + id + " safely ("
                    + (free >> 20) + " MB free, " + (FreeDisk.DELETE_RESERVE >> 20) + " MB needed); free some space and retry");
        }
        return store.delete(id);
    }

    @Override
    public void close() {
        closing = true;
        compaction.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The disk is nearly full: the analysis stops, is marked failed, and the service carries on. */
    private static final class DiskFullException extends RuntimeException {
        DiskFullException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Running {
        final long size;
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytesRead = new AtomicLong();
        long batches;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile InvalidInputException invalidInput;

        Running(long size) {
            this.size = size;
        }
    }

    /** Counts the bytes of the upload read so far, for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        private final AtomicLong count;

        CountingStream(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
