package io.anomalyze.read;

/**
 * Limits every reader enforces, so a hostile or broken file ends with a clear refusal instead
 * of exhausting memory or time.
 *
 * @param maxLineBytes        longest accepted line, in bytes
 * @param maxBadRowFraction   share of bad rows above which the whole file is refused
 * @param maxRecords          most records read from one file
 * @param maxDecompressedBytes most bytes a compressed file may expand to
 * @param maxCompressionRatio  largest accepted ratio of decompressed to compressed bytes
 */
public record InputLimits(int maxLineBytes, double maxBadRowFraction, long maxRecords,
                          long maxDecompressedBytes, double maxCompressionRatio) {

    public static final InputLimits DEFAULTS =
            new InputLimits(1 << 20, 0.01, 50_000_000L, 16L << 30, 200.0);

    public InputLimits withMaxBadRowFraction(double fraction) {
        return new InputLimits(maxLineBytes, fraction, maxRecords, maxDecompressedBytes, maxCompressionRatio);
    }

    public InputLimits withMaxRecords(long records) {
        return new InputLimits(maxLineBytes, maxBadRowFraction, records, maxDecompressedBytes, maxCompressionRatio);
    }
}
