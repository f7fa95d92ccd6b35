package io.anomalyze.store;

import io.anomalyze.detect.FlowIdentity;

/**
 * Which records to list by who, when and what: every part that is set must match, and a record
 * whose identity lacks a part that the filter asks about does not match. Tested on the stored
 * bytes of a verdict ({@link VerdictBlocks}), without decoding it.
 *
 * @param src        source address block, or null
 * @param dst        destination address block, or null
 * @param host       a block either end must lie in, or null
 * @param port       a port either end must use, or {@link FlowIdentity#UNKNOWN}
 * @param fromMicros earliest start time (inclusive, µs since the epoch), or {@link FlowIdentity#NO_TIME}
 * @param toMicros   latest start time (exclusive), or {@link FlowIdentity#NO_TIME}
 */
public record IdentityFilter(AddressBlock src, AddressBlock dst, AddressBlock host, int port, long fromMicros, long toMicros) {

    /** True when the filter asks about nothing. */
    public boolean isEmpty() {
        return src == null && dst == null && host == null && port == FlowIdentity.UNKNOWN
                && fromMicros == FlowIdentity.NO_TIME && toMicros == FlowIdentity.NO_TIME;
    }

    /** True when the verdict starting at {@code data[at]} matches. */
    boolean matches(byte[] data, int at) {
        if ((data[at + 8] & VerdictBlocks.HAS_IDENTITY) == 0) {
            return false;
        }
        int p = at + VerdictBlocks.IDENTITY_OFFSET;
        while (data[p] < 0) {
            p++;
        }
        p++;
        int mask = data[p++] & 0xFF;
        if ((mask & VerdictBlocks.MORE) != 0) {
            p++;
        }
        int srcAt = -1;
        int srcLength = 0;
        int dstAt = -1;
        int dstLength = 0;
        if ((mask & VerdictBlocks.SRC) != 0) {
            srcLength = data[p];
            srcAt = p + 1;
            p += 1 + srcLength;
        }
        if ((mask & VerdictBlocks.DST) != 0) {
            dstLength = data[p];
            dstAt = p + 1;
            p += 1 + dstLength;
        }
        if (src != null && (srcAt < 0 || !src.contains(data, srcAt, srcLength))) {
            return false;
        }
        if (dst != null && (dstAt < 0 || !dst.contains(data, dstAt, dstLength))) {
            return false;
        }
        if (host != null && !(srcAt >= 0 && host.contains(data, srcAt, srcLength))
                && !(dstAt >= 0 && host.contains(data, dstAt, dstLength))) {
            return false;
        }
        int srcPort = -1;
        int dstPort = -1;
        if ((mask & VerdictBlocks.SRC_PORT) != 0) {
            srcPort = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
            p += 2;
        }
        if ((mask & VerdictBlocks.DST_PORT) != 0) {
            dstPort = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
            p += 2;
        }
        if (port != FlowIdentity.UNKNOWN && srcPort != port && dstPort != port) {
            return false;
        }
        if (fromMicros == FlowIdentity.NO_TIME && toMicros == FlowIdentity.NO_TIME) {
            return true;
        }
        if ((mask & VerdictBlocks.PROTOCOL) != 0) {
            p++;
        }
        if ((mask & VerdictBlocks.START) == 0) {
            return false;
        }
        long start = 0;
        for (int i = 0; i < 8; i++) {
            start = (start << 8) | (data[p + i] & 0xFF);
        }
        return (fromMicros == FlowIdentity.NO_TIME || start >= fromMicros) && (toMicros == FlowIdentity.NO_TIME || start < toMicros);
    }

    /** The filter as query parameters ({@code src=...&port=...}), for cache keys and links. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (src != null) {
            sb.append("src=").append(src).append('&');
        }
        if (dst != null) {
            sb.append("dst=").append(dst).append('&');
        }
        if (host != null) {
            sb.append("host=").append(host).append('&');
        }
        if (port != FlowIdentity.UNKNOWN) {
            sb.append("port=").append(port).append('&');
        }
        if (fromMicros != FlowIdentity.NO_TIME) {
            sb.append("from=").append(fromMicros).append('&');
        }
        if (toMicros != FlowIdentity.NO_TIME) {
            sb.append("to=").append(toMicros).append('&');
        }
        return sb.toString();
    }
}
