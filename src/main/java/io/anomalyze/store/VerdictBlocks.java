package io.anomalyze.store;

import io.anomalyze.detect.FeatureContribution;
import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.IpAddresses;
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
 * long line, byte flags, byte severity, double score, float confidence, [identity],
 * str predictedClass, str label, int n + n x (str feature, str value, double contribution) top features,
 * int n (-1: none) + n x str features, int n (-1: none) + n x float probabilities
 * </pre>
 *
 * where {@code str} is a varint of its UTF-8 byte length plus one (0: null) and those bytes;
 * a varint is 7 bits a byte, low bits first, the top bit set on all but the last byte. Other
 * integers are big-endian. Flags: bit 0 anomalous, bit 1 an identity follows.
 *
 * <p>The identity ({@link FlowIdentity}; absent in verdicts stored before it was kept, which
 * therefore still read the same) is a varint of its byte length, then a byte saying which
 * parts follow, then (when that byte has bit 128) a second such byte, then the parts in this
 * order: 1 source address, 2 destination address (each a byte 4 or 16 and the address bytes),
 * 4 source port, 8 destination port (two bytes each), 16 protocol (a byte), 32 start (long, µs
 * since the epoch), 64 end (varint of µs after the start, or a long when the second byte has
 * 32); the second byte's 1 Flow ID as text (a str), 8 service (a str), 16 flag (a str); its 2
 * says the Flow ID is {@code src-dst-srcPort-dstPort-protocol} and 4 the same with the ends
 * swapped, so the usual CICFlowMeter Flow ID costs no bytes.
 * Fixed positions let {@link IdentityFilter} test a stored verdict without decoding it.
 */
final class VerdictBlocks {

    /** Verdicts per stored block; block {@code b} holds sequence numbers {@code [b * SIZE, (b + 1) * SIZE)}. */
    static final int SIZE = 512;

    private VerdictBlocks() {
    }

    /** Encodes verdicts {@code [from, to)} of {@code verdicts} as one block. */
    static byte[] encode(List<Verdict> verdicts, int from, int to) {
        return new Encoder().encode(verdicts, from, to);
    }

    /**
     * Encodes blocks one after another in working memory it keeps, so storing an analysis's
     * blocks does not allocate and clear a fresh buffer for each. One per thread.
     */
    static final class Encoder {
        private final Out out = new Out(256 * SIZE + 64);
        private final byte[] src = new byte[16];
        private final byte[] dst = new byte[16];

        /** Encodes verdicts {@code [from, to)} of {@code verdicts} as one block. */
        byte[] encode(List<Verdict> verdicts, int from, int to) {
            int count = to - from;
            out.pos = 0;
            out.putInt(count);
            int table = out.pos;
            out.ensure(4 * (count + 1));
            out.pos += 4 * (count + 1);
            int base = out.pos;
            for (int i = 0; i < count; i++) {
                out.setInt(table + 4 * i, out.pos - base);
                write(out, verdicts.get(from + i), src, dst);
            }
            out.setInt(table + 4 * count, out.pos - base);
            return Arrays.copyOf(out.buf, out.pos);
        }
    }

    static final int ANOMALOUS = 1;
    static final int HAS_IDENTITY = 2;
    /** Where a verdict's identity starts, when its flags say it has one. */
    static final int IDENTITY_OFFSET = 22;

    static final int SRC = 1;
    static final int DST = 2;
    static final int SRC_PORT = 4;
    static final int DST_PORT = 8;
    static final int PROTOCOL = 16;
    static final int START = 32;
    static final int END = 64;
    static final int MORE = 128;
    static final int FLOW_ID_TEXT = 1;
    static final int FLOW_ID_FORWARD = 2;
    static final int FLOW_ID_REVERSE = 4;
    static final int SERVICE = 8;
    static final int FLAG = 16;
    static final int END_ABSOLUTE = 32;

