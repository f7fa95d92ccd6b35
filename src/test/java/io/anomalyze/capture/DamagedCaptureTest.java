package io.anomalyze.capture;

import static io.anomalyze.capture.CaptureBytes.concat;
import static io.anomalyze.capture.CaptureBytes.ethernet;
import static io.anomalyze.capture.CaptureBytes.icmp;
import static io.anomalyze.capture.CaptureBytes.ip;
import static io.anomalyze.capture.CaptureBytes.ipv4;
import static io.anomalyze.capture.CaptureBytes.ipv6;
import static io.anomalyze.capture.CaptureBytes.tcp;
import static io.anomalyze.capture.CaptureBytes.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.InvalidInputException;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomly damaged captures end either normally or with an {@link InvalidInputException}: never
 * another exception, and every record is accounted for as a packet or a skip.
 */
class DamagedCaptureTest {

    private static byte[][] frames() {
        return new byte[][] {
            ethernet(0x0800, ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), Packet.TCP, tcp(1000, 80, Packet.SYN, 100, 8, 0))),
            ethernet(0x0800, ipv4(ip(10, 0, 0, 2), ip(10, 0, 0, 1), Packet.UDP, 7, 0x2000, udp(53, 1000, 40))),
            ethernet(0x0800, ipv4(ip(10, 0, 0, 2), ip(10, 0, 0, 1), Packet.UDP, 7, 6, new byte[30])),
            ethernet(0x86DD, ipv6(1, 2, 3, 4, 0, concat(new byte[] {(byte) Packet.ICMPV6, 0, 0, 0, 0, 0, 0, 0}, icmp(128, 0, 8)))),
            ethernet(0x0800, ipv4(ip(10, 0, 0, 3), ip(10, 0, 0, 1), Packet.ICMP, icmp(8, 0, 16)), 0x8100, 5),
            ethernet(0x0806, new byte[28]),
        };
    }

    private static byte[] pcap() {
        CaptureBytes.Pcap pcap = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1);
        int t = 0;
        for (int round = 0; round < 3; round++) {
            for (byte[] frame : frames()) {
                pcap.record(t += 10, frame);
            }
        }
        return pcap.bytes();
    }

    private static byte[] pcapng() {
        CaptureBytes.Pcapng ng = new CaptureBytes.Pcapng(ByteOrder.BIG_ENDIAN).iface(1, 0, 9).iface(101, 0, -1);
        int t = 0;
        for (byte[] frame : frames()) {
            ng.enhanced(0, t += 10_000, frame).simple(frame).obsolete(1, t, java.util.Arrays.copyOfRange(frame, 14, frame.length));
            ng.block(4, new byte[16]);
        }
        return ng.bytes();
    }

    @Test
    void damagedCapturesFailOnlyWithAnInputError() throws Exception {
        Random random = new Random(13);
        int refused = 0;
        int read = 0;
        for (byte[] original : new byte[][] {pcap(), pcapng()}) {
            for (int trial = 0; trial < 1000; trial++) {
                byte[] damaged = original.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length + 1));
                }
                try {
                    CaptureRead result = CaptureRead.of(damaged, CaptureOptions.DEFAULTS.withReorderWindow(8));
                    CaptureStats stats = result.stats();
                    long skipped = stats.skipped().values().stream().mapToLong(Long::longValue).sum();
                    assertEquals(stats.records(), stats.ipPackets() + skipped, "trial " + trial);
                    assertEquals(result.packets().size(), stats.ipPackets());
                    read++;
                } catch (InvalidInputException e) {
                    assertTrue(e.getMessage().startsWith("test.pcap: "), e.getMessage());
                    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
                    refused++;
                }
            }
        }
        // Both outcomes occur, so the damage reaches headers and packets alike.
        assertTrue(read > 200 && refused > 200, read + " read, " + refused + " refused");
    }
}
