package io.anomalyze.read;

import io.anomalyze.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens traffic files: recognises gzip by its magic bytes (whatever the file is called) and
 * guards decompression against gzip bombs with the size and ratio limits.
 */
public final class TrafficInput {

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    /** Ratio checks start after this many decompressed bytes: tiny files compress oddly. */
    public static final long RATIO_GRACE_BYTES = 8L << 20;

    private TrafficInput() {
    }

    /** Opens a file from disk, decompressing it when it is gzip. */
    public static InputStream open(Path file, InputLimits limits) throws IOException {
        try {
            return open(Files.newInputStream(file), file.getFileName().toString(), limits);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        }
    }

    /** Wraps a raw stream, decompressing it when it starts with the gzip magic bytes. */
    public static InputStream open(InputStream raw, String sourceName, InputLimits limits) throws IOException {
        CountingStream compressed = new CountingStream(raw);
        PushbackInputStream peek = new PushbackInputStream(compressed, 2);
        int b1 = peek.read();
        int b2 = b1 < 0 ? -1 : peek.read();
        if (b2 >= 0) {
            peek.unread(b2);
        }
        if (b1 >= 0) {
            peek.unread(b1);
        }
        if (b1 != GZIP_MAGIC_1 || b2 != GZIP_MAGIC_2) {
            return new BufferedInputStream(peek, 1 << 16);
        }
        CountedGzip gzip;
        try {
            gzip = new CountedGzip(peek, compressed);
        } catch (IOException e) {
            throw new InvalidInputException(sourceName + ": the gzip header is corrupt");
        }
        return new InflationGuard(gzip, sourceName, limits);
    }

    /**
     * Reads the start of a file through the inflation guard, at least far enough for the
     * compression-ratio check to apply, so a gzip bomb is refused before anything is analysed.
     */
    public static void checkInflation(Path file, String sourceName, InputLimits limits) throws IOException {
        try (InputStream in = open(Files.newInputStream(file), sourceName, limits)) {
            byte[] buf = new byte[1 << 16];
            long read = 0;
            int n;
            while (read <= 2 * RATIO_GRACE_BYTES && (n = in.read(buf)) > 0) {
                read += n;
            }
        }
    }

    /** A gzip stream that knows how many compressed bytes it has really consumed (not just buffered). */
    private static final class CountedGzip extends GZIPInputStream {
        private final CountingStream compressed;

        CountedGzip(InputStream in, CountingStream compressed) throws IOException {
            super(in, 1 << 16);
            this.compressed = compressed;
        }

        long consumed() {
            return compressed.count - inf.getRemaining();
        }
    }

    /** Counts the compressed bytes consumed, for the compression-ratio check. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Refuses a compressed stream that expands past the size or ratio limit, and names corruption. */
    private static final class InflationGuard extends FilterInputStream {
        private final CountedGzip gzip;
        private final String source;
        private final InputLimits limits;
        private long inflated;

        InflationGuard(CountedGzip in, String source, InputLimits limits) {
            super(in);
            this.gzip = in;
            this.source = source;
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (java.io.EOFException e) {
                throw new InvalidInputException(source + ": the gzip stream is truncated (it ends before its last block)");
            } catch (java.util.zip.ZipException e) {
                throw new InvalidInputException(source + ": the gzip stream is corrupt (" + e.getMessage() + ")");
            }
            if (n > 0) {
                inflated += n;
                check();
            }
            return n;
        }

        private void check() {
            if (inflated > limits.maxDecompressedBytes()) {
                throw InvalidInputException.limit(source + ": decompresses to more than the limit of "
                        + limits.maxDecompressedBytes() + " bytes");
            }
            if (inflated > RATIO_GRACE_BYTES && inflated > limits.maxCompressionRatio() * Math.max(1, gzip.consumed())) {
                throw InvalidInputException.limit(source + ": expands more than " + (long) limits.maxCompressionRatio()
                        + " times when decompressed, over the compression-ratio limit (a gzip bomb?)");
            }
        }
    }
}
