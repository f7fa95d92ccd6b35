package io.anomalyze.analysis;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.store.AnalysisStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hosts behind an analysis's anomalies: the sources and destinations with the most
 * anomalous flows, each with its severity mix, predicted classes, first and last time seen, and
 * how many distinct peers and destination ports its anomalous flows involve.
 *
 * <p>Two passes over the stored verdicts, streamed in file order: the first counts anomalous
 * flows per address, the second gathers the details of the top hosts only, so memory follows the
 * number of distinct anomalous addresses (at most {@link #MAX_HOSTS} a side), not the number of
 * flows. Connection records have no addresses and give no hosts.
 */
public final class HostActivity {

    /** Distinct addresses counted per side; past it, new addresses are left out and the report says so. */
    static final int MAX_HOSTS = 200_000;
    /** Distinct peers counted per listed host; a spoofed flood may have millions. */
    static final int MAX_PEERS = 100_000;

    /**
     * One host.
     *
     * @param address        the address
     * @param anomalous      its anomalous flows (as source, or as destination)
     * @param severityCounts those flows per severity, in {@link Severity} order
     * @param classes        those flows per predicted class, most first
     * @param firstSeen      earliest start of those flows, or null when they carry no time
     * @param lastSeen       latest end (or start) of those flows, or null
     * @param peers          distinct addresses at the other end
     * @param peersCapped    true when there were more than {@link #MAX_PEERS} and counting stopped
     * @param ports          distinct destination ports
     */
    public record Host(String address, long anomalous, long[] severityCounts, Map<String, Long> classes,
                       Instant firstSeen, Instant lastSeen, long peers, boolean peersCapped, int ports) {
    }

    /**
     * @param sources       top sources, most anomalous flows first
     * @param destinations  top destinations
     * @param anomalousFlows anomalous flows that name an address
     * @param truncated     true when more than {@link #MAX_HOSTS} distinct addresses were seen on a side
     */
    public record Report(List<Host> sources, List<Host> destinations, long anomalousFlows, boolean truncated) {
    }

    private HostActivity() {
    }

    /** The top {@code limit} sources and destinations of a finished analysis. */
    public static Report of(AnalysisStore store, long analysisId, int limit) {
        Map<String, long[]> bySource = new HashMap<>();
        Map<String, long[]> byDestination = new HashMap<>();
        long[] flows = new long[1];
        boolean[] truncated = new boolean[1];
        store.forEachVerdict(analysisId, v -> {
            FlowIdentity id = v.identity();
            if (!v.anomalous() || (id.srcAddress() == null && id.dstAddress() == null)) {
                return;
            }
            flows[0]++;
            truncated[0] |= count(bySource, id.srcAddress()) | count(byDestination, id.dstAddress());
        });
        Map<String, Details> sources = top(bySource, limit);
        Map<String, Details> destinations = top(byDestination, limit);
        if (!sources.isEmpty() || !destinations.isEmpty()) {
            store.forEachVerdict(analysisId, v -> {
                if (!v.anomalous()) {
                    return;
                }
                FlowIdentity id = v.identity();
                Details s = id.srcAddress() == null ? null : sources.get(id.srcAddress());
                if (s != null) {
                    s.add(v, id.dstAddress());
                }
                Details d = id.dstAddress() == null ? null : destinations.get(id.dstAddress());
                if (d != null) {
                    d.add(v, id.srcAddress());
                }
            });
        }
        return new Report(hosts(sources, bySource), hosts(destinations, byDestination), flows[0], truncated[0]);
    }

    /** Counts one flow for {@code address}; true when the address was left out for the bound. */
    private static boolean count(Map<String, long[]> counts, String address) {
        if (address == null) {
            return false;
        }
        long[] c = counts.get(address);
        if (c == null) {
            if (counts.size() >= MAX_HOSTS) {
                return true;
            }
            c = new long[1];
            counts.put(address, c);
        }
        c[0]++;
        return false;
    }

    private static Map<String, Details> top(Map<String, long[]> counts, int limit) {
        Map<String, Details> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
                .limit(limit)
                .forEach(e -> out.put(e.getKey(), new Details()));
        return out;
    }

    private static List<Host> hosts(Map<String, Details> details, Map<String, long[]> counts) {
        List<Host> out = new ArrayList<>(details.size());
        details.forEach((address, d) -> out.add(d.host(address, counts.get(address)[0])));
        return out;
    }

    /** What is gathered for one listed host in the second pass. */
    private static final class Details {
        final long[] severity = new long[Severity.values().length];
        final Map<String, Long> classes = new HashMap<>();
        long first = FlowIdentity.NO_TIME;
        long last = FlowIdentity.NO_TIME;
        final Set<String> peers = new HashSet<>();
        boolean peersCapped;
        final BitSet ports = new BitSet(65_536);

        void add(Verdict v, String peer) {
            FlowIdentity id = v.identity();
            severity[v.severity().ordinal()]++;
            classes.merge(v.predictedClass(), 1L, Long::sum);
            long start = id.startMicros();
            long end = id.endMicros() != FlowIdentity.NO_TIME ? id.endMicros() : start;
            if (start != FlowIdentity.NO_TIME && (first == FlowIdentity.NO_TIME || start < first)) {
                first = start;
            }
            if (end != FlowIdentity.NO_TIME && (last == FlowIdentity.NO_TIME || end > last)) {
                last = end;
            }
            if (peer != null && !peers.contains(peer)) {
                if (peers.size() < MAX_PEERS) {
                    peers.add(peer);
                } else {
                    peersCapped = true;
                }
            }
            if (id.dstPort() >= 0) {
                ports.set(id.dstPort());
            }
        }

        Host host(String address, long anomalous) {
            Map<String, Long> sorted = new LinkedHashMap<>();
            classes.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return new Host(address, anomalous, severity, sorted, instant(first), instant(last), peers.size(), peersCapped,
                    ports.cardinality());
        }

        private static Instant instant(long micros) {
            return micros == FlowIdentity.NO_TIME ? null
                    : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
    }
}
