package io.anomalyze.read;

import io.anomalyze.InvalidInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level reader of comma-separated lines for the hot path: it splits each line into
 * field offsets in place and parses numbers straight from the bytes, so reading allocates
 * nothing per record. Handles LF and CRLF, a UTF-8 byte-order mark, blank lines and simple
 * double-quoted fields, and refuses lines longer than the limit.
 */
public final class CsvLineReader implements Closeable {

    /** Result of the last {@link #number(int)} call. */
    public enum NumberStatus { OK, EMPTY, INVALID }

    private static final double[] POW10 = new double[23];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private final InputStream in;
    private final String source;
    private final int maxLineBytes;
    private byte[] buf = new byte[1 << 16];
    private int bufLimit;
    private int lineStart;
    private int lineEnd;
    private int nextStart;
    private boolean eof;
    private long lineNumber;
    private int[] fieldStart = new int[128];
    private int[] fieldEnd = new int[128];
    /** Per field of the current line: its value if it is a plain decimal, else NaN (see {@link #split}). */
    private double[] plainValue = new double[128];
    private int fieldCount;
    private NumberStatus numberStatus = NumberStatus.OK;

    public CsvLineReader(InputStream in, String source, int maxLineBytes) {
        this.in = in;
        this.source = source;
        this.maxLineBytes = maxLineBytes;
    }

    /** Moves to the next non-blank line; false at the end of the input. */
    public boolean next() throws IOException {
        while (true) {
            if (!advanceLine()) {
                return false;
            }
            if (lineEnd > lineStart && !isBlank()) {
                split();
                return true;
            }
        }
    }