    /** Writes one verdict; {@code src} and {@code dst} are 16-byte scratch arrays for its addresses. */
    private static void write(Out out, Verdict v, byte[] src, byte[] dst) {
        FlowIdentity id = v.identity();
        boolean identity = !id.isEmpty();
        out.putLong(v.line());
        out.put((byte) ((v.anomalous() ? ANOMALOUS : 0) | (identity ? HAS_IDENTITY : 0)));
        out.put((byte) v.severity().ordinal());
        out.putDouble(v.score());
        out.putFloat((float) v.confidence());
        if (identity) {
            writeIdentity(out, id, src, dst);
        }
        out.putString(truncate(v.predictedClass(), 128));
        out.putString(truncate(v.label(), 256));
        List<FeatureContribution> top = v.topFeatures();
        out.putInt(top == null ? 0 : top.size());
        if (top != null) {
            for (int i = 0; i < top.size(); i++) {
                FeatureContribution f = top.get(i);
                out.putString(f.feature());
                out.putString(f.value());
                out.putDouble(f.contribution());
            }
        }
        String[] features = v.features();
        out.putInt(features == null ? -1 : features.length);
        if (features != null) {
            for (int i = 0; i < features.length; i++) {
                out.putString(features[i]);
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

    private static void writeIdentity(Out out, FlowIdentity id, byte[] src, byte[] dst) {
        int srcLength = IpAddresses.parse(id.srcAddress(), src);
        int dstLength = IpAddresses.parse(id.dstAddress(), dst);
        int more = 0;
        String flowId = id.flowId();
        if (flowId != null) {
            String srcText = srcLength == 0 ? null : IpAddresses.format(src, 0, srcLength);
            String dstText = dstLength == 0 ? null : IpAddresses.format(dst, 0, dstLength);
            if (isTuple(flowId, srcText, dstText, id.srcPort(), id.dstPort(), id.protocol())) {
                more |= FLOW_ID_FORWARD;
            } else if (isTuple(flowId, dstText, srcText, id.dstPort(), id.srcPort(), id.protocol())) {
                more |= FLOW_ID_REVERSE;
            } else {
                more |= FLOW_ID_TEXT;
            }
        }
        boolean hasStart = id.startMicros() != FlowIdentity.NO_TIME;
        boolean hasEnd = id.endMicros() != FlowIdentity.NO_TIME;
        if (hasEnd && (!hasStart || id.endMicros() < id.startMicros())) {
            more |= END_ABSOLUTE;
        }
        more |= (id.service() != null ? SERVICE : 0) | (id.flag() != null ? FLAG : 0);
        int mask = (srcLength > 0 ? SRC : 0) | (dstLength > 0 ? DST : 0)
                | (id.srcPort() >= 0 ? SRC_PORT : 0) | (id.dstPort() >= 0 ? DST_PORT : 0)
                | (id.protocol() >= 0 ? PROTOCOL : 0) | (hasStart ? START : 0) | (hasEnd ? END : 0) | (more != 0 ? MORE : 0);
        // The length goes first: write the identity after a one-byte gap, then move it if it needs more.
        int lengthAt = out.pos;
        out.put((byte) 0);
        int start = out.pos;
        out.put((byte) mask);
        if (more != 0) {
            out.put((byte) more);
        }
        if (srcLength > 0) {
            out.put((byte) srcLength);
            out.putBytes(src, srcLength);
        }
        if (dstLength > 0) {
            out.put((byte) dstLength);
            out.putBytes(dst, dstLength);
        }
        if (id.srcPort() >= 0) {
            out.putShort(id.srcPort());
        }
        if (id.dstPort() >= 0) {
            out.putShort(id.dstPort());
        }
        if (id.protocol() >= 0) {
            out.put((byte) id.protocol());
        }
        if (hasStart) {
            out.putLong(id.startMicros());
        }
        if (hasEnd) {
            if ((more & END_ABSOLUTE) != 0) {
                out.putLong(id.endMicros());
            } else {
                out.putVarlong(id.endMicros() - id.startMicros());
            }
        }
        if ((more & FLOW_ID_TEXT) != 0) {
            out.putString(truncate(flowId, 256));
        }
        if ((more & SERVICE) != 0) {
            out.putString(truncate(id.service(), 64));
        }
        if ((more & FLAG) != 0) {
            out.putString(truncate(id.flag(), 64));
        }
        int length = out.pos - start;
        if (length < 0x80) {
            out.buf[lengthAt] = (byte) length;
        } else {
            byte[] body = Arrays.copyOfRange(out.buf, start, out.pos);
            out.pos = lengthAt;
            out.putVarint(length);
            out.putBytes(body, body.length);
        }
    }

    /** True when {@code flowId} is {@code a-b-portA-portB-protocol}, without building that text. */
    static boolean isTuple(String flowId, String a, String b, int portA, int portB, int protocol) {
        if (a == null || b == null || portA < 0 || portB < 0 || protocol < 0) {
            return false;
        }
        int i = 0;
        if (!flowId.startsWith(a, i)) {
            return false;
        }
        i += a.length();
        if (!dash(flowId, i) || !flowId.startsWith(b, ++i)) {
            return false;
        }
        i += b.length();
        for (int n : new int[] {portA, portB, protocol}) {
            if (!dash(flowId, i)) {
                return false;
            }
            i = number(flowId, i + 1, n);
            if (i < 0) {
                return false;
            }
        }
        return i == flowId.length();
    }

    private static boolean dash(String s, int i) {
        return i < s.length() && s.charAt(i) == '-';
    }

    /** Position after the decimal {@code n} at {@code i}, or -1 when it is not there. */
    private static int number(String s, int i, int n) {
        String digits = Integer.toString(n);
        return s.startsWith(digits, i) && (i + digits.length() == s.length() || s.charAt(i + digits.length()) == '-')
                ? i + digits.length() : -1;
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
        int flags = b.get();
        boolean anomalous = (flags & ANOMALOUS) != 0;
        Severity severity = Severity.values()[b.get()];
        double score = b.getDouble();
        float confidence = b.getFloat();
        FlowIdentity identity = (flags & HAS_IDENTITY) != 0 ? readIdentity(b) : FlowIdentity.EMPTY;
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
        return new Verdict(line, anomalous, severity, score, confidence, predicted, label, top, features, probabilities, identity);
    }

    /** Reads an identity at the buffer's position, leaving it after the identity. */
    private static FlowIdentity readIdentity(ByteBuffer b) {
        int length = varint(b);
        int end = b.position() + length;
        int mask = b.get() & 0xFF;
        int more = (mask & MORE) != 0 ? b.get() & 0xFF : 0;
        String src = (mask & SRC) != 0 ? address(b) : null;
        String dst = (mask & DST) != 0 ? address(b) : null;
        int srcPort = (mask & SRC_PORT) != 0 ? b.getShort() & 0xFFFF : FlowIdentity.UNKNOWN;
        int dstPort = (mask & DST_PORT) != 0 ? b.getShort() & 0xFFFF : FlowIdentity.UNKNOWN;
        int protocol = (mask & PROTOCOL) != 0 ? b.get() & 0xFF : FlowIdentity.UNKNOWN;
        long start = (mask & START) != 0 ? b.getLong() : FlowIdentity.NO_TIME;
        long endMicros = FlowIdentity.NO_TIME;
        if ((mask & END) != 0) {
            endMicros = (more & END_ABSOLUTE) != 0 ? b.getLong() : start + varlong(b);
        }
        String flowId = null;
        String service = null;
        String flag = null;
        if ((more & FLOW_ID_TEXT) != 0) {
            flowId = string(b);
        } else if ((more & FLOW_ID_FORWARD) != 0) {
            flowId = src + "-" + dst + "-" + srcPort + "-" + dstPort + "-" + protocol;
        } else if ((more & FLOW_ID_REVERSE) != 0) {
            flowId = dst + "-" + src + "-" + dstPort + "-" + srcPort + "-" + protocol;
        }
        if ((more & SERVICE) != 0) {
            service = string(b);
        }
        if ((more & FLAG) != 0) {
            flag = string(b);
        }
        b.position(end);
        return new FlowIdentity(flowId, src, srcPort, dst, dstPort, protocol, start, endMicros, service, flag);
    }

    private static String address(ByteBuffer b) {
        int n = b.get();
        String text = IpAddresses.format(b.array(), b.position(), n);
        b.position(b.position() + n);
        return text;
    }

    /** The severity ordinal of a verdict positioned by {@link #at}. */
    static int severity(ByteBuffer verdict) {
        return verdict.get(verdict.position() + 9);
    }

    /** The stored score of a verdict positioned by {@link #at}. */
    static double score(ByteBuffer verdict) {
        return verdict.getDouble(verdict.position() + 10);
    }

    /** Where verdict {@code index} of a block starts. */
    static int offset(byte[] block, int index) {
        int count = ((block[0] & 0xFF) << 24) | ((block[1] & 0xFF) << 16) | ((block[2] & 0xFF) << 8) | (block[3] & 0xFF);
        int t = 4 + 4 * index;
        return 4 + 4 * (count + 1)
                + (((block[t] & 0xFF) << 24) | ((block[t + 1] & 0xFF) << 16) | ((block[t + 2] & 0xFF) << 8) | (block[t + 3] & 0xFF));
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
        b.position(verdict.position() + IDENTITY_OFFSET);
        if ((verdict.get(verdict.position() + 8) & HAS_IDENTITY) != 0) {
            int length = varint(b);
            b.position(b.position() + length);
        }
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

    private static long varlong(ByteBuffer b) {
        long x = 0;
        for (int shift = 0; ; shift += 7) {
            byte v = b.get();
            x |= (long) (v & 0x7F) << shift;
            if (v >= 0) {
                return x;
            }
        }
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

        void putShort(int x) {
            ensure(2);
            buf[pos++] = (byte) (x >>> 8);
            buf[pos++] = (byte) x;
        }

        void putBytes(byte[] bytes, int n) {
            ensure(n);
            System.arraycopy(bytes, 0, buf, pos, n);
            pos += n;
        }

        void putVarlong(long x) {
            ensure(10);
            while ((x & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((x & 0x7F) | 0x80);
                x >>>= 7;
            }
            buf[pos++] = (byte) x;
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
