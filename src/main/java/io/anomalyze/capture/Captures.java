package io.anomalyze.capture;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Opens packet captures: classic pcap or pcapng, each possibly gzip-compressed, recognised by
 * magic number whatever the file is called. The packets come out decoded and in time order (see
 * {@link ReorderWindow}); records that cannot become flow input are counted in
 * {@link PacketSource#stats()}. They are read and decoded on a thread of their own
 * ({@link PrefetchingPacketSource}), a few hundred packets ahead of the consumer.
 */
public final class Captures {

    private Captures() {
    }

    /** Opens a capture file from disk with the default {@link CaptureOptions}. */
    public static PacketSource open(Path file, InputLimits limits) throws IOException {
        return open(file, limits, CaptureOptions.DEFAULTS);
    }

    public static PacketSource open(Path file, InputLimits limits, CaptureOptions options) throws IOException {
        return openDecompressed(TrafficInput.open(file, limits), file.getFileName().toString(), options);
    }

    /**
     * Opens a capture from a raw stream (an upload, say), decompressing it when it is gzip, under
     * the gzip-bomb limits of {@code limits}.
     *
     * @param source the name used in messages, usually the file name
     */
    public static PacketSource open(InputStream raw, String source, InputLimits limits, CaptureOptions options) throws IOException {
        return openDecompressed(TrafficInput.open(raw, source, limits), source, options);
    }

    /** Opens an already decompressed capture stream. The stream is closed with the source (or on failure). */
    static PacketSource openDecompressed(InputStream decompressed, String source, CaptureOptions options) throws IOException {
        try {
            CaptureBuffer buffer = new CaptureBuffer(decompressed);
            buffer.ensure(4);
            CaptureFormat format = CaptureFormat.detect(buffer.bytes, buffer.available());
            if (format == null) {
                throw new InvalidInputException(source + ": not a packet capture (" + describeStart(buffer)
                        + "; expected the magic number of pcap or pcapng)");
            }
            FrameReader frames = format == CaptureFormat.PCAP
                    ? new PcapReader(buffer, source, options.maxPacketBytes())
                    : new PcapngReader(buffer, source, options.maxPacketBytes());
            return new PrefetchingPacketSource(
                    new ReorderWindow(new DecodingPacketSource(frames, decompressed, source), options.reorderWindow()));
        } catch (IOException | RuntimeException e) {
            decompressed.close();
            throw e;
        }
    }

    private static String describeStart(CaptureBuffer buffer) {
        int n = Math.min(4, buffer.available());
        if (n == 0) {
            return "it is empty";
        }
        StringBuilder hex = new StringBuilder(n < 4 ? "it holds only " + n + (n == 1 ? " byte:" : " bytes:") : "it starts with");
        for (int i = 0; i < n; i++) {
            hex.append(String.format(" %02x", buffer.bytes[buffer.pos + i] & 0xff));
        }
        return hex.toString();
    }
}
