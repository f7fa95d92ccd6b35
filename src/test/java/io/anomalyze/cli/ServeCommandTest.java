package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve command's refusals, which end it before any service starts. */
class ServeCommandTest {

    @Test
    void aPortInUseEndsWithOneLineAndAFailureCode(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"serve", "--port", Integer.toString(port), "--data-dir", data.resolve("d").toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Main.FAILED, code);
            assertEquals("anomalyze: cannot listen on 127.0.0.1:" + port + ": the port is already in use; stop what uses it or choose"
                    + " another with --port (ANOMALYZE_PORT)\n", err.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertFalse(Files.exists(data.resolve("d")), "nothing is created for a service that cannot listen");
        }
    }

    @Test
    void aDataDirectoryThatCannotBeMadeEndsWithOneLineAndAFailureCode(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("owned-by-someone-else"), "x");
        Path data = file.resolve("data");
        CommandRun run = CommandRun.of("serve", "--port", "0", "--data-dir", data.toString());
        assertEquals(Main.FAILED, run.code());
        assertEquals("anomalyze: cannot create the data directory " + data + ": " + file + " is a file, not a directory;"
                + " choose another with --data-dir (ANOMALYZE_DATA_DIR)\n", run.err().replace("\r\n", "\n"));
        assertEquals("", run.out());
    }

    @Test
    void bundledModelsCanBeLeftOutByFlagOrEnvironment() {
        Arguments flag = new Arguments(new String[] {"--no-bundled-models"}, 0, java.util.Set.of(), java.util.Set.of("no-bundled-models"));
        assertFalse(ServeCommand.config(flag, Map.of()).bundledModels());
        Arguments none = new Arguments(new String[] {}, 0, java.util.Set.of(), java.util.Set.of("no-bundled-models"));
        assertFalse(ServeCommand.config(none, Map.of("ANOMALYZE_BUNDLED_MODELS", "false")).bundledModels());
        assertEquals(true, ServeCommand.config(none, Map.of()).bundledModels());
    }

    @Test
    void limitsAndTheTokenComeFromFlagsOrEnvironment() {
        java.util.Set<String> options = java.util.Set.of("max-decompressed-mb", "max-compression-ratio", "max-line-kb", "max-records",
                "max-upload-mb");
        Arguments none = new Arguments(new String[] {}, 0, options, java.util.Set.of());
        var defaults = ServeCommand.config(none, Map.of());
        assertEquals(1024L << 20, defaults.maxUploadBytes());
        assertEquals(io.anomalyze.read.InputLimits.DEFAULTS.maxLineBytes(), defaults.analysis().limits().maxLineBytes());
        assertEquals(16384L << 20, defaults.analysis().limits().maxDecompressedBytes());
        assertEquals(200.0, defaults.analysis().limits().maxCompressionRatio());
        assertEquals(50_000_000L, defaults.analysis().limits().maxRecords());
        assertEquals(null, defaults.apiToken());

        Arguments flags = new Arguments(new String[] {"--max-decompressed-mb", "100", "--max-compression-ratio", "50", "--max-line-kb", "64",
                "--max-records", "1000", "--max-upload-mb", "5"}, 0, options, java.util.Set.of());
        var set = ServeCommand.config(flags, Map.of("ANOMALYZE_MAX_RECORDS", "7", "ANOMALYZE_API_TOKEN", " a-token-of-16-chars+ "));
        assertEquals(5L << 20, set.maxUploadBytes());
        assertEquals(100L << 20, set.analysis().limits().maxDecompressedBytes());
        assertEquals(50.0, set.analysis().limits().maxCompressionRatio());
        assertEquals(64 << 10, set.analysis().limits().maxLineBytes());
        assertEquals(1000, set.analysis().limits().maxRecords(), "a flag wins over the environment");
        assertEquals("a-token-of-16-chars+", set.apiToken());

        var env = ServeCommand.config(none, Map.of("ANOMALYZE_MAX_LINE_KB", "8", "ANOMALYZE_MAX_RECORDS", "7"));
        assertEquals(8 << 10, env.analysis().limits().maxLineBytes());
        assertEquals(7, env.analysis().limits().maxRecords());

        UsageException shortToken = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ServeCommand.config(none, Map.of("ANOMALYZE_API_TOKEN", "short")));
        assertEquals("ANOMALYZE_API_TOKEN must be at least 16 characters long", shortToken.getMessage());
        UsageException badRatio = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ServeCommand.config(none, Map.of("ANOMALYZE_MAX_COMPRESSION_RATIO", "lots")));
        assertEquals("--max-compression-ratio (ANOMALYZE_MAX_COMPRESSION_RATIO) must be a whole number, not \"lots\"", badRatio.getMessage());
    }

    @Test
    void jsonShapeLimitsComeFromFlagsOrTheEnvironment() {
        var defaults = ServeCommand.config(new Arguments(new String[0], 0, Set.of(), Set.of()), Map.of()).web();
        assertEquals(10_000, defaults.maxPredictRecords());
        assertEquals(1_000, defaults.maxJsonFields());
        Arguments flags = new Arguments(new String[] {"--max-predict-records", "50000"}, 0, Set.of("max-predict-records"), Set.of());
        var set = ServeCommand.config(flags, Map.of("ANOMALYZE_MAX_JSON_FIELDS", "4000")).web();
        assertEquals(50_000, set.maxPredictRecords());
        assertEquals(4_000, set.maxJsonFields());
    }

    @Test
    void incidentSettingsComeFromFlagsOrTheEnvironment() {
        var defaults = ServeCommand.config(new Arguments(new String[0], 0, Set.of(), Set.of()), Map.of()).analysis();
        assertEquals(5 * 60_000_000L, defaults.incidentGapMicros());
        assertEquals(100_000, defaults.maxOpenIncidents());
        Arguments flags = new Arguments(new String[] {"--incident-gap-minutes", "60"}, 0, Set.of("incident-gap-minutes"), Set.of());
        var set = ServeCommand.config(flags, Map.of("ANOMALYZE_MAX_OPEN_INCIDENTS", "500")).analysis();
        assertEquals(60 * 60_000_000L, set.incidentGapMicros());
        assertEquals(500, set.maxOpenIncidents());
        UsageException e = assertThrows(UsageException.class, () -> ServeCommand.config(
                new Arguments(new String[0], 0, Set.of(), Set.of()), Map.of("ANOMALYZE_INCIDENT_GAP_MINUTES", "0")));
        assertEquals("--incident-gap-minutes (ANOMALYZE_INCIDENT_GAP_MINUTES) must be between 1 and 10080", e.getMessage());
    }
}
