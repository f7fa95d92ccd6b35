package io.anomalyze.capture.flow;

/**
 * Receives each flow as it ends. The flow object is reused as soon as {@link #accept} returns:
 * read what is needed (features, identity) inside the call.
 */
@FunctionalInterface
public interface FlowSink {

    void accept(Flow flow);
}
