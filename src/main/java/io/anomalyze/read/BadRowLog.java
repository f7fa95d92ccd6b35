package io.anomalyze.read;

import io.anomalyze.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Counts skipped rows, keeps the first few for the report, and refuses the file when the
 * share of bad rows passes the limit or no row is valid.
 */
public final class BadRowLog {

    /** Rows read before the bad-row share is checked mid-file, so one early typo is tolerated. */
    private static final long EARLY_CHECK_ROWS = 10_000;
    private static final int KEPT = 100;

    private final String source;
    private final double maxBadFraction;
    private final List<BadRow> kept = new ArrayList<>();
    private long badRows;

    public BadRowLog(String source, double maxBadFraction) {
        this.source = source;
        this.maxBadFraction = maxBadFraction;
    }

    public void add(BadRow row, long goodRowsSoFar) {
        badRows++;
        if (kept.size() < KEPT) {
            kept.add(row);
        }
        long seen = badRows + goodRowsSoFar;
        if (seen >= EARLY_CHECK_ROWS && badRows > maxBadFraction * seen) {
            throw tooMany(seen);
        }
    }

    /** Called once the whole file has been read. */
    public void finish(long goodRows) {
        if (goodRows == 0) {
            String why = badRows == 0 ? "it holds no records"
                    : "none of its " + badRows + " rows is valid; first problem: " + kept.get(0).describe();
            throw new InvalidInputException(source + ": " + why);
        }
        long seen = goodRows + badRows;
        if (badRows > maxBadFraction * seen) {
            throw tooMany(seen);
        }
    }

    private InvalidInputException tooMany(long seen) {
        return new InvalidInputException(String.format(
                "%s: %d of %d rows are invalid, over the limit of %s%%; first problem: %s",
                source, badRows, seen, percent(maxBadFraction), kept.get(0).describe()));
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    public long count() {
        return badRows;
    }

    /** The first bad rows, in file order. */
    public List<BadRow> examples() {
        return Collections.unmodifiableList(kept);
    }
}
