package io.anomalyze.capture;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bytes of a capture, read in large blocks into one reused array so that record headers and
 * packets are parsed in place. A record stays in the array, at a fixed index, until the next
 * {@link #ensure} call; nothing is allocated per record.
 */
final class CaptureBuffer {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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

    static int u16(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? (short) SHORT_BE.get(b, i) & 0xffff : (short) SHORT_LE.get(b, i) & 0xffff;
    }

    static int i32(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? (int) INT_BE.get(b, i) : (int) INT_LE.get(b, i);
    }

    static long u32(byte[] b, int i, boolean bigEndian) {
        return i32(b, i, bigEndian) & 0xffff_ffffL;
    }

    static int u16be(byte[] b, int i) {
        return (short) SHORT_BE.get(b, i) & 0xffff;
    }

    static int i32be(byte[] b, int i) {
        return (int) INT_BE.get(b, i);
    }

    static long i64be(byte[] b, int i) {
        return (long) LONG_BE.get(b, i);
    }
}
