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
    /** About 1 KB of state per open flow: some 200 MB at the default, inside a 512 MB heap. */
    public static final int DEFAULT_MAX_OPEN_FLOWS = 200_000;

    public static final FlowSettings DEFAULTS = new FlowSettings(
            DEFAULT_FLOW_TIMEOUT_MICROS, DEFAULT_ACTIVITY_TIMEOUT_MICROS, DEFAULT_MAX_OPEN_FLOWS);

    /**
     * Settings from text (command-line options or environment variables); null means the default.
     *
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public static FlowSettings parse(String flowTimeoutSeconds, String activityTimeoutSeconds, String maxOpenFlows) {
        long flowTimeout = micros(flowTimeoutSeconds, "flow timeout", DEFAULT_FLOW_TIMEOUT_MICROS);
        long activityTimeout = micros(activityTimeoutSeconds, "activity timeout", DEFAULT_ACTIVITY_TIMEOUT_MICROS);
        int cap = DEFAULT_MAX_OPEN_FLOWS;
        if (maxOpenFlows != null) {
            try {
                cap = Integer.parseInt(maxOpenFlows.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the open-flow cap must be a whole number, not \"" + maxOpenFlows + "\"");
            }
        }
        return new FlowSettings(flowTimeout, activityTimeout, cap);
    }

    /** The settings of the ANOMALYZE_FLOW_TIMEOUT, ANOMALYZE_ACTIVITY_TIMEOUT and ANOMALYZE_MAX_OPEN_FLOWS variables. */
    public static FlowSettings fromEnvironment() {
        return parse(System.getenv("ANOMALYZE_FLOW_TIMEOUT"), System.getenv("ANOMALYZE_ACTIVITY_TIMEOUT"),
                System.getenv("ANOMALYZE_MAX_OPEN_FLOWS"));
    }

    private static long micros(String seconds, String what, long fallback) {
        if (seconds == null) {
            return fallback;
        }
        try {
            return new java.math.BigDecimal(seconds.strip()).movePointRight(6).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("the " + what + " must be a number of seconds with at most 6 decimals, not \""
                    + seconds + "\"");
        }
    }

    public FlowSettings {
        if (flowTimeoutMicros <= 0) {
            throw new IllegalArgumentException("the flow timeout must be more than 0 seconds, not " + flowTimeoutMicros / 1e6);
        }
        if (activityTimeoutMicros <= 0) {
            throw new IllegalArgumentException("the activity timeout must be more than 0 seconds, not " + activityTimeoutMicros / 1e6);
        }
        if (maxOpenFlows < 1) {
            throw new IllegalArgumentException("the open-flow cap must be at least 1, not " + maxOpenFlows);
        }
    }
}
