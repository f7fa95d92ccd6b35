package io.anomalyze.read;

/**
 * One rejected row: where it is and why it was skipped.
 *
 * @param line   1-based line number in the (decompressed) file
 * @param column 1-based column, or 0 when the problem concerns the whole row
 * @param reason what was wrong, in words a person can act on
 */
public record BadRow(long line, int column, String reason) {

    /** The row's location and reason, e.g. {@code line 12, column 5: not a number: "abc"}. */
    public String describe() {
        return column > 0
                ? "line " + line + ", column " + column + ": " + reason
                : "line " + line + ": " + reason;
    }
}
