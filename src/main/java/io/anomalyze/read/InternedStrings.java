package io.anomalyze.read;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares one String per distinct symbolic value (services, flags, labels) while a file is read:
 * millions of records repeat a few dozen values. Values can be looked up straight from the
 * bytes of a line, so a repeated value costs neither a String nor a copy. Bounded, so a file of
 * ever-new values cannot grow it without limit; past the bound values are simply not shared.
 */
public final class InternedStrings {

    private static final int MAX_VALUES = 10_000;

    private final Map<String, String> values = new HashMap<>();
    /** Open addressing over bytes, at most half full; grows from small so a one-line request stays cheap. */
    private byte[][] keys = new byte[64][];
    private String[] strings = new String[64];
    private int byteValues;

    public String intern(String s) {
        if (values.size() >= MAX_VALUES) {
            String known = values.get(s);
            return known != null ? known : s;
        }
        return values.computeIfAbsent(s, k -> k);
    }

    /** The shared String for the UTF-8 text in {@code bytes[from, to)}. */
    public String intern(byte[] bytes, int from, int to) {
        int mask = keys.length - 1;
        int slot = slotOf(bytes, from, to, mask);
        while (keys[slot] != null) {
            if (Arrays.equals(keys[slot], 0, keys[slot].length, bytes, from, to)) {
                return strings[slot];
            }
            slot = (slot + 1) & mask;
        }
        String s = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        if (byteValues < MAX_VALUES) {
            keys[slot] = Arrays.copyOfRange(bytes, from, to);
            strings[slot] = s;
            if (++byteValues * 2 > keys.length) {
                grow();
            }
        }
        return s;
    }

    private static int slotOf(byte[] bytes, int from, int to, int mask) {
        int hash = 1;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + bytes[i];
        }
        return (hash ^ (hash >>> 15)) & mask;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldStrings = strings;
        keys = new byte[oldKeys.length * 2][];
        strings = new String[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = slotOf(oldKeys[i], 0, oldKeys[i].length, mask);
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                strings[slot] = oldStrings[i];
            }
        }
    }
}
