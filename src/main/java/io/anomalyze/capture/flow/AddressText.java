package io.anomalyze.capture.flow;

/**
 * Text of an address held as two longs (see {@link io.anomalyze.capture.Packet}): dotted quad
 * for IPv4-mapped addresses, otherwise the RFC 5952 form of IPv6 (lower case, the longest run of
 * two or more zero groups shortened to {@code ::}).
 */
public final class AddressText {

    private static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private AddressText() {
    }

    public static String of(long high, long low) {
        StringBuilder sb = new StringBuilder(39);
        append(sb, high, low);
        return sb.toString();
    }

    public static void append(StringBuilder sb, long high, long low) {
        if (high == 0 && (low & 0xffff_ffff_0000_0000L) == IPV4_MAPPED_PREFIX) {
            sb.append((low >>> 24) & 0xff).append('.').append((low >>> 16) & 0xff).append('.')
                    .append((low >>> 8) & 0xff).append('.').append(low & 0xff);
            return;
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
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
            sb.append(Integer.toHexString(groups[i]));
        }
    }
}
