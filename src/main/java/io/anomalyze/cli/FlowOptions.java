package io.anomalyze.cli;

import io.anomalyze.capture.flow.FlowSettings;
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
        try {
            return FlowSettings.parse(a.value("flow-timeout", env.get("ANOMALYZE_FLOW_TIMEOUT")),
                    a.value("activity-timeout", env.get("ANOMALYZE_ACTIVITY_TIMEOUT")),
                    a.value("max-flows", env.get("ANOMALYZE_MAX_OPEN_FLOWS")));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (--flow-timeout, --activity-timeout, --max-flows or their"
                    + " ANOMALYZE_* variables)");
        }
    }
}
