package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    void bundledModelsCanBeLeftOutByFlagOrEnvironment() {
        Arguments flag = new Arguments(new String[] {"--no-bundled-models"}, 0, java.util.Set.of(), java.util.Set.of("no-bundled-models"));
        assertFalse(ServeCommand.config(flag, Map.of()).bundledModels());
        Arguments none = new Arguments(new String[] {}, 0, java.util.Set.of(), java.util.Set.of("no-bundled-models"));
        assertFalse(ServeCommand.config(none, Map.of("ANOMALYZE_BUNDLED_MODELS", "false")).bundledModels());
        assertEquals(true, ServeCommand.config(none, Map.of()).bundledModels());
    }
}
