package io.anomalyze.bench;

import io.anomalyze.InvalidInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A large classic-pcap capture made by repeating a real one: each repetition is shifted in time
 * past the previous one and has its IPv4 addresses changed (the same way in both directions, so
 * conversations stay conversations), so every repetition makes flows of its own, as more of the
 * same kind of traffic would. Records are cut to a snapshot length, as {@code tcpdump -s} does;
 * the original length stays in the record header.
 */
public final class SyntheticCapture {

    private static final int ETHERNET = 1;
    private static final int IPV4_SRC = 14 + 12;
    private static final int IPV4_DST = 14 + 16;

    private SyntheticCapture() {
    }

    /**
     * @param source  a classic pcap capture (microsecond timestamps, Ethernet)
     * @param packets packets to write
     * @param snaplen largest captured length per packet
     * @param target  the capture to write
     * @return packets written
     */
    public static long repeat(Path source, long packets, int snaplen, Path target) throws IOException {
        byte[] in = Files.readAllBytes(source);
        if (in.length < 24) {
            throw new InvalidInputException(source + ": too short for a pcap capture");
        }
        ByteBuffer b = ByteBuffer.wrap(in);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new InvalidInputException(source + ": not a classic microsecond pcap capture (magic "
                        + Integer.toHexString(magic) + ")");
            }
        }
        if (b.getInt(20) != ETHERNET) {
            throw new InvalidInputException(source + ": link type " + b.getInt(20) + ", expected Ethernet (1)");
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int count = 0;
        for (int at = 24; at + 16 <= in.length; ) {
            long t = b.getInt(at) * 1_000_000L + b.getInt(at + 4);
            first = Math.min(first, t);
            last = Math.max(last, t);
            at += 16 + b.getInt(at + 8);
            count++;
        }
        if (count == 0) {
            throw new InvalidInputException(source + ": no packets to repeat");
        }
        long period = last - first + 1_000_000L;
        ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            ByteBuffer global = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            global.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(ETHERNET);
            out.write(global.array());
            byte[] frame = new byte[Math.max(snaplen, 64)];
            for (int round = 0; written < packets; round++) {
                long shift = round * period;
                for (int at = 24; at + 16 <= in.length && written < packets; ) {
                    long t = b.getInt(at) * 1_000_000L + b.getInt(at + 4) + shift;
                    int caught = b.getInt(at + 8);
                    int wire = b.getInt(at + 12);
                    int keep = Math.min(caught, snaplen);
                    System.arraycopy(in, at + 16, frame, 0, keep);
                    if (round > 0 && keep >= IPV4_DST + 4 && frame[12] == 0x08 && frame[13] == 0x00) {
                        // Flip address bits by the round number: distinct per round, and symmetric.
                        frame[IPV4_SRC + 1] ^= (byte) (round >>> 8);
                        frame[IPV4_SRC + 2] ^= (byte) round;
                        frame[IPV4_DST + 1] ^= (byte) (round >>> 8);
                        frame[IPV4_DST + 2] ^= (byte) round;
                    }
                    header.clear();
                    header.putInt((int) (t / 1_000_000L)).putInt((int) (t % 1_000_000L)).putInt(keep).putInt(wire);
                    out.write(header.array());
                    out.write(frame, 0, keep);
                    written++;
                    at += 16 + caught;
                }
            }
        }
        return written;
    }
}
