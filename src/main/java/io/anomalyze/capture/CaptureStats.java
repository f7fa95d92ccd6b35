package io.anomalyze.capture;

import java.util.Map;

/**
 * Counts of a capture's records: how many became flow input and how many were skipped, by
 * reason (for example "non-IP", "unsupported link type 105", "truncated by snaplen",
 * "bad IPv4 header", "out of order beyond the window"), and whether the capture ended mid-record.
 *
 * @param records     every packet record read
 * @param ipPackets   records handed on as IP packets
 * @param skipped     skipped records by reason, in the order the reasons first occurred
 * @param truncatedAt byte offset where the capture was cut off mid-record, or -1
 */
public record CaptureStats(long records, long ipPackets, Map<String, Long> skipped, long truncatedAt) {
}
