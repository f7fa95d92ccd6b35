package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.ContainerImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the container image runs: the jar as entry point, serve by default, any other command on request. */
class ContainerImageTest {

    private static final ContainerImage IMAGE = ContainerImage.read();

    @Test
    void theJarIsTheEntryPointAndServeTheDefaultCommand() {
        assertEquals(List.of("java", "-XX:MaxRAMPercentage=75", "-jar", "/app/anomalyze.jar"),
                ContainerImage.execForm(IMAGE.last("ENTRYPOINT")));
        List<String> defaultCommand = ContainerImage.execForm(IMAGE.last("CMD"));
        assertEquals(List.of("serve"), defaultCommand);
        assertTrue(IMAGE.all("COPY").contains("--from=build /src/target/anomalyze.jar /app/anomalyze.jar"), IMAGE.all("COPY").toString());

        // "docker run IMAGE --help" replaces the default command; "docker run IMAGE" runs serve, whose help this is.
        List<String> serveHelp = new ArrayList<>(defaultCommand);
        serveHelp.add("--help");
        CommandRun help = CommandRun.of(serveHelp.toArray(String[]::new));
        assertEquals(Main.OK, help.code());
        assertEquals(ServeCommand.USAGE, help.out());
    }

    @Test
    void theBundledModelsScoreAMountedFileAsTheDocsShow(@TempDir Path work) throws Exception {
        // docker run --rm -v "$PWD:/work" anomalyze score --model /app/bundled-models/nsl-kdd-kmeans.json /work/FILE
        Path bundled = IMAGE.sourceOf("/app/bundled-models");
        assertEquals(Path.of("models"), bundled);
        Path file = work.resolve("ten.txt");
        Files.write(file, Files.readAllLines(Path.of("uploads", "KDDTest+.txt")).subList(0, 10));
        CommandRun score = CommandRun.of("score", "--model", bundled.resolve("nsl-kdd-kmeans.json").toString(), file.toString());
        assertEquals(Main.OK, score.code(), score.err());
        List<String> lines = score.out().lines().toList();
        assertEquals(11, lines.size(), "a header and a verdict per record");
        assertTrue(lines.get(1).startsWith("1,"), lines.get(1));
        assertTrue(lines.get(10).startsWith("10,"), lines.get(10));

        String docs = Files.readString(Path.of("docs", "OPERATIONS.md"));
        assertTrue(docs.contains("score --model /app/bundled-models/nsl-kdd-kmeans.json /work/"), "the docs show scoring with the image");
    }

    @Test
    void javaOptionsAreNotInTheEnvironmentWhereEveryJavaCommandWouldEchoThem() {
        assertNull(IMAGE.env("JAVA_TOOL_OPTIONS"));
        assertNull(IMAGE.env("JDK_JAVA_OPTIONS"));
        assertNull(IMAGE.env("_JAVA_OPTIONS"));
    }

    @Test
    void theServiceRunsAsAFixedNonRootUserThatTheDocsName() throws Exception {
        ContainerImage run = IMAGE.finalStage();
        assertEquals("10001:10001", run.last("USER"));
        String setup = String.join("\n", run.all("RUN"));
        assertTrue(setup.contains("groupadd --gid 10001 anomalyze"), setup);
        assertTrue(setup.contains("useradd --uid 10001 --gid 10001 "), setup);
        assertTrue(setup.contains("chown -R 10001:10001 /app/data"), setup);
        assertEquals("/app/data", run.env("ANOMALYZE_DATA_DIR"));
        assertTrue(Files.readString(Path.of("docs", "OPERATIONS.md")).contains("chown -R 10001:10001 "),
                "the docs tell bind-mount users which ids to give the folder to");
    }
}
