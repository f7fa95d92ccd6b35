package io.anomalyze.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anomalyze.detect.FlowIdentity;
import io.anomalyze.detect.Severity;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.store.Incident;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Incidents from streams of verdicts: grouping, the gap, the cap on open incidents, ports and volumes. */
class IncidentBuilderTest {

    private static final long MINUTE = 60_000_000L;
    private static final long T0 = 1_499_389_860_000_000L; // 2017-07-07T01:11:00Z

    private final List<Incident> closed = new ArrayList<>();
    private long line;

    private static String[] features(long fwdBytes, long bwdBytes, long fwdPackets, long bwdPackets) {
        String[] f = new String[FlowFeatures.COUNT];
        java.util.Arrays.fill(f, "0");
        f[FlowFeatures.indexOf("Total Length of Fwd Packets")] = Long.toString(fwdBytes);
        f[FlowFeatures.indexOf("Total Length of Bwd Packets")] = Long.toString(bwdBytes);
        f[FlowFeatures.indexOf("Total Fwd Packets")] = Long.toString(fwdPackets);
        f[FlowFeatures.indexOf("Total Backward Packets")] = Long.toString(bwdPackets);
        return f;
    }

    private Verdict flow(String src, String dst, int port, String cls, Severity severity, long start, long end) {
        FlowIdentity id = new FlowIdentity(null, src, 40000, dst, port, 6, start, end, null, null);
        boolean anomalous = severity != Severity.NORMAL;
        return new Verdict(++line, anomalous, severity, 0.9, 0.9, cls, null, List.of(), features(100, 50, 2, 1), null, id);
    }

    @Test
    void aPortScanIsOneIncidentWithItsPortsTimesAndVolumes() {
        IncidentBuilder b = new IncidentBuilder(5 * MINUTE, 100, closed::addAll);
        for (int i = 0; i < 1000; i++) {
            // 627 distinct ports between 21 and 3389, one flow every 2 seconds
            int port = 21 + (i % 627) * 5;
            b.add(flow("172.16.0.1", "192.168.10.50", port, "PortScan", i == 500 ? Severity.HIGH : Severity.MEDIUM,
                    T0 + i * 2_000_000L, T0 + i * 2_000_000L + 700));
        }
        b.add(flow("172.16.0.1", "192.168.10.50", 80, "BENIGN", Severity.NORMAL, T0, T0 + 1));
        b.finish();
        assertEquals(1, closed.size());
        Incident i = closed.get(0);
        assertEquals("172.16.0.1", i.srcAddress());
        assertEquals("192.168.10.50", i.dstAddress());
        assertEquals("PortScan", i.className());
        assertEquals(1000, i.flows());
        assertEquals(627, i.distinctPorts());
        assertEquals(21, i.minPort());
        assertEquals(21 + 626 * 5, i.maxPort());
        assertEquals(T0, i.firstMicros());
        assertEquals(T0 + 999 * 2_000_000L + 700, i.lastMicros());
        assertEquals(150_000, i.bytes());
        assertEquals(3_000, i.packets());
        assertEquals(Severity.HIGH, i.highestSeverity());
        assertEquals(1, i.firstLine());
    }

    @Test
    void aGapLongerThanTheSettingStartsANewIncident() {
        IncidentBuilder b = new IncidentBuilder(5 * MINUTE, 100, closed::addAll);
        b.add(flow("a", "b", 22, "SSH-Patator", Severity.HIGH, T0, T0 + MINUTE));
        b.add(flow("a", "b", 22, "SSH-Patator", Severity.HIGH, T0 + 6 * MINUTE, T0 + 6 * MINUTE)); // 5 min after the last end: same
        b.add(flow("a", "b", 22, "SSH-Patator", Severity.HIGH, T0 + 11 * MINUTE + 1, T0 + 12 * MINUTE)); // over 5 min: new
        b.add(flow("a", "c", 22, "SSH-Patator", Severity.HIGH, T0, T0)); // another destination
        b.add(flow("a", "b", 22, "FTP-Patator", Severity.HIGH, T0, T0)); // another class
        b.finish();
        assertEquals(4, closed.size());
        assertEquals(2, closed.get(0).flows(), "the first a->b incident closes when the gap is passed");
        assertEquals(List.of(2L, 1L, 1L, 1L), closed.stream().map(Incident::flows).toList());
        assertEquals(4, b.count());
    }

    @Test
    void pastTheCapTheLeastRecentlySeenIncidentCloses() {
        IncidentBuilder b = new IncidentBuilder(5 * MINUTE, 2, closed::addAll);
        b.add(flow("h1", "t", 1, "DDoS", Severity.HIGH, T0, T0));
        b.add(flow("h2", "t", 1, "DDoS", Severity.HIGH, T0, T0));
        b.add(flow("h1", "t", 2, "DDoS", Severity.HIGH, T0, T0)); // h1 is now the most recent
        b.add(flow("h3", "t", 1, "DDoS", Severity.HIGH, T0, T0)); // over the cap: h2 closes
        assertEquals(1, b.count(), "one incident closed so far (the sink takes them in batches)");
        b.finish();
        assertEquals(List.of("h2", "h1", "h3"), closed.stream().map(Incident::srcAddress).toList());
        assertEquals(2, closed.get(1).distinctPorts());
    }

    @Test
    void recordsWithoutAddressesMakeNoIncident() {
        IncidentBuilder b = new IncidentBuilder(5 * MINUTE, 10, closed::addAll);
        b.add(new Verdict(1, true, Severity.CRITICAL, 9, 0.9, "anomaly", null, List.of(), null, null,
                FlowIdentity.connection("tcp", "http", "SF")));
        b.finish();
        assertEquals(0, closed.size());
    }
}
