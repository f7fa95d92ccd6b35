package io.anomalyze.cli;

import io.anomalyze.capture.flow.FlowSettings;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * The flow-building settings shared by the commands that read captures: {@code --flow-timeout}
 * and {@code --activity-timeout} in seconds, {@code --max-flows}, each falling back to an
 * environment variable and then to CICFlowMeter's defaults.
 */
final class FlowOptions {

    static final Set<String> NAMES = Set.of("flow-timeout", "activity-timeout", "max-flows");

    static final String HELP = """
              --flow-timeout SECONDS      a flow ends when a packet comes this long after its start
                                          (ANOMALYZE_FLOW_TIMEOUT, default 120)
              --activity-timeout SECONDS  gaps longer than this are idle time
                                          (ANOMALYZE_ACTIVITY_TIMEOUT, default 5)
              --max-flows N               open flows kept at most; past it the longest idle is ended
                                          (ANOMALYZE_MAX_OPEN_FLOWS, default 200000)
            """;

    private FlowOptions() {
    }

    static FlowSettings from(Arguments a) {
        return from(a, System.getenv());
    }

    static FlowSettings from(Arguments a, Map<String, String> env) {
        long flowTimeout = micros(a.value("flow-timeout", env.get("ANOMALYZE_FLOW_TIMEOUT")), "flow-timeout",
                FlowSettings.DEFAULT_FLOW_TIMEOUT_MICROS);
        long activityTimeout = micros(a.value("activity-timeout", env.get("ANOMALYZE_ACTIVITY_TIMEOUT")), "activity-timeout",
                FlowSettings.DEFAULT_ACTIVITY_TIMEOUT_MICROS);
        String cap = a.value("max-flows", env.get("ANOMALYZE_MAX_OPEN_FLOWS"));
        int maxFlows = FlowSettings.DEFAULT_MAX_OPEN_FLOWS;
        if (cap != null) {
            try {
                maxFlows = Integer.parseInt(cap.strip());
            } catch (NumberFormatException e) {
                throw new UsageException("--max-flows must be a whole number, not \"" + cap + "\"");
            }
            if (maxFlows < 1) {
                throw new UsageException("--max-flows must be at least 1, not " + maxFlows);
            }
        }
        return new FlowSettings(flowTimeout, activityTimeout, maxFlows);
    }

    private static long micros(String seconds, String option, long fallback) {
        if (seconds == null) {
            return fallback;
        }
        try {
            BigDecimal s = new BigDecimal(seconds.strip());
            long micros = s.movePointRight(6).longValueExact();
            if (micros <= 0) {
                throw new UsageException("--" + option + " must be more than 0 seconds, not " + seconds);
            }
            return micros;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--" + option + " must be a number of seconds with at most 6 decimals, not \"" + seconds + "\"");
        }
    }
}
