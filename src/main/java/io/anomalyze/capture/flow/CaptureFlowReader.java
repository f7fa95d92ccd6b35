package io.anomalyze.capture.flow;

import io.anomalyze.capture.CaptureStats;
import io.anomalyze.capture.Packet;
import io.anomalyze.capture.PacketSource;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.Closeable;
import java.io.IOException;

/**
 * Turns a capture into batches of flow records with identity, the way {@code FlowRecordReader}
 * turns a flow CSV into them: packets are read and cut into flows until the batch is nearly full,
 * so a detector scores a capture without the flows ever becoming CSV text.
 */
public final class CaptureFlowReader implements Closeable {

    /**
     * One packet ends at most a handful of flows (its own flow's restart, a cap eviction and a
     * few timed-out flows), so filling stops this many rows short of a full batch.
     */
    private static final int HEADROOM = 16;

    private final PacketSource source;
    private final FlowBuilder builder;
    private final Packet packet = new Packet();
    private final double[] features = new double[FlowFeatures.COUNT];
    private FlowBatch target;
    private long flowNumber;
    private boolean packetsDone;

    public CaptureFlowReader(PacketSource source, FlowSettings settings) {
        this.source = source;
        this.builder = new FlowBuilder(settings, this::store);
    }

    /**
     * Fills the batch (cleared first) with the next flows.
     *
     * @return false when the capture has no more flows (the batch is then empty)
     */
    public boolean read(FlowBatch batch) throws IOException {
        batch.clear();
        target = batch;
        try {
            int limit = batch.capacity - HEADROOM;
            while (!packetsDone && batch.size() < limit) {
                if (source.next(packet)) {
                    builder.accept(packet);
                } else {
                    packetsDone = true;
                }
            }
            if (packetsDone) {
                builder.finish(batch.capacity - batch.size());
            }
            return batch.size() > 0;
        } finally {
            target = null;
        }
    }

    private void store(Flow flow) {
        FlowBatch b = target;
        int row = b.addRow();
        flow.features(features, 0);
        int base = row * FlowFeatures.COUNT;
        for (int i = 0; i < FlowFeatures.COUNT; i++) {
            b.features[base + i] = (float) features[i];
        }
        String src = AddressText.of(flow.srcHigh(), flow.srcLow());
        String dst = AddressText.of(flow.dstHigh(), flow.dstLow());
        b.label[row] = null;
        b.line[row] = ++flowNumber;
        b.srcAddress[row] = src;
        b.dstAddress[row] = dst;
        b.srcPort[row] = flow.srcPort();
        b.dstPort[row] = flow.dstPort();
        b.protocol[row] = flow.protocol();
        b.flowId[row] = FlowBatch.FLOW_ID_FORWARD;
        b.startMicros[row] = flow.startMicros();
        b.endMicros[row] = flow.endMicros();
    }

    public long packets() {
        return builder.packets();
    }

    public long flows() {
        return builder.flows();
    }

    public long evictedFlows() {
        return builder.evicted();
    }

    public CaptureStats stats() {
        return source.stats();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