    private boolean isBlank() {
        for (int i = lineStart; i < lineEnd; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private boolean advanceLine() throws IOException {
        int scanFrom = nextStart;
        while (true) {
            int newline = indexOfNewline(scanFrom, bufLimit);
            if (newline >= 0) {
                setLine(nextStart, newline, newline + 1);
                return true;
            }
            scanFrom = bufLimit;
            if (bufLimit - nextStart > maxLineBytes) {
                throw InvalidInputException.limit(source + ": line " + (lineNumber + 1)
                        + " is longer than the limit of " + maxLineBytes + " bytes");
            }
            if (eof) {
                if (nextStart < bufLimit) {
                    setLine(nextStart, bufLimit, bufLimit);
                    return true;
                }
                return false;
            }
            scanFrom -= nextStart;
            fill();
        }
    }

    /** The first '\n' in {@code buf[from, to)}, or -1; eight bytes at a time, as lines are long. */
    private int indexOfNewline(int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(buf, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long found = ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x) & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void setLine(int start, int newline, int next) {
        lineNumber++;
        int end = newline;
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        if (lineNumber == 1 && end - start >= 3 && buf[start] == (byte) 0xEF
                && buf[start + 1] == (byte) 0xBB && buf[start + 2] == (byte) 0xBF) {
            start += 3;
        }
        lineStart = start;
        lineEnd = end;
        nextStart = next;
    }

    /** Moves the unread tail to the front of the buffer (growing it if needed) and reads more. */
    private void fill() throws IOException {
        int tail = bufLimit - nextStart;
        if (nextStart > 0) {
            System.arraycopy(buf, nextStart, buf, 0, tail);
        } else if (tail == buf.length) {
            byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, (long) maxLineBytes + (1 << 16))];
            System.arraycopy(buf, 0, bigger, 0, tail);
            buf = bigger;
        }
        nextStart = 0;
        bufLimit = tail;
        int n = in.read(buf, bufLimit, buf.length - bufLimit);
        if (n < 0) {
            eof = true;
        } else {
            bufLimit += n;
        }
    }

    /**
     * Splits the current line into fields and, in the same pass, parses each field that is a
     * plain decimal (digits, optionally a dot followed by digits, at most 18 digits in all) the
     * way {@link #number} would, so the common case reads every byte once. Any other field is
     * left to {@link #number}.
     */
    private void split() {
        byte[] b = buf;
        int end = lineEnd;
        int count = 0;
        int i = lineStart;
        while (true) {
            if (count == fieldStart.length) {
                fieldStart = java.util.Arrays.copyOf(fieldStart, count * 2);
                fieldEnd = java.util.Arrays.copyOf(fieldEnd, count * 2);
                plainValue = java.util.Arrays.copyOf(plainValue, count * 2);
            }
            fieldStart[count] = i;
            if (i < end && b[i] == '"') {
                i++;
                while (i < end && !(b[i] == '"' && (i + 1 >= end || b[i + 1] != '"'))) {
                    i += b[i] == '"' ? 2 : 1;
                }
                i = Math.min(i + 1, end);
                while (i < end && b[i] != ',') {
                    i++;
                }
                plainValue[count] = Double.NaN;
            } else {
                int from = i;
                long mantissa = 0;
                int digits = 0;
                int dot = -1;
                boolean plain = true;
                for (; i < end; i++) {
                    byte c = b[i];
                    if (c == ',') {
                        break;
                    }
                    int digit = c - '0';
                    if (digit >= 0 && digit <= 9) {
                        mantissa = mantissa * 10 + digit;
                        digits++;
                    } else if (c == '.' && dot < 0) {
                        dot = i;
                    } else {
                        plain = false;
                    }
                }
                int fraction = dot < 0 ? 0 : i - dot - 1;
                plain &= digits >= 1 && digits <= 18 && (dot < 0 || (dot > from && fraction > 0))
                        && exactlyDivisible(mantissa, fraction);
                plainValue[count] = plain ? decimal(mantissa, fraction) : Double.NaN;
            }
            fieldEnd[count] = i;
            count++;
            if (i >= end) {
                break;
            }
            i++;
        }
        fieldCount = count;
    }

    /** 1-based number of the current line in the file. */
    public long lineNumber() {
        return lineNumber;
    }

    public int fieldCount() {
        return fieldCount;
    }

    public String source() {
        return source;
    }

    /** Where the field starts once leading spaces are skipped. */
    private int trimmedStart(int field) {
        int s = fieldStart[field];
        while (s < fieldEnd[field] && isSpace(buf[s])) {
            s++;
        }
        return s;
    }

    /** Where the field ends once trailing spaces are dropped, never before {@code start}. */
    private int trimmedEnd(int field, int start) {
        int e = fieldEnd[field];
        while (e > start && isSpace(buf[e - 1])) {
            e--;
        }
        return e;
    }

    /** The field as text, trimmed, with surrounding double quotes removed. */
    public String text(int field) {
        int s = trimmedStart(field);
        int e = trimmedEnd(field, s);
        if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
            return new String(buf, s + 1, e - s - 2, StandardCharsets.UTF_8).replace("\"\"", "\"");
        }
        return new String(buf, s, e - s, StandardCharsets.UTF_8);
    }

