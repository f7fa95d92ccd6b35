package io.anomalyze.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a capture, read in large blocks into one reused array so that record headers and
 * packets are parsed in place. A record stays in the array, at a fixed index, until the next
 * {@link #ensure} call; nothing is allocated per record.
 */
final class CaptureBuffer {

    /** Large enough for the biggest record this reader accepts (256 KB of packet plus headers) many times over. */
    static final int CAPACITY = 1 << 20;

    private final InputStream in;
    final byte[] bytes = new byte[CAPACITY];
    /** Index of the next unread byte. */
    int pos;
    /** One past the last valid byte. */
    int limit;
    /** Offset in the capture of {@code bytes[0]}. */
    private long base;
    private boolean eof;

    CaptureBuffer(InputStream in) {
        this.in = in;
    }

    /**
     * Makes {@code n} bytes (at most {@link #CAPACITY}) available from {@link #pos}, moving the
     * unread bytes to the front of the array when needed.
     *
     * @return false when the capture ends first; {@link #available()} then tells how many are left
     */
    boolean ensure(int n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    private boolean fill(int n) throws IOException {
        if (CAPACITY - pos < n) {
            int unread = limit - pos;
            System.arraycopy(bytes, pos, bytes, 0, unread);
            base += pos;
            pos = 0;
            limit = unread;
        }
        while (limit - pos < n && !eof) {
            int read = in.read(bytes, limit, CAPACITY - limit);
            if (read < 0) {
                eof = true;
            } else {
                limit += read;
            }
        }
        return limit - pos >= n;
    }

    int available() {
        return limit - pos;
    }

    /** Offset in the capture of the next unread byte. */
    long offset() {
        return base + pos;
    }

    /**
     * Skips {@code n} bytes, which may be more than the array holds.
     *
     * @return false when the capture ends first
     */
    boolean skip(long n) throws IOException {
        while (n > 0) {
            if (limit == pos && !ensure(1)) {
                return false;
            }
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
        return true;
    }

    // Plain shifts rather than byte-array view VarHandles: a capture is read in a few seconds, much
    // of it before the JIT has compiled the reader, and an uncompiled VarHandle access costs tens
    // of times a shift.

    static int u16(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? u16be(b, i) : (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static int i32(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? i32be(b, i)
                : (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | b[i + 3] << 24;
    }

    static long u32(byte[] b, int i, boolean bigEndian) {
        return i32(b, i, bigEndian) & 0xffff_ffffL;
    }

    static int u16be(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    static int i32be(byte[] b, int i) {
        return b[i] << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static long i64be(byte[] b, int i) {
        return (long) i32be(b, i) << 32 | (i32be(b, i + 4) & 0xffff_ffffL);
    }
}
