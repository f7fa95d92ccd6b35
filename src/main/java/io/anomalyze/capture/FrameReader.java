package io.anomalyze.capture;

import java.io.IOException;

/** Reads the packet records of one capture file format, in file order. */
interface FrameReader {

    /** Fills {@code frame} with the next packet record; false at the end of the capture (or at a cut). */
    boolean next(LinkFrame frame) throws IOException;

    /** Byte offset of the record the capture was cut off in, or -1 while it was not. */
    long truncatedAt();
}