    /**
     * {@link #text} of a field, shared through {@code symbols}: a value seen before costs no
     * allocation.
     */
    public String sharedText(int field, InternedStrings symbols) {
        int s = trimmedStart(field);
        int e = trimmedEnd(field, s);
        if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
            return symbols.intern(text(field));
        }
        return symbols.intern(buf, s, e);
    }

    /**
     * The bytes of the current line, for parsers that read a field in place between
     * {@link #valueStart} and {@link #valueEnd}; valid until the next {@link #next()}.
     */
    public byte[] bytes() {
        return buf;
    }

    /** Where the field's value starts: spaces skipped and, for a quoted value, after the quote. */
    public int valueStart(int field) {
        int s = trimmedStart(field);
        int e = trimmedEnd(field, s);
        return e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"' ? s + 1 : s;
    }

    /** Where the field's value ends (exclusive): before trailing spaces and a closing quote. */
    public int valueEnd(int field) {
        int s = trimmedStart(field);
        int e = trimmedEnd(field, s);
        return e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"' ? e - 1 : e;
    }

    /** The whole current line as text (without its line ending). */
    public String lineText() {
        return new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
    }

    /** True when the field equals {@code ascii} exactly (after trimming spaces). */
    public boolean fieldEquals(int field, byte[] ascii) {
        int s = trimmedStart(field);
        int e = trimmedEnd(field, s);
        if (e - s != ascii.length) {
            return false;
        }
        for (int i = 0; i < ascii.length; i++) {
            if (buf[s + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The field's value when it is a plain decimal (digits with at most one dot: finite and
     * never negative), else NaN; then {@link #number} tells what it is. Costs one array read,
     * as the splitting pass parsed it already.
     */
    public double plainNumber(int field) {
        return plainValue[field];
    }

    /**
     * Parses the field as a number. Plain decimals are parsed from the bytes; anything else
     * (exponents, {@code Infinity}, {@code NaN}, long mantissas) goes through
     * {@link Double#parseDouble}. Check {@link #numberStatus()} afterwards.
     */
    public double number(int field) {
        double plain = plainValue[field];
        if (plain == plain) {
            numberStatus = NumberStatus.OK;
            return plain;
        }
        int s = trimmedStart(field);
        int e = trimmedEnd(field, s);
        if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
            // Some exporters quote every field: "42" is the number 42.
            s++;
            e--;
        }
        if (s == e) {
            numberStatus = NumberStatus.EMPTY;
            return Double.NaN;
        }
        int i = s;
        boolean negative = false;
        if (buf[i] == '-' || buf[i] == '+') {
            negative = buf[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        boolean dot = false;
        for (; i < e; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (b - '0');
                    if (mantissa != 0) {
                        digits++;
                    }
                    if (dot) {
                        fractionDigits++;
                    }
                } else {
                    return slowNumber(s, e);
                }
            } else if (b == '.' && !dot) {
                dot = true;
            } else {
                return slowNumber(s, e);
            }
        }
        if (i == s || (i == s + 1 && (dot || buf[s] == '-' || buf[s] == '+'))) {
            return slowNumber(s, e);
        }
        if (fractionDigits >= POW10.length || !exactlyDivisible(mantissa, fractionDigits)) {
            return slowNumber(s, e);
        }
        numberStatus = NumberStatus.OK;
        double value = decimal(mantissa, fractionDigits);
        return negative ? -value : value;
    }

    /**
     * {@code mantissa / 10^fraction} in double arithmetic: the one formula behind both the
     * splitting pass and {@link #number}, so they give the same double.
     */
    private static double decimal(long mantissa, int fraction) {
        return fraction == 0 ? mantissa : mantissa / POW10[fraction];
    }

    /**
     * True when {@code mantissa / 10^fraction} in double arithmetic is the correctly rounded
     * value: both operands are exact doubles (a mantissa of at most 2^53, a power of ten of at
     * most 10^22), so the one division rounds once. Whole numbers always convert exactly rounded.
     */
    private static boolean exactlyDivisible(long mantissa, int fraction) {
        return fraction == 0 || mantissa <= (1L << 53);
    }

    private double slowNumber(int s, int e) {
        String text = new String(buf, s, e - s, StandardCharsets.ISO_8859_1);
        char last = text.charAt(text.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
            // Java's parser would take "1d" or "2f" as numbers; traffic files never mean that.
            numberStatus = NumberStatus.INVALID;
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(text);
            numberStatus = NumberStatus.OK;
            return v;
        } catch (NumberFormatException notANumber) {
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") || lower.equals("+infinity")) {
                numberStatus = NumberStatus.OK;
                return Double.POSITIVE_INFINITY;
            }
            if (lower.equals("-inf") || lower.equals("-infinity")) {
                numberStatus = NumberStatus.OK;
                return Double.NEGATIVE_INFINITY;
            }
            if (lower.equals("nan")) {
                numberStatus = NumberStatus.OK;
                return Double.NaN;
            }
            numberStatus = NumberStatus.INVALID;
            return Double.NaN;
        }
    }

    public NumberStatus numberStatus() {
        return numberStatus;
    }

    /** A short, printable excerpt of the field for error messages. */
    public String excerpt(int field) {
        String t = text(field);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.length() && sb.length() < 40; i++) {
            char c = t.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '\uFFFD' ? '?' : c);
        }
        return t.length() > 40 ? sb + "..." : sb.toString();
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
