package io.anomalyze.read.flow;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the common shape of a JSON flow record straight from its bytes into a batch row: field
 * names are matched as bytes against the names seen before (records of one sender name their
 * fields in the same order, so the name expected next is tried first), and numbers are parsed
 * from their digits. It reads every record that is well-formed JSON without escape sequences,
 * which is what sensors and shippers send; anything else (an escape, a name that is not ASCII,
 * malformed UTF-8, a value that is not what its field needs, a malformed token, a feature named
 * twice) makes {@link #scan} answer false, and {@link JsonFlowReader} reads the record again with
 * the full parser, which gives the exact reason when there is one. So both paths give the same
 * row for every record this one accepts.
 */
final class JsonFlowScanner {

    private static final int MAX_KEY_BYTES = 256;
    /** Powers of ten exactly representable as doubles. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
            1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private final JsonFlowReader reader;
    private final int maxNames;
    private final int maxDepth;
    /** Field names (dotted paths) seen so far, by their bytes: open addressing, linear probing. */
    private byte[][] keys = new byte[256][];
    private String[] keyTexts = new String[256];
    private int[] keySlots = new int[256];
    /** The entry of the name that followed each entry's name last time, or -1; {@link #firstEntry} for a record's first. */
    private int[] keyNext = filled(256);
    private int firstEntry = -1;
    /** The entry of the name read last in this record, -1 before the first. */
    private int previous;
    private int names;
    /** The dotted path of the object being read, then the field's name. */
    private final byte[] key = new byte[MAX_KEY_BYTES];

    private byte[] b;
    private int end;
    private int pos;
    /** The last value of a number token: its double, and whether it is a plain integer of at most 9 digits. */
    private double number;
    private boolean smallInteger;
    private int integer;
    /** Whether the last string read was ASCII. */
    private boolean ascii;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Texts that repeat from record to record (addresses, start times, labels), by slot. */
    private final byte[][] lastBytes = new byte[16][];
    private final String[] lastText = new String[16];
    private final long[] lastMicros = new long[16];

    JsonFlowScanner(JsonFlowReader reader, int maxNames, int maxDepth) {
        this.reader = reader;
        this.maxNames = maxNames;
        this.maxDepth = maxDepth;
    }

    /**
     * Reads the object in {@code bytes[offset, offset + length)} into {@code batch} row {@code row}
     * (its features zeroed, its identity unknown). False when the record needs the full parser;
     * the row may then hold part of the record and must be cleared again.
     */
    boolean scan(byte[] bytes, int offset, int length, FlowBatch batch, int row) {
        b = bytes;
        pos = offset;
        end = offset + length;
        skipSpace();
        if (pos >= end || b[pos] != '{') {
            return false;
        }
        pos++;
        previous = -1;
        if (!object(batch, row, 0, 0)) {
            return false;
        }
        skipSpace();
        return pos == end;
    }

    /** The fields of an object whose '{' was just read, names prefixed by {@code key[0, prefix)}. */
    private boolean object(FlowBatch batch, int row, int prefix, int depth) {
        skipSpace();
        if (pos < end && b[pos] == '}') {
            pos++;
            return true;
        }
        while (true) {
            skipSpace();
            if (pos >= end || b[pos] != '"') {
                return false;
            }
            int nameStart = ++pos;
            int entry = expected(prefix, nameStart);
            int nameLength;
            if (entry >= 0) {
                nameLength = keys[entry].length - prefix;
                pos = nameStart + nameLength;
            } else {
                while (pos < end && b[pos] != '"') {
                    byte c = b[pos];
                    if (c == '\\' || c < 0x20) {
                        // Also every byte from 0x80: Java bytes are signed.
                        return false;
                    }
                    pos++;
                }
                if (pos >= end) {
                    return false;
                }
                nameLength = pos - nameStart;
            }
            pos++;
            skipSpace();
            if (pos >= end || b[pos] != ':') {
                return false;
            }
            pos++;
            skipSpace();
            if (pos >= end) {
                return false;
            }
            int keyLength = prefix + nameLength;
            if (keyLength + 1 > MAX_KEY_BYTES) {
                return false;
            }
            byte first = b[pos];
            if (first == '{') {
                if (depth >= maxDepth) {
                    return false;
                }
                pos++;
                System.arraycopy(b, nameStart, key, prefix, nameLength);
                key[keyLength] = '.';
                if (!object(batch, row, keyLength + 1, depth + 1)) {
                    return false;
                }
            } else {
                if (entry < 0) {
                    System.arraycopy(b, nameStart, key, prefix, nameLength);
                    entry = find(keyLength);
                    if (entry < 0) {
                        return false;
                    }
                    if (previous < 0) {
                        firstEntry = entry;
                    } else {
                        keyNext[previous] = entry;
                    }
                }
                previous = entry;
                if (!field(keySlots[entry], keyTexts[entry], first, batch, row, depth)) {
                    return false;
                }
            }
            skipSpace();
            if (pos >= end) {
                return false;
            }
            byte c = b[pos++];
            if (c == '}') {
                return true;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    /** The value of a field that is not an object, for its slot. */
    private boolean field(int slot, String name, byte first, FlowBatch batch, int row, int depth) {
        if (slot == JsonFlowReader.IGNORED) {
            return skipValue(depth + 1);
        }
        if (slot >= 0) {
            if (reader.namedBy[slot] != null) {
                return false;
            }
            reader.namedBy[slot] = name;
            double v;
            if (first == '"') {
                int start = pos + 1;
                if (!string()) {
                    return false;
                }
                v = JsonFlowReader.numberText(text(start));
                if (Double.isNaN(v)) {
                    return false;
                }
            } else if (first == 'n') {
                if (!literal("null")) {
                    return false;
                }
                v = 0;
            } else {
                if (!number()) {
                    return false;
                }
                v = Double.isFinite(number) ? number : 0;
            }
            batch.features[row * FlowFeatures.COUNT + slot] = (float) v;
            return true;
        }
        return identity(slot, first, batch, row);
    }

    /** An identity field's value: a string or a number; anything else goes to the full parser. */
    private boolean identity(int slot, byte first, FlowBatch batch, int row) {
        if (first == 'n') {
            return literal("null");
        }
        int start = pos;
        boolean isNumber;
        if (first == '"') {
            if (!string()) {
                return false;
            }
            start++;
            isNumber = false;
        } else {
            if (!number()) {
                return false;
            }
            isNumber = true;
        }
        int length = (isNumber ? pos : pos - 1) - start;
        Charset charset = isNumber || ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        if (isNumber && (slot == JsonFlowReader.SOURCE_PORT || slot == JsonFlowReader.PROTOCOL
                || slot == JsonFlowReader.TRANSPORT)) {
            // As Integer.parseInt reads the token's text: more than 9 digits is out of range anyway.
            int n = smallInteger ? integer : FlowBatch.UNKNOWN;
            if (slot == JsonFlowReader.SOURCE_PORT) {
                batch.srcPort[row] = n >= 0 && n <= 65535 ? n : FlowBatch.UNKNOWN;
            } else if (n >= 0 && n <= 255 && (slot == JsonFlowReader.PROTOCOL || batch.protocol[row] == FlowBatch.UNKNOWN)) {
                batch.protocol[row] = n;
            }
            return true;
        }
        int cache = -slot;
        if (!isNumber && cache < lastBytes.length && lastBytes[cache] != null
                && Arrays.equals(lastBytes[cache], 0, lastBytes[cache].length, b, start, start + length)) {
            switch (slot) {
                case JsonFlowReader.SOURCE_IP -> batch.srcAddress[row] = lastText[cache];
                case JsonFlowReader.DESTINATION_IP -> batch.dstAddress[row] = lastText[cache];
                case JsonFlowReader.START -> batch.startMicros[row] = lastMicros[cache];
                case JsonFlowReader.END -> batch.endMicros[row] = lastMicros[cache];
                case JsonFlowReader.LABEL -> batch.label[row] = lastText[cache];
                default -> {
                    return reader.identity(slot, new String(b, start, length, charset), false, 0, batch, row);
                }
            }
            return true;
        }
        String text = new String(b, start, length, charset);
        reader.identity(slot, text, isNumber, number, batch, row);
        if (!isNumber && cache < lastBytes.length) {
            lastBytes[cache] = Arrays.copyOfRange(b, start, start + length);
            switch (slot) {
                case JsonFlowReader.SOURCE_IP -> lastText[cache] = batch.srcAddress[row];
                case JsonFlowReader.DESTINATION_IP -> lastText[cache] = batch.dstAddress[row];
                case JsonFlowReader.START -> lastMicros[cache] = batch.startMicros[row];
                case JsonFlowReader.END -> lastMicros[cache] = batch.endMicros[row];
                case JsonFlowReader.LABEL -> lastText[cache] = batch.label[row];
                default -> lastBytes[cache] = null;
            }
        }
        return true;
    }

    /**
     * Skips any JSON value (of an ignored field), checking it is well formed. Values nested
     * deeper than the objects this scanner reads are left to the full parser, which has its own
     * limit.
     */
    private boolean skipValue(int depth) {
        if (pos >= end || depth > maxDepth) {
            return false;
        }
        byte c = b[pos];
        switch (c) {
            case '"' -> {
                return string();
            }
            case 't' -> {
                return literal("true");
            }
            case 'f' -> {
                return literal("false");
            }
            case 'n' -> {
                return literal("null");
            }
            case '[', '{' -> {
                boolean object = c == '{';
                byte close = object ? (byte) '}' : (byte) ']';
                pos++;
                skipSpace();
                if (pos < end && b[pos] == close) {
                    pos++;
                    return true;
                }
                while (true) {
                    skipSpace();
                    if (object) {
                        if (pos >= end || b[pos] != '"' || !string()) {
                            return false;
                        }
                        skipSpace();
                        if (pos >= end || b[pos++] != ':') {
                            return false;
                        }
                        skipSpace();
                    }
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                    skipSpace();
                    if (pos >= end) {
                        return false;
                    }
                    byte next = b[pos++];
                    if (next == close) {
                        return true;
                    }
                    if (next != ',') {
                        return false;
                    }
                }
            }
            default -> {
                return number();
            }
        }
    }

    /**
     * The entry of the name expected next (the one that followed the previous name last time)
     * when the name starting at {@code nameStart}, under the current path, is that name; else -1.
     * Names are remembered only once checked, so a match is a whole, plain name.
     */
    private int expected(int prefix, int nameStart) {
        int entry = previous < 0 ? firstEntry : keyNext[previous];
        if (entry < 0) {
            return -1;
        }
        byte[] k = keys[entry];
        int nameEnd = nameStart + k.length - prefix;
        if (nameEnd < nameStart || nameEnd >= end || b[nameEnd] != '"'
                || !Arrays.equals(k, prefix, k.length, b, nameStart, nameEnd)
                || (prefix > 0 && !Arrays.equals(k, 0, prefix, key, 0, prefix))) {
            return -1;
        }
        return entry;
    }

    /**
     * A string at {@code pos} (its opening quote) without escapes or control characters, ending
     * after the closing quote; {@link #ascii} says whether it is ASCII, else it is checked to be
     * well-formed UTF-8 (the full parser refuses malformed bytes with its own reason).
     */
    private boolean string() {
        int start = ++pos;
        boolean high = false;
        while (pos < end) {
            byte c = b[pos++];
            if (c == '"') {
                ascii = !high;
                return high ? wellFormed(start, pos - 1) : true;
            }
            if (c < 0) {
                high = true;
            } else if (c == '\\' || c < 0x20) {
                return false;
            }
        }
        return false;
    }

    private boolean wellFormed(int from, int to) {
        utf8.reset();
        try {
            utf8.decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The text of the string that ended at {@code pos}, which started at {@code start}. */
    private String text(int start) {
        return new String(b, start, pos - 1 - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return delimited();
    }

    /** A token must be followed by space, a comma, or the end of its object or array. */
    private boolean delimited() {
        if (pos >= end) {
            return true;
        }
        byte c = b[pos];
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * A JSON number at {@code pos}, to {@link #number} as the correctly rounded double of its
     * text (the value {@code Double.parseDouble} and the full parser give): whole numbers up to
     * 2^53 and decimals whose digits make at most 2^53 are exact or rounded once from exact
     * operands; the rest go through {@code Double.parseDouble}.
     */
    private boolean number() {
        int start = pos;
        boolean negative = false;
        if (pos < end && b[pos] == '-') {
            negative = true;
            pos++;
        }
        if (pos >= end) {
            return false;
        }
        long mantissa = 0;
        int digitsStart = pos;
        if (b[pos] == '0') {
            pos++;
            if (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                return false;
            }
        } else {
            byte c;
            while (pos < end && (c = b[pos]) >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                pos++;
            }
            if (pos == digitsStart) {
                return false;
            }
        }
        int digits = pos - digitsStart;
        int fraction = 0;
        boolean simple = true;
        if (pos < end && b[pos] == '.') {
            pos++;
            int fractionStart = pos;
            byte c;
            while (pos < end && (c = b[pos]) >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                pos++;
            }
            fraction = pos - fractionStart;
            if (fraction == 0) {
                return false;
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int exponentStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == exponentStart) {
                return false;
            }
            simple = false;
        }
        if (!delimited()) {
            return false;
        }
        smallInteger = simple && fraction == 0 && digits <= 9;
        if (smallInteger) {
            integer = negative ? (int) -mantissa : (int) mantissa;
        }
        // At most 18 digits cannot overflow the mantissa.
        if (simple && digits + fraction <= 18 && fraction < POW10.length) {
            if (fraction == 0) {
                // A whole number is an integer token, whose -0 is 0.
                number = negative && mantissa != 0 ? -(double) mantissa : mantissa;
                return true;
            }
            if (mantissa <= (1L << 53)) {
                double v = mantissa / POW10[fraction];
                number = negative ? -v : v;
                return true;
            }
        }
        number = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
        return true;
    }

    private void skipSpace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The entry of the name in {@code key[0, length)}, remembered on first sight; -1 when too many names were seen. */
    private int find(int length) {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + key[i];
        }
        int mask = keys.length - 1;
        int at = mix(hash) & mask;
        while (keys[at] != null) {
            byte[] k = keys[at];
            if (k.length == length && Arrays.equals(k, 0, length, key, 0, length)) {
                return at;
            }
            at = (at + 1) & mask;
        }
        if (names >= maxNames) {
            return -1;
        }
        String text = new String(key, 0, length, StandardCharsets.ISO_8859_1);
        keys[at] = Arrays.copyOf(key, length);
        keyTexts[at] = text;
        keySlots[at] = reader.slot(text);
        names++;
        if (names * 2 > keys.length) {
            grow();
            return find(length);
        }
        return at;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldTexts = keyTexts;
        int[] oldSlots = keySlots;
        keys = new byte[oldKeys.length * 2][];
        keyTexts = new String[keys.length];
        keySlots = new int[keys.length];
        keyNext = filled(keys.length);
        firstEntry = -1;
        previous = -1;
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            byte[] k = oldKeys[i];
            if (k == null) {
                continue;
            }
            int hash = 1;
            for (byte c : k) {
                hash = 31 * hash + c;
            }
            int at = mix(hash) & mask;
            while (keys[at] != null) {
                at = (at + 1) & mask;
            }
            keys[at] = k;
            keyTexts[at] = oldTexts[i];
            keySlots[at] = oldSlots[i];
        }
    }

    private static int[] filled(int length) {
        int[] a = new int[length];
        Arrays.fill(a, -1);
        return a;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }
}
