package io.anomalyze.analysis;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.report.EcsAlertWriter;
import io.anomalyze.report.VerdictVolume;
import io.anomalyze.store.Incident;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups the anomalous flows of a streaming analysis into {@link Incident}s: per source,
 * destination and class, split where the time from the incident's last flow to the next one
 * passes the gap. Memory is bounded by the open incidents: past {@code maxOpen}, the one seen
 * least recently is closed. Closed incidents go to the sink in batches, so a long analysis
 * never holds them all.
 *
 * <p>Verdicts without both addresses (connection records, flows of files without address
 * columns) make no incident. Flows without a start time are grouped without gap splitting.
 */
public final class IncidentBuilder {

    /** Default gap that splits an incident: 5 minutes. */
    public static final long DEFAULT_GAP_MICROS = 5 * 60 * 1_000_000L;
    /** Default most open incidents held at once. */
    public static final int DEFAULT_MAX_OPEN = 100_000;
    private static final int FLUSH = 512;

    private record Key(String src, String dst, String className) {
    }

    private final long gapMicros;
    private final int maxOpen;
    private final Consumer<List<Incident>> sink;
    private final List<Incident> closed = new ArrayList<>();
    private final LinkedHashMap<Key, Open> open = new LinkedHashMap<>(1024, 0.75f, true);
    private long incidents;

    /**
     * @param gapMicros a flow starting more than this after its incident's last flow starts a new incident
     * @param maxOpen   most incidents kept open at once
     * @param sink      takes closed incidents, a batch at a time, in the order they closed
     */
    public IncidentBuilder(long gapMicros, int maxOpen, Consumer<List<Incident>> sink) {
        if (gapMicros <= 0 || maxOpen < 1) {
            throw new IllegalArgumentException("the incident gap and the open-incident cap must be positive");
        }
        this.gapMicros = gapMicros;
        this.maxOpen = maxOpen;
        this.sink = sink;
    }

    /** Takes one verdict; only anomalous verdicts with both addresses count. */
    public void add(Verdict v) {
        FlowIdentity id = v.identity();
        if (!v.anomalous() || id.srcAddress() == null || id.dstAddress() == null) {
            return;
        }
        Key key = new Key(id.srcAddress(), id.dstAddress(), v.predictedClass());
        Open o = open.get(key);
        long start = id.startMicros();
        if (o != null && start != FlowIdentity.NO_TIME && o.last != FlowIdentity.NO_TIME && start - o.last > gapMicros) {
            open.remove(key);
            close(o);
            o = null;
        }
        if (o == null) {
            o = new Open(key, v.line());
            open.put(key, o);
            if (open.size() > maxOpen) {
                Iterator<Open> eldest = open.values().iterator();
                Open gone = eldest.next();
                eldest.remove();
                close(gone);
            }
        }
        o.add(v, id);
    }

    /** Closes every open incident and hands the rest to the sink. */
    public void finish() {
        for (Open o : open.values()) {
            close(o);
        }
        open.clear();
        flush();
    }

    /** Incidents closed so far (all of them after {@link #finish}). */
    public long count() {
        return incidents;
    }

    private void close(Open o) {
        closed.add(o.incident());
        incidents++;
        if (closed.size() >= FLUSH) {
            flush();
        }
    }

    private void flush() {
        if (!closed.isEmpty()) {
            sink.accept(List.copyOf(closed));
            closed.clear();
        }
    }

    /** An incident still taking flows. */
    private static final class Open {
        final Key key;
        final long firstLine;
        long first = FlowIdentity.NO_TIME;
        long last = FlowIdentity.NO_TIME;
        long flows;
        long bytes;
        long packets;
        boolean volumesKnown = true;
        Severity worst = Severity.NORMAL;
        int minPort = -1;
        int maxPort = -1;
        /** Distinct destination ports: open addressing over port + 1, 0 meaning empty. */
        int[] ports = new int[8];
        int portCount;

        Open(Key key, long firstLine) {
            this.key = key;
            this.firstLine = firstLine;
        }

        void add(Verdict v, FlowIdentity id) {
            flows++;
            if (v.severity().compareTo(worst) > 0) {
                worst = v.severity();
            }
            long start = id.startMicros();
            if (start != FlowIdentity.NO_TIME) {
                long end = id.endMicros() != FlowIdentity.NO_TIME ? Math.max(id.endMicros(), start) : start;
                first = first == FlowIdentity.NO_TIME ? start : Math.min(first, start);
                last = last == FlowIdentity.NO_TIME ? end : Math.max(last, end);
            }
            int port = id.dstPort();
            if (port >= 0) {
                minPort = minPort < 0 ? port : Math.min(minPort, port);
                maxPort = Math.max(maxPort, port);
                addPort(port);
            }
            EcsAlertWriter.Volume volume = VerdictVolume.of(v);
            if (volume.bytes() >= 0 && volume.packets() >= 0) {
                bytes += volume.bytes();
                packets += volume.packets();
            } else {
                volumesKnown = false;
            }
        }

        private void addPort(int port) {
            int mask = ports.length - 1;
            int value = port + 1;
            for (int i = (port * 0x9E3779B1 >>> 7) & mask; ; i = (i + 1) & mask) {
                if (ports[i] == value) {
                    return;
                }
                if (ports[i] == 0) {
                    ports[i] = value;
                    if (++portCount * 2 > ports.length) {
                        grow();
                    }
                    return;
                }
            }
        }

        private void grow() {
            int[] old = ports;
            ports = new int[old.length * 2];
            portCount = 0;
            for (int value : old) {
                if (value != 0) {
                    addPort(value - 1);
                }
            }
        }

        Incident incident() {
            return new Incident(key.src(), key.dst(), key.className(), first, last, flows,
                    volumesKnown ? bytes : -1, volumesKnown ? packets : -1, portCount, minPort, maxPort, worst, firstLine);
        }
    }
}
