package io.anomalyze.capture;

import io.anomalyze.InvalidInputException;
import java.io.IOException;

/**
 * Reads classic libpcap files: either byte order, microsecond or nanosecond timestamps, and the
 * "modified" format whose record headers are 24 bytes long.
 */
final class PcapReader implements FrameReader {

    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;
    private static final int GLOBAL_HEADER = 24;

    private final CaptureBuffer in;
    private final String source;
    private final int maxPacketBytes;
    private final boolean bigEndian;
    private final boolean nanos;
    private final int recordHeader;
    private final long snaplen;
    private final int linkType;
    private long records;
    private long truncatedAt = -1;

    /** Reads the global header; the buffer is at the start of the capture. */
    PcapReader(CaptureBuffer in, String source, int maxPacketBytes) throws IOException {
        this.in = in;
        this.source = source;
        this.maxPacketBytes = maxPacketBytes;
        if (!in.ensure(GLOBAL_HEADER)) {
            throw new InvalidInputException(source + ": the pcap global header is cut off after " + in.available()
                    + " of " + GLOBAL_HEADER + " bytes");
        }
        byte[] b = in.bytes;
        int p = in.pos;
        int magic = CaptureBuffer.i32(b, p, true);
        bigEndian = magic == MAGIC_MICROS || magic == MAGIC_NANOS || magic == MAGIC_MODIFIED;
        int own = CaptureBuffer.i32(b, p, bigEndian);
        nanos = own == MAGIC_NANOS;
        recordHeader = own == MAGIC_MODIFIED ? 24 : 16;
        int major = CaptureBuffer.u16(b, p + 4, bigEndian);
        if (major != 2) {
            throw new InvalidInputException(source + ": byte 4: pcap version " + major + "."
                    + CaptureBuffer.u16(b, p + 6, bigEndian) + " is not supported (expected 2.4)");
        }
        snaplen = CaptureBuffer.u32(b, p + 16, bigEndian);
        // The upper bits of the link-type field may carry FCS information (pcap file format, section 5).
        linkType = CaptureBuffer.i32(b, p + 20, bigEndian) & 0xffff;
        if (!LinkType.supported(linkType)) {
            throw new InvalidInputException(source + ": byte 20: link type " + linkType + " is not supported (supported: "
                    + LinkType.SUPPORTED + ")");
        }
        in.pos += GLOBAL_HEADER;
    }

    @Override
    public boolean next(LinkFrame frame) throws IOException {
        CaptureBuffer in = this.in;
        if (!in.ensure(recordHeader)) {
            if (in.available() > 0) {
                truncatedAt = in.offset();
            }
            return false;
        }
        byte[] b = in.bytes;
        int p = in.pos;
        long seconds = CaptureBuffer.u32(b, p, bigEndian);
        long fraction = CaptureBuffer.u32(b, p + 4, bigEndian);
        long captured = CaptureBuffer.u32(b, p + 8, bigEndian);
        long wire = CaptureBuffer.u32(b, p + 12, bigEndian);
        if (captured > maxPacketBytes) {
            throw InvalidInputException.limit(source + ": byte " + in.offset() + ": packet record " + (records + 1)
                    + " claims " + captured + " bytes, over the limit of " + maxPacketBytes);
        }
        if (snaplen > 0 && captured > snaplen) {
            throw new InvalidInputException(source + ": byte " + in.offset() + ": packet record " + (records + 1)
                    + " claims " + captured + " bytes, more than the capture's snaplen of " + snaplen);
        }
        int length = recordHeader + (int) captured;
        if (!in.ensure(length)) {
            truncatedAt = in.offset();
            return false;
        }
        p = in.pos;
        frame.data = b;
        frame.start = p + recordHeader;
        frame.capturedLength = (int) captured;
        frame.wireLength = (int) Math.min(Math.max(wire, captured), Integer.MAX_VALUE);
        frame.linkType = linkType;
        frame.timestampMicros = seconds * 1_000_000L + (nanos ? fraction / 1000 : fraction);
        frame.offset = in.offset();
        frame.index = records++;
        in.pos = p + length;
        return true;
    }

    @Override
    public long truncatedAt() {
        return truncatedAt;
    }
}
