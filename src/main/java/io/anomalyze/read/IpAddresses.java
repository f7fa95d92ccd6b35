package io.anomalyze.read;

import java.nio.charset.StandardCharsets;

/**
 * IPv4 and IPv6 addresses between text and bytes, without {@link java.net.InetAddress} (which
 * would resolve names and allocates): read straight from the bytes of a line, so checking
 * millions of flow addresses costs no garbage.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Parses {@code text[from, to)} as an IPv4 address (dotted decimal, four parts) or an IPv6
     * address (RFC 4291 text, with {@code ::} and a trailing dotted IPv4 part allowed; no zone).
     *
     * @param out receives the 4 or 16 address bytes; at least 16 long
     * @return 4 or 16, or 0 when the text is not an address
     */
    public static int parse(byte[] text, int from, int to, byte[] out) {
        for (int i = from; i < to; i++) {
            if (text[i] == ':') {
                return parse6(text, from, to, out) ? 16 : 0;
            }
        }
        return parse4(text, from, to, out, 0) ? 4 : 0;
    }

    /** {@link #parse(byte[], int, int, byte[])} of a String; 0 for null. */
    public static int parse(String text, byte[] out) {
        if (text == null) {
            return 0;
        }
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length, out);
    }

    private static boolean parse4(byte[] t, int from, int to, byte[] out, int at) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            if (i == to || t[i] == '.') {
                if (digits == 0 || part > 3) {
                    return false;
                }
                out[at + part++] = (byte) value;
                value = 0;
                digits = 0;
                continue;
            }
            int d = t[i] - '0';
            if (d < 0 || d > 9 || digits == 3) {
                return false;
            }
            value = value * 10 + d;
            digits++;
            if (value > 255) {
                return false;
            }
        }
        return part == 4;
    }

    private static boolean parse6(byte[] t, int from, int to, byte[] out) {
        // Groups before "::" go to the front, those after it are collected and moved to the end.
        int groups = 0;
        int gap = -1;
        int i = from;
        if (to - from >= 2 && t[from] == ':' && t[from + 1] == ':') {
            gap = 0;
            i = from + 2;
            if (i == to) {
                java.util.Arrays.fill(out, 0, 16, (byte) 0);
                return true;
            }
        } else if (from < to && t[from] == ':') {
            return false;
        }
        while (i < to) {
            int start = i;
            int value = 0;
            int digits = 0;
            while (i < to && t[i] != ':') {
                int h = hex(t[i]);
                if (h < 0) {
                    if (t[i] == '.' && groups <= 6) {
                        if (!parse4(t, start, to, out, groups * 2)) {
                            return false;
                        }
                        groups += 2;
                        digits = -1;
                        i = to;
                        break;
                    }
                    return false;
                }
                if (++digits > 4) {
                    return false;
                }
                value = (value << 4) | h;
                i++;
            }
            if (digits == 0) {
                return false;
            }
            if (digits > 0) {
                if (groups == 8) {
                    return false;
                }
                out[groups * 2] = (byte) (value >>> 8);
                out[groups * 2 + 1] = (byte) value;
                groups++;
            }
            if (i < to) {
                // at a ':'
                if (i + 1 < to && t[i + 1] == ':') {
                    if (gap >= 0) {
                        return false;
                    }
                    gap = groups;
                    i += 2;
                    if (i == to) {
                        break;
                    }
                } else {
                    i++;
                    if (i == to) {
                        return false;
                    }
                }
            }
        }
        if (gap < 0) {
            return groups == 8;
        }
        if (groups > 7) {
            return false;
        }
        int tail = groups - gap;
        System.arraycopy(out, gap * 2, out, 16 - tail * 2, tail * 2);
        java.util.Arrays.fill(out, gap * 2, 16 - tail * 2, (byte) 0);
        return true;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** The text of a 4- or 16-byte address: dotted decimal, or RFC 5952 (lower case, longest zero run as {@code ::}). */
    public static String format(byte[] a, int from, int length) {
        StringBuilder sb = new StringBuilder(length == 4 ? 15 : 39);
        if (length == 4) {
            appendIpv4(sb, (int) bigEndian(a, from, 4));
        } else {
            appendIpv6(sb, bigEndian(a, from, 8), bigEndian(a, from + 8, 8));
        }
        return sb.toString();
    }

    private static long bigEndian(byte[] a, int from, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (a[from + i] & 0xFF);
        }
        return v;
    }

    /**
     * An IPv4 address held in an int (first part in the highest byte) as dotted decimal. Written
     * digit by digit into bytes: flows from captures need two such texts each, and StringBuilder's
     * appends made the code that stores flows slow to compile.
     */
    public static String ipv4Text(int address) {
        byte[] b = new byte[15];
        int p = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int part = (address >>> shift) & 0xff;
            if (part >= 100) {
                b[p++] = (byte) ('0' + part / 100);
            }
            if (part >= 10) {
                b[p++] = (byte) ('0' + part / 10 % 10);
            }
            b[p++] = (byte) ('0' + part % 10);
            if (shift > 0) {
                b[p++] = '.';
            }
        }
        return new String(b, 0, p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Appends an IPv4 address held in an int (first part in the highest byte) as dotted decimal. */
    public static void appendIpv4(StringBuilder sb, int address) {
        sb.append(address >>> 24).append('.').append((address >>> 16) & 0xff).append('.')
                .append((address >>> 8) & 0xff).append('.').append(address & 0xff);
    }

    /**
     * Appends an IPv6 address held in two longs (first group in the highest bits of {@code high})
     * in RFC 5952 form: lower case, leading zeros dropped, the longest run of two or more zero
     * groups (the first of equals) shortened to {@code ::}.
     */
    public static void appendIpv6(StringBuilder sb, long high, long low) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (group(high, low, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(high, low, j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(high, low, i)));
        }
    }

    private static int group(long high, long low, int i) {
        return (int) ((i < 4 ? high : low) >>> (48 - 16 * (i & 3))) & 0xffff;
    }
}
