package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBytes.ethernet;
import static io.anomalyze.capture.CaptureBytes.ip;
import static io.anomalyze.capture.CaptureBytes.ipv4;
import static io.anomalyze.capture.CaptureBytes.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.InputLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrefetchingPacketSourceTest {

    /** More packets than the batches in flight hold, so batches go round several times. */
    private static final int PACKETS = PrefetchingPacketSource.BATCH * (PrefetchingPacketSource.BATCHES + 3) + 7;
    private static final long T0 = 1_600_000_000_000_000L;

    private static CaptureBytes.Pcap capture(int packets) {
        CaptureBytes.Pcap pcap = new CaptureBytes.Pcap(1);
        for (int i = 0; i < packets; i++) {
            pcap.record(T0 + i, ethernet(0x0800, ipv4(ip(10, 0, i >> 8 & 0xff, i & 0xff), ip(10, 1, 0, 1), Packet.UDP,
                    udp(1024 + i % 50_000, 53, i % 100))));
        }
        return pcap;
    }

    @Test
    void everyPacketComesOutOnceInCaptureOrder() throws IOException {
        try (PacketSource source = Captures.open(new ByteArrayInputStream(capture(PACKETS).bytes()), "test.pcap",
                InputLimits.DEFAULTS, CaptureOptions.DEFAULTS)) {
            Packet p = new Packet();
            for (int i = 0; i < PACKETS; i++) {
                assertEquals(true, source.next(p), "packet " + i);
                assertEquals(i, p.index);
                assertEquals(T0 + i, p.timestampMicros);
                assertEquals(1024 + i % 50_000, p.srcPort);
                assertEquals(i % 100, p.payloadLength);
            }
            assertFalse(source.next(p));
            assertFalse(source.next(p), "the end stays the end");
            assertEquals(new CaptureStats(PACKETS, PACKETS, Map.of(), -1), source.stats());
        }
    }

    @Test
    void aBrokenRecordIsThrownAfterThePacketsBeforeIt() throws IOException {
        int good = PrefetchingPacketSource.BATCH * 2 + 5;
        CaptureBytes.Pcap pcap = capture(good).rawRecord(300_000, 300_000, new byte[64]);
        long offset = capture(good).bytes().length;
        int read = 0;
        // A reorder window of one packet hands each packet on at once (the default window would still hold them all).
        try (PacketSource source = Captures.open(new ByteArrayInputStream(pcap.bytes()), "test.pcap",
                InputLimits.DEFAULTS, CaptureOptions.DEFAULTS.withReorderWindow(1))) {
            Packet p = new Packet();
            InvalidInputException e = null;
            try {
                while (source.next(p)) {
                    read++;
                }
            } catch (InvalidInputException thrown) {
                e = thrown;
            }
            assertEquals(good, read, "every packet before the broken record");
            assertEquals("test.pcap: byte " + offset + ": packet record " + (good + 1) + " claims 300000 bytes, over the limit of 262144",
                    e == null ? null : e.getMessage());
        }
    }

    @Test
    void closingBeforeTheEndStopsTheReader() throws IOException {
        long before = readers();
        PacketSource source = Captures.open(new ByteArrayInputStream(capture(PACKETS).bytes()), "test.pcap",
                InputLimits.DEFAULTS, CaptureOptions.DEFAULTS);
        Packet p = new Packet();
        assertEquals(true, source.next(p));
        assertEquals(before + 1, readers(), "the reader waits for a free batch: the capture is longer than the batches in flight");
        source.close();
        assertEquals(before, readers());
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("capture-reader") && t.isAlive()).count();
    }
}
