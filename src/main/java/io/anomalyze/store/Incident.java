package io.anomalyze.store;

import io.anomalyze.detect.Severity;

/**
 * Anomalous flows from one source to one destination under one class, with no gap between
 * them longer than the incident gap: one finding instead of many rows.
 *
 * @param srcAddress      the source address
 * @param dstAddress      the destination address
 * @param className       the class the detector named
 * @param firstMicros     start of the first flow, microseconds since 1970-01-01T00:00Z, or
 *                        {@link io.anomalyze.detect.FlowIdentity#NO_TIME} when the input has no times
 * @param lastMicros      end of the last flow (its start when it has no end), or NO_TIME
 * @param flows           anomalous flows in the incident
 * @param bytes           bytes of those flows, both directions, or -1 when the input does not say
 * @param packets         packets of those flows, both directions, or -1 when the input does not say
 * @param distinctPorts   distinct destination ports
 * @param minPort         lowest destination port, or -1 when none is known
 * @param maxPort         highest destination port, or -1
 * @param highestSeverity the worst severity among its flows
 * @param firstLine       the line of its first flow in the file
 */
public record Incident(String srcAddress, String dstAddress, String className, long firstMicros, long lastMicros,
                       long flows, long bytes, long packets, int distinctPorts, int minPort, int maxPort,
                       Severity highestSeverity, long firstLine) {
}
