package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.capture.CaptureOptions;
import io.anomalyze.capture.flow.TestCapture;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture-reading options reach the reader from the command line and the environment. */
class CaptureOptionsCommandTest {

    private static final long T = 1_700_000_000_000_000L;

    /** Packets at 0, 30, 10 and 40 ms: the third comes two places late. */
    private static Path outOfOrder(Path dir) {
        return new TestCapture()
                .udp(T, "10.0.0.1", 5000, "10.0.0.2", 53, 20)
                .udp(T + 30_000, "10.0.0.1", 5001, "10.0.0.2", 53, 20)
                .udp(T + 10_000, "10.0.0.1", 5002, "10.0.0.2", 53, 20)
                .udp(T + 40_000, "10.0.0.1", 5003, "10.0.0.2", 53, 20)
                .writeTo(dir.resolve("late.pcap"));
    }

    @Test
    void theReorderWindowOptionDecidesWhatCountsAsLate(@TempDir Path dir) {
        Path capture = outOfOrder(dir);
        CommandRun wide = CommandRun.of("flows", capture.toString(), "--out", dir.resolve("wide.csv").toString());
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.err().contains("4 records, 4 IP packets"), wide.err());
        assertFalse(wide.err().contains("out of order"), wide.err());
        CommandRun narrow = CommandRun.of("flows", capture.toString(), "--reorder-window", "1", "--out",
                dir.resolve("narrow.csv").toString());
        assertEquals(0, narrow.code(), narrow.err());
        assertTrue(narrow.err().contains("4 records, 3 IP packets, 1 skipped: out of order beyond the window"), narrow.err());
    }

    @Test
    void wrongOptionValuesAreUsageErrors(@TempDir Path dir) {
        CommandRun r = CommandRun.of("flows", outOfOrder(dir).toString(), "--reorder-window", "0");
        assertEquals(Main.BAD_USAGE, r.code());
        assertTrue(r.err().contains("the reorder window must be between 1 and 1048576 packets, not 0"
                + " (--reorder-window, --max-packet-bytes or their ANOMALYZE_* variables)"), r.err());
    }

    @Test
    void optionsFallBackToTheEnvironment() {
        Arguments none = new Arguments(new String[0], 0, FlowOptions.NAMES, Set.of());
        assertEquals(new CaptureOptions(8, 1500),
                FlowOptions.captureOptions(none, Map.of("ANOMALYZE_REORDER_WINDOW", "8", "ANOMALYZE_MAX_PACKET_BYTES", "1500")));
        Arguments given = new Arguments(new String[] {"--reorder-window", "16"}, 0, FlowOptions.NAMES, Set.of());
        assertEquals(new CaptureOptions(16, 262_144), FlowOptions.captureOptions(given, Map.of("ANOMALYZE_REORDER_WINDOW", "8")));
    }
}
