package io.anomalyze.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the IP packets of a capture in time order, skipping (and counting by reason) every
 * record that cannot become flow input.
 */
public interface PacketSource extends Closeable {

    /**
     * Fills {@code into} with the next IP packet.
     *
     * @return false once the capture is exhausted
     * @throws io.anomalyze.InvalidInputException when the capture cannot be read at all,
     *         naming the file, the byte offset and the reason
     */
    boolean next(Packet into) throws IOException;

    /** What was read and skipped so far, by reason. */
    CaptureStats stats();
}
