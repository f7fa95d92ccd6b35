package io.anomalyze.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.InvalidInputException;
import io.anomalyze.detect.Detector;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.detect.HeldDetector;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.InputLimits;
import io.anomalyze.store.AnalysisStatus;
import io.anomalyze.store.AnalysisStore;
import io.anomalyze.store.AnalysisSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis service over a real store and the bundled models, without the web layer: what it
 * counts must be what the detector says, refused files leave nothing behind, and slots are
 * given back whatever happens.
 */
class AnalysisServiceTest {

    private static final Path KDD = Path.of("uploads", "KDDTest+.txt");

    @TempDir
    Path dataDir;

    private AnalysisStore store;
    private DetectorRegistry registry;
    private AnalysisService service;

    @BeforeEach
    void open() throws IOException {
        store = AnalysisStore.open(dataDir);
        registry = DetectorRegistry.load(null, true);
    }

    private AnalysisService service(int threads, int queue) throws IOException {
        service = new AnalysisService(registry, store, new AnalysisSettings(threads, queue, InputLimits.DEFAULTS),
                dataDir.resolve("spool"), new SimpleMeterRegistry());
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        store.close();
    }

    private static byte[] firstLines(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return (String.join("\n", all.subList(0, lines)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private AnalysisSummary analyse(String name, byte[] content) throws Exception {
        try (AnalysisService.Reservation r = service.reserve()) {
            Files.write(r.file(), content);
            r.start(name, "auto");
            return r.awaitResult(Duration.ofSeconds(60));
        }
    }

    @Test
    void countsAreTheDetectorsOwnVerdicts() throws Exception {
        service(1, 2);
        byte[] content = firstLines(KDD, 2_000);
        AnalysisSummary done = analyse("kdd-2000.txt", content);

        List<Verdict> direct = new ArrayList<>();
        Detector kmeans = registry.choose(io.anomalyze.read.TrafficLayout.CONNECTION, "kmeans", "x").detector();
        kmeans.scan(new ByteArrayInputStream(content), "direct", ScanOptions.defaults(), direct::addAll);

        assertEquals(AnalysisStatus.DONE, done.status());
        assertEquals("kdd-2000.txt", done.fileName());
        assertEquals("kmeans", done.detector());
        assertEquals(2_000, done.records());
        assertEquals(0, done.skipped());
        assertTrue(done.labelled());
        assertEquals(direct.stream().filter(Verdict::anomalous).count(), done.anomalies());
        for (Severity s : Severity.values()) {
            assertEquals(direct.stream().filter(v -> v.severity() == s).count(), done.count(s), s.label());
        }
        var confusion = done.metrics().path("confusion");
        assertEquals(2_000, confusion.path("tn").asLong() + confusion.path("fp").asLong()
                + confusion.path("fn").asLong() + confusion.path("tp").asLong());
        assertEquals(done.anomalies(), confusion.path("fp").asLong() + confusion.path("tp").asLong());
        assertFalse(service.isRunning(done.id()));
        assertTrue(service.progress(done.id()).isEmpty());
        try (var spool = Files.list(dataDir.resolve("spool"))) {
            assertEquals(0, spool.count(), "the spooled upload is deleted after its analysis");
        }
    }

    @Test
    void aFileOfNoKnownLayoutIsRefusedAndItsSlotComesBack() throws Exception {
        service(1, 0);
        for (int attempt = 0; attempt < 3; attempt++) {
            try (AnalysisService.Reservation r = service.reserve()) {
                Files.writeString(r.file(), "hello,world\nthis is not traffic\n");
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> r.start("notes.csv", "auto"));
                assertTrue(e.getMessage().startsWith("notes.csv: "), e.getMessage());
            }
        }
        assertEquals(0, store.list(10, 0).total(), "nothing is stored for a refused file");
    }

    @Test
    void tooManyBadRowsRefuseTheAnalysisAndDeleteWhatWasStored() throws Exception {
        service(1, 1);
        StringBuilder text = new StringBuilder(new String(firstLines(KDD, 200), StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            text.append("0,xtp,private,REJ,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,229,10,0,0,1,1,0.04,0.06,0,255,10,0,0.04,0.06,0,0,0,1,1,neptune,21\n");
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> analyse("bad.txt", text.toString().getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("bad.txt: "), e.getMessage());
        assertTrue(e.getMessage().contains("line 201"), e.getMessage());
        assertEquals(0, store.list(10, 0).total());
    }

    @Test
    void aFullServiceRefusesBeforeReadingAndFreesTheSlotOnClose() throws Exception {
        service(1, 0);
        AnalysisService.Reservation held = service.reserve();
        AnalysisQueueFullException full = assertThrows(AnalysisQueueFullException.class, service::reserve);
        assertEquals("the service is busy: 1 analyses are already running or queued; retry in 10 s", full.getMessage());
        held.close();
        try (AnalysisService.Reservation again = service.reserve()) {
            assertTrue(again.file().startsWith(dataDir.resolve("spool")));
        }
    }

    @Test
    void aRunningAnalysisIsNotDeletedAndTheRefusalSaysWhy() throws Exception {
        HeldDetector held = new HeldDetector(registry.require("kmeans", "the test").detector());
        registry = DetectorRegistry.of(List.of(new DetectorRegistry.LoadedModel("held.json", "test", "", held)));
        service(1, 1);
        try (AnalysisService.Reservation r = service.reserve()) {
            Files.write(r.file(), firstLines(KDD, 600));
            AnalysisSummary started = r.start("kdd-600.txt", "auto");
            assertFalse(service.hasEnded(started));
            AnalysisRunningException refused = assertThrows(AnalysisRunningException.class, () -> service.delete(started.id()));
            assertEquals("analysis " + started.id() + " is still running; delete it once it has ended", refused.getMessage());
            held.release();
            AnalysisSummary done = r.awaitResult(Duration.ofSeconds(60));
            assertEquals(AnalysisStatus.DONE, done.status());
            assertEquals(600, done.records());
            assertTrue(service.hasEnded(done));
            assertTrue(service.delete(done.id()));
            assertTrue(store.find(done.id()).isEmpty());
            assertFalse(service.delete(done.id()), "a second delete finds nothing");
        }
    }

    @Test
    void displayNamesKeepOnlyTheLastSegmentWithoutControlCharacters() {
        assertEquals("capture.csv", AnalysisService.displayName("C:\\Users\\x\\capture.csv"));
        assertEquals("a.csv", AnalysisService.displayName("../../a.csv"));
        assertEquals("ab.csv", AnalysisService.displayName("a\u0000b.csv"));
        assertEquals("upload", AnalysisService.displayName("  "));
        assertEquals("upload", AnalysisService.displayName(null));
        assertEquals(200, AnalysisService.displayName("x".repeat(500)).length());
    }
}
