package io.anomalyze.capture;

/**
 * One packet record as a capture file holds it, before decoding: where its captured bytes lie
 * in the reader's buffer, its lengths, link type and time. Reused for every record.
 */
final class LinkFrame {
    /** The buffer holding the captured bytes. */
    byte[] data;
    /** Index of the first captured byte in {@link #data}. */
    int start;
    int capturedLength;
    int wireLength;
    /** LINKTYPE_* value of the record's interface. */
    int linkType;
    long timestampMicros;
    /** Byte offset of the record (its header) in the capture. */
    long offset;
    /** 0-based index among all packet records. */
    long index;

    /** True when the capture kept fewer bytes than were on the wire. */
    boolean cutBySnaplen() {
        return capturedLength < wireLength;
    }
}
