package io.anomalyze.cli;

import io.anomalyze.capture.CaptureOptions;
import io.anomalyze.capture.flow.FlowSettings;
import java.util.Map;
import java.util.Set;

/**
 * The flow-building settings shared by the commands that read captures: {@code --flow-timeout}
 * and {@code --activity-timeout} in seconds, {@code --max-flows}, each falling back to an
 * environment variable and then to CICFlowMeter's defaults; and the capture-reading options
 * {@code --reorder-window} and {@code --max-packet-bytes}.
 */
final class FlowOptions {

    static final Set<String> NAMES = Set.of("flow-timeout", "activity-timeout", "max-flows", "reorder-window", "max-packet-bytes");

    static final String HELP = """
              --flow-timeout SECONDS      a flow ends when a packet comes this long after its start
                                          (ANOMALYZE_FLOW_TIMEOUT, default 120)
              --activity-timeout SECONDS  gaps longer than this are idle time
                                          (ANOMALYZE_ACTIVITY_TIMEOUT, default 5)
              --max-flows N               open flows kept at most; past it the longest idle is ended
                                          (ANOMALYZE_MAX_OPEN_FLOWS, default 200000)
              --reorder-window N          packets held to put out-of-order timestamps back in order;
                                          a packet later than that is skipped and counted
                                          (ANOMALYZE_REORDER_WINDOW, default 4096)
              --max-packet-bytes N        largest captured packet accepted
                                          (ANOMALYZE_MAX_PACKET_BYTES, default 262144)
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

    static CaptureOptions captureOptions(Arguments a) {
        return captureOptions(a, System.getenv());
    }

    static CaptureOptions captureOptions(Arguments a, Map<String, String> env) {
        try {
            return CaptureOptions.parse(a.value("reorder-window", env.get("ANOMALYZE_REORDER_WINDOW")),
                    a.value("max-packet-bytes", env.get("ANOMALYZE_MAX_PACKET_BYTES")));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (--reorder-window, --max-packet-bytes or their ANOMALYZE_* variables)");
        }
    }
}
