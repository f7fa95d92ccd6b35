package io.anomalyze.capture.flow;

/**
 * How packets are cut into flows.
 *
 * @param flowTimeoutMicros     a flow ends once a packet arrives this long after the flow's first
 *                              packet (CICFlowMeter's flow timeout, 120 s)
 * @param activityTimeoutMicros a gap longer than this between packets ends an active period and
 *                              counts as idle time (CICFlowMeter's activity timeout, 5 s)
 * @param maxOpenFlows          open flows kept at most; past it the flow idle longest is ended
 *                              and emitted, so memory stays bounded whatever the capture
 */
public record FlowSettings(long flowTimeoutMicros, long activityTimeoutMicros, int maxOpenFlows) {

    public static final long DEFAULT_FLOW_TIMEOUT_MICROS = 120_000_000L;
    public static final long DEFAULT_ACTIVITY_TIMEOUT_MICROS = 5_000_000L;
    /** About 100 MB of flow state at the default, well inside a 512 MB heap. */
    public static final int DEFAULT_MAX_OPEN_FLOWS = 200_000;

    public static final FlowSettings DEFAULTS = new FlowSettings(
            DEFAULT_FLOW_TIMEOUT_MICROS, DEFAULT_ACTIVITY_TIMEOUT_MICROS, DEFAULT_MAX_OPEN_FLOWS);

    public FlowSettings {
        if (flowTimeoutMicros <= 0) {
            throw new IllegalArgumentException("the flow timeout must be positive, not " + flowTimeoutMicros + " µs");
        }
        if (activityTimeoutMicros <= 0) {
            throw new IllegalArgumentException("the activity timeout must be positive, not " + activityTimeoutMicros + " µs");
        }
        if (maxOpenFlows < 1) {
            throw new IllegalArgumentException("the open-flow cap must be at least 1, not " + maxOpenFlows);
        }
    }
}
