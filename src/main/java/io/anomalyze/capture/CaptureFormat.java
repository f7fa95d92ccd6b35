package io.anomalyze.capture;

/** The capture file formats this reader recognises, by their magic number. */
public enum CaptureFormat {
    /** Classic libpcap, either byte order, micro- or nanosecond timestamps. */
    PCAP,
    /** pcapng (next generation). */
    PCAPNG;

    private static final int GZIP_MAGIC = 0x1f8b;

    /**
     * The format whose magic number {@code head} starts with (the first bytes of a file, after
     * decompression), or null when it is not a capture.
     */
    public static CaptureFormat detect(byte[] head, int length) {
        if (length < 4) {
            return null;
        }
        int magic = CaptureBuffer.i32(head, 0, true);
        return switch (magic) {
            case PcapReader.MAGIC_MICROS, PcapReader.MAGIC_NANOS, PcapReader.MAGIC_MODIFIED -> PCAP;
            case PcapngReader.SECTION_HEADER -> PCAPNG;
            default -> {
                int swapped = Integer.reverseBytes(magic);
                yield swapped == PcapReader.MAGIC_MICROS || swapped == PcapReader.MAGIC_NANOS
                        || swapped == PcapReader.MAGIC_MODIFIED ? PCAP : null;
            }
        };
    }

    /**
     * True when {@code head}, the first bytes of an upload, is a packet capture, or a gzip stream
     * whose first decompressed bytes are one. Cheap enough to route every upload by.
     */
    public static boolean looksLikeCapture(byte[] head) {
        if (head.length >= 2 && ((head[0] & 0xff) << 8 | (head[1] & 0xff)) == GZIP_MAGIC) {
            byte[] inflated = new byte[4];
            int n = 0;
            try (java.util.zip.GZIPInputStream gzip = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(head))) {
                int r;
                while (n < 4 && (r = gzip.read(inflated, n, 4 - n)) > 0) {
                    n += r;
                }
            } catch (java.io.IOException e) {
                // The head ends before four bytes inflate, or is not gzip after all: look at what came out.
            }
            return detect(inflated, n) != null;
        }
        return detect(head, head.length) != null;
    }
}
