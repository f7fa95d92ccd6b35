package io.anomalyze.capture;

import io.anomalyze.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The packets of a capture in file order: reads records with a {@link FrameReader}, decodes
 * them with a {@link PacketDecoder} and counts the ones skipped. Refuses a capture in which no
 * record is an IP packet.
 */
final class DecodingPacketSource implements PacketSource {

    private final FrameReader frames;
    private final InputStream stream;
    private final String source;
    private final LinkFrame frame = new LinkFrame();
    private final PacketDecoder decoder = new PacketDecoder();
    private final SkipTally skipped = new SkipTally();
    private long records;
    private long ipPackets;

    DecodingPacketSource(FrameReader frames, InputStream stream, String source) {
        this.frames = frames;
        this.stream = stream;
        this.source = source;
    }

    @Override
    public boolean next(Packet into) throws IOException {
        while (frames.next(frame)) {
            records++;
            SkipReason skip = decoder.decode(frame, into);
            if (skip == null) {
                ipPackets++;
                return true;
            }
            skipped.add(skip, frame.linkType);
        }
        if (ipPackets == 0) {
            throw new InvalidInputException(noIpPacket());
        }
        return false;
    }

    private String noIpPacket() {
        StringBuilder message = new StringBuilder(source).append(": no IP packet");
        if (records == 0) {
            message.append(" (the capture holds no packet records");
        } else {
            message.append(" among its ").append(records).append(records == 1 ? " packet record (" : " packet records (");
            String separator = "";
            for (Map.Entry<String, Long> e : skipped.toMap().entrySet()) {
                message.append(separator).append(e.getKey()).append(": ").append(e.getValue());
                separator = ", ";
            }
        }
        if (frames.truncatedAt() >= 0) {
            message.append("; cut off at byte ").append(frames.truncatedAt());
        }
        return message.append(')').toString();
    }

    @Override
    public CaptureStats stats() {
        return new CaptureStats(records, ipPackets, skipped.toMap(), frames.truncatedAt());
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
