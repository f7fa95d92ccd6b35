package io.anomalyze.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free-disk rule: whatever writes to the data directory's disk (an upload arriving, an
 * analysis storing its verdicts, a delete rewriting database pages) leaves a reserve free, so
 * the database always has room to record how work ended, and the service refuses new work
 * rather than failing in the middle of it.
 */
public final class FreeDisk {

    /** Free disk space below which uploads are refused and analyses stop storing verdicts. */
    public static final long RESERVE = 256L << 20;
    /**
     * Free disk space a delete needs: it removes blocks a few at a time, and each step writes
     * a few MB of new pages before the old ones are freed.
     */
    public static final long DELETE_RESERVE = 32L << 20;

    private FreeDisk() {
    }

    /**
     * The bytes free on the disk of {@code dir} when writing {@code more} bytes there would leave
     * less than {@code reserve}; -1 when enough would be left, or the file system cannot say.
     */
    public static long shortOf(Path dir, long more, long reserve) {
        long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
        return usable - more < reserve ? usable : -1;
    }
}
