package io.anomalyze.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory that holds the database and in-flight uploads, checked before the database opens.
 * A directory the service cannot write to (typically a host folder mounted into a container that
 * runs as another user) then ends start-up with one line naming the directory and the user id,
 * rather than with the database's stack trace on its first write.
 */
public final class DataDirectory {

    /** The database's file name, as H2 names it for the URL {@code .../anomalyze}. */
    static final String DATABASE_FILE = "anomalyze.mv.db";

    private static final String CHOOSE_ANOTHER = "choose another with --data-dir (ANOMALYZE_DATA_DIR)";

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} if needed and proves that this process can create files in it and in
     * the folders already there, and write to the database file already there.
     *
     * @throws DataDirectoryException with a one-line message when it cannot
     */
    public static Path prepare(Path dir) throws DataDirectoryException {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new DataDirectoryException("cannot create the data directory " + abs + ": " + whyNotCreated(abs, e)
                    + "; " + CHOOSE_ANOTHER);
        }
        if (!Files.isDirectory(abs)) {
            throw new DataDirectoryException("the data directory " + abs + " is a file, not a directory; " + CHOOSE_ANOTHER);
        }
        // Creating and removing a file asks the file system what the database will ask, so every
        // cause (owner and mode, ACLs, a read-only mount) gets the same answer it would.
        probeDirectory(abs, abs);
        Path database = abs.resolve(DATABASE_FILE);
        if (Files.exists(database)) {
            try (FileChannel ignored = FileChannel.open(database, StandardOpenOption.WRITE)) {
                // opened for writing, nothing written
            } catch (IOException e) {
                throw notWritable(abs, database, e);
            }
        }
        // Folders a previous run left (the upload spool among them) are written to as well.
        List<Path> folders;
        try (Stream<Path> children = Files.list(abs)) {
            folders = children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw notWritable(abs, abs, e);
        }
        for (Path folder : folders) {
            probeDirectory(abs, folder);
        }
        return abs;
    }

    private static void probeDirectory(Path dataDir, Path dir) throws DataDirectoryException {
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".write-check-", ".tmp");
        } catch (IOException e) {
            throw notWritable(dataDir, dir, e);
        }
        try {
            Files.delete(probe);
        } catch (IOException e) {
            throw notWritable(dataDir, dir, e);
        }
    }

    private static DataDirectoryException notWritable(Path dataDir, Path what, IOException e) {
        String subject = what.equals(dataDir) ? "the data directory " + dataDir : what + " in the data directory";
        String remedy = e instanceof AccessDeniedException ? remedy() : CHOOSE_ANOTHER;
        return new DataDirectoryException("cannot write to " + subject + " as " + ProcessUser.describe()
                + ownerNote(what) + ": " + reason(e) + "; " + remedy);
    }

    /** Why {@code dir} could not be created: an ancestor that is a file, a denied parent, or the system's reason. */
    static String whyNotCreated(Path dir, IOException e) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !existing.equals(dir) && !Files.isDirectory(existing)) {
            return existing + " is a file, not a directory";
        }
        if (existing != null && existing.equals(dir)) {
            return "it is a file, not a directory";
        }
        if (e instanceof AccessDeniedException && existing != null) {
            return ProcessUser.describe() + " may not create directories in " + existing + ownerNote(existing);
        }
        return reason(e);
    }

    /** The system's reason without the path it is about, which the message names already. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String remedy() {
        long uid = ProcessUser.id();
        return uid >= 0 ? "give user id " + uid + " write access (chown -R " + uid + " the folder; for a container's bind mount,"
                + " on the host) or " + CHOOSE_ANOTHER : CHOOSE_ANOTHER;
    }

    /** " (owned by user id N)" when the file system tells owners by number, else nothing. */
    private static String ownerNote(Path path) {
        try {
            Object owner = Files.getAttribute(path, "unix:uid");
            return " (owned by user id " + owner + ")";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return "";
        }
    }
}
