package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBytes.ethernet;
import static io.anomalyze.capture.CaptureBytes.ip;
import static io.anomalyze.capture.CaptureBytes.ipv4;
import static io.anomalyze.capture.CaptureBytes.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Out-of-order timestamps are put back in order within the window; later ones are counted and skipped. */
class ReorderWindowTest {

    /** A capture whose packets have the given times (µs); each packet's source port is its position in the file. */
    private static byte[] captureAt(long... times) {
        CaptureBytes.Pcap pcap = new CaptureBytes.Pcap(1);
        for (int i = 0; i < times.length; i++) {
            pcap.record(times[i], ethernet(0x0800, ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), Packet.UDP, udp(1000 + i, 53, 0))));
        }
        return pcap.bytes();
    }

    private static List<Long> times(CaptureRead read) {
        List<Long> times = new ArrayList<>();
        for (Packet p : read.packets()) {
            times.add(p.timestampMicros);
        }
        return times;
    }

    @Test
    void packetsOutOfOrderWithinTheWindowComeOutInTimeOrder() throws Exception {
        CaptureRead read = CaptureRead.of(captureAt(10, 30, 20, 40, 15, 50, 50, 45, 60), CaptureOptions.DEFAULTS.withReorderWindow(4));
        assertEquals(List.of(10L, 15L, 20L, 30L, 40L, 45L, 50L, 50L, 60L), times(read));
        // Equal times keep their capture order; each packet keeps its own fields.
        assertEquals(1005, read.packets().get(6).srcPort);
        assertEquals(1006, read.packets().get(7).srcPort);
        assertEquals(4, read.packets().get(1).index);
        assertEquals(new CaptureStats(9, 9, Map.of(), -1), read.stats());
    }

    @Test
    void packetsLaterThanTheWindowAreCountedAndSkipped() throws Exception {
        // With a window of 2: 5 arrives after 10, 20 and 30 were handed on, 35 after 40 was; 45 is still in time.
        CaptureRead read = CaptureRead.of(captureAt(10, 20, 30, 40, 5, 50, 35, 45, 60), CaptureOptions.DEFAULTS.withReorderWindow(2));
        assertEquals(List.of(10L, 20L, 30L, 40L, 45L, 50L, 60L), times(read));
        assertEquals(new CaptureStats(9, 7, Map.of("out of order beyond the window", 2L), -1), read.stats());
    }

    @Test
    void aLongCaptureCyclesThroughTheWindowsSlots() throws Exception {
        // Pairs swapped all along: every second packet is one step early, many times the window's size.
        long[] times = new long[1000];
        for (int i = 0; i < times.length; i++) {
            times[i] = i % 2 == 0 ? i + 1 : i - 1;
        }
        CaptureRead read = CaptureRead.of(captureAt(times), CaptureOptions.DEFAULTS.withReorderWindow(3));
        List<Long> expected = new ArrayList<>();
        for (long t = 0; t < times.length; t++) {
            expected.add(t);
        }
        assertEquals(expected, times(read));
        assertEquals(0, read.stats().skipped().size());
    }
}
