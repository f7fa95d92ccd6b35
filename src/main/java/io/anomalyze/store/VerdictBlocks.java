package io.anomalyze.store;

import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of a block of verdicts stored as one database row, in file order. A block
 * starts with its verdict count and a table of where each verdict begins, so one verdict can be
 * read without decoding the others:
 *
 * <pre>
 * int count, int[count + 1] start of each verdict (from the end of this table), then per verdict:
 * long line, byte anomalous, byte severity, double score, float confidence, str predictedClass,
 * str label, int n + n x (str feature, str value, double contribution) top features,
 * int n (-1: none) + n x str features, int n (-1: none) + n x float probabilities
 * </pre>
 *
 * where {@code str} is a varint of its UTF-8 byte length plus one (0: null) and those bytes;
 * a varint is 7 bits a byte, low bits first, the top bit set on all but the last byte. Other
 * integers are big-endian.
 */
final class VerdictBlocks {

    /** Verdicts per stored block; block {@code b} holds sequence numbers {@code [b * SIZE, (b + 1) * SIZE)}. */
    static final int SIZE = 512;

    private VerdictBlocks() {
    }

    /** Encodes verdicts {@code [from, to)} of {@code verdicts} as one block. */
    static byte[] encode(List<Verdict> verdicts, int from, int to) {
        int count = to - from;
        Out out = new Out(256 * count + 64);
        out.putInt(count);
        int table = out.pos;
        out.pos += 4 * (count + 1);
        int base = out.pos;
        for (int i = 0; i < count; i++) {
            out.setInt(table + 4 * i, out.pos - base);
            write(out, verdicts.get(from + i));
        }
        out.setInt(table + 4 * count, out.pos - base);
        return Arrays.copyOf(out.buf, out.pos);
    }

    private static void write(Out out, Verdict v) {
        out.putLong(v.line());
        out.put((byte) (v.anomalous() ? 1 : 0));
        out.put((byte) v.severity().ordinal());
        out.putDouble(Double.isFinite(v.score()) ? v.score() : Double.MAX_VALUE);
        out.putFloat((float) v.confidence());
        out.putString(truncate(v.predictedClass(), 128));
        out.putString(truncate(v.label(), 256));
        List<FeatureContribution> top = v.topFeatures();
        out.putInt(top == null ? 0 : top.size());
        if (top != null) {
            for (FeatureContribution f : top) {
                out.putString(f.feature());
                out.putString(f.value());
                out.putDouble(f.contribution());
            }
        }
        String[] features = v.features();
        out.putInt(features == null ? -1 : features.length);
        if (features != null) {
            for (String f : features) {
                out.putString(f);
            }
        }
        float[] p = v.probabilities();
        out.putInt(p == null ? -1 : p.length);
        if (p != null) {
            for (float x : p) {
                out.putFloat(x);
            }
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Number of verdicts in a block. */
    static int count(byte[] block) {
        return ByteBuffer.wrap(block).getInt(0);
    }

    /** Decodes verdict {@code index} of a block. */
    static Verdict decode(byte[] block, int index) {
        ByteBuffer b = at(block, index);
        long line = b.getLong();
        boolean anomalous = b.get() != 0;
        Severity severity = Severity.values()[b.get()];
        double score = b.getDouble();
        float confidence = b.getFloat();
        String predicted = string(b);
        String label = string(b);
        int n = b.getInt();
        List<FeatureContribution> top = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            top.add(new FeatureContribution(string(b), string(b), b.getDouble()));
        }
        n = b.getInt();
        String[] features = null;
        if (n >= 0) {
            features = new String[n];
            for (int i = 0; i < n; i++) {
                features[i] = string(b);
            }
        }
        n = b.getInt();
        float[] probabilities = null;
        if (n >= 0) {
            probabilities = new float[n];
            for (int i = 0; i < n; i++) {
                probabilities[i] = b.getFloat();
            }
        }
        return new Verdict(line, anomalous, severity, score, confidence, predicted, label, top, features, probabilities);
    }

    /** The severity ordinal of a verdict positioned by {@link #at}. */
    static int severity(ByteBuffer verdict) {
        return verdict.get(verdict.position() + 9);
    }

    /** The stored score of a verdict positioned by {@link #at}. */
    static double score(ByteBuffer verdict) {
        return verdict.getDouble(verdict.position() + 10);
    }

    /** A buffer positioned at the start of verdict {@code index} of a block. */
    static ByteBuffer at(byte[] block, int index) {
        ByteBuffer b = ByteBuffer.wrap(block);
        int count = b.getInt(0);
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("verdict " + index + " of a block of " + count);
        }
        int base = 4 + 4 * (count + 1);
        b.position(base + b.getInt(4 + 4 * index));
        return b;
    }

    /** The predicted class of a verdict positioned by {@link #at}, leaving the buffer where it was. */
    static String predictedClass(ByteBuffer verdict) {
        ByteBuffer b = verdict.duplicate();
        b.position(verdict.position() + 22);
        return string(b);
    }

    private static String string(ByteBuffer b) {
        int n = varint(b) - 1;
        if (n < 0) {
            return null;
        }
        String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    private static int varint(ByteBuffer b) {
        int x = 0;
        for (int shift = 0; ; shift += 7) {
            byte v = b.get();
            x |= (v & 0x7F) << shift;
            if (v >= 0) {
                return x;
            }
        }
    }

    /** A growable big-endian byte buffer. */
    private static final class Out {
        byte[] buf;
        int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void put(byte x) {
            ensure(1);
            buf[pos++] = x;
        }

        void putInt(int x) {
            ensure(4);
            setInt(pos, x);
            pos += 4;
        }

        void setInt(int at, int x) {
            buf[at] = (byte) (x >>> 24);
            buf[at + 1] = (byte) (x >>> 16);
            buf[at + 2] = (byte) (x >>> 8);
            buf[at + 3] = (byte) x;
        }

        void putLong(long x) {
            putInt((int) (x >>> 32));
            putInt((int) x);
        }

        void putDouble(double x) {
            putLong(Double.doubleToRawLongBits(x));
        }

        void putFloat(float x) {
            putInt(Float.floatToRawIntBits(x));
        }

        void putString(String s) {
            if (s == null) {
                putVarint(0);
                return;
            }
            int n = s.length();
            if (n < 127) {
                // one pass for the usual short ASCII value: length byte, then the chars as bytes
                ensure(n + 1);
                int start = pos;
                buf[pos++] = (byte) (n + 1);
                int i = 0;
                for (; i < n; i++) {
                    char ch = s.charAt(i);
                    if (ch >= 0x80) {
                        break;
                    }
                    buf[pos++] = (byte) ch;
                }
                if (i == n) {
                    return;
                }
                pos = start;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            putVarint(bytes.length + 1);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        void putVarint(int x) {
            ensure(5);
            while ((x & ~0x7F) != 0) {
                buf[pos++] = (byte) ((x & 0x7F) | 0x80);
                x >>>= 7;
            }
            buf[pos++] = (byte) x;
        }
    }
}
