package io.anomalyze.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory check before the database opens. Permission bits do not stop root, under
 * which tests may run, so the failures made here are ones that stop every user: a file in the way.
 */
class DataDirectoryTest {

    @Test
    void aMissingDirectoryIsCreatedAndTheCheckLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("a").resolve("data");
        assertEquals(dir.toAbsolutePath(), DataDirectory.prepare(dir));
        assertTrue(Files.isDirectory(dir));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
        try (AnalysisStore store = AnalysisStore.open(dir)) {
            assertTrue(store.schemaVersion() > 0);
        }
        Files.createDirectories(dir.resolve("incoming"));
        DataDirectory.prepare(dir);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(DataDirectory.DATABASE_FILE, "incoming"),
                    left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".trace.db")).sorted().toList(),
                    "an existing database and folder are checked, not touched");
        }
        try (Stream<Path> left = Files.list(dir.resolve("incoming"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aFileWhereADirectoryShouldBeIsOneLineNamingIt(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        DataDirectoryException under = assertThrows(DataDirectoryException.class, () -> DataDirectory.prepare(file.resolve("data")));
        assertEquals("cannot create the data directory " + file.resolve("data") + ": " + file + " is a file, not a directory;"
                + " choose another with --data-dir (ANOMALYZE_DATA_DIR)", under.getMessage());

        DataDirectoryException itself = assertThrows(DataDirectoryException.class, () -> AnalysisStore.open(file));
        assertEquals("cannot create the data directory " + file + ": it is a file, not a directory;"
                + " choose another with --data-dir (ANOMALYZE_DATA_DIR)", itself.getMessage());
    }

    @Test
    void aDeniedParentIsNamedWithTheUserIdAndItsOwner(@TempDir Path tmp) throws Exception {
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        long owner = ((Number) Files.getAttribute(tmp, "unix:uid")).longValue();
        Path dir = tmp.resolve("data");
        assertEquals("user id " + uid + " may not create directories in " + tmp + " (owned by user id " + owner + ")",
                DataDirectory.whyNotCreated(dir, new AccessDeniedException(dir.toString())));
    }
}
