package io.anomalyze.capture;

/**
 * Settings of capture reading.
 *
 * @param reorderWindow  packets held back to put out-of-order timestamps back in order; a packet
 *                       older than one already handed on is counted and skipped
 *                       (flag {@code --reorder-window}, {@code ANOMALYZE_REORDER_WINDOW})
 * @param maxPacketBytes largest captured packet accepted; libpcap's own maximum is 262,144
 *                       (flag {@code --max-packet-bytes}, {@code ANOMALYZE_MAX_PACKET_BYTES})
 */
public record CaptureOptions(int reorderWindow, int maxPacketBytes) {

    public static final int DEFAULT_REORDER_WINDOW = 4096;
    public static final int DEFAULT_MAX_PACKET_BYTES = 262_144;
    /** The buffer holds a whole record, so a packet may not be larger than this. */
    public static final int MAX_PACKET_BYTES_CEILING = 256 * 1024 * 2;

    public static final CaptureOptions DEFAULTS = new CaptureOptions(DEFAULT_REORDER_WINDOW, DEFAULT_MAX_PACKET_BYTES);

    public CaptureOptions {
        if (reorderWindow < 1 || reorderWindow > 1 << 20) {
            throw new IllegalArgumentException("the reorder window must be between 1 and 1048576 packets, not " + reorderWindow);
        }
        if (maxPacketBytes < 64 || maxPacketBytes > MAX_PACKET_BYTES_CEILING) {
            throw new IllegalArgumentException("the packet size limit must be between 64 and " + MAX_PACKET_BYTES_CEILING
                    + " bytes, not " + maxPacketBytes);
        }
    }

    /**
     * Options from text (command-line options or environment variables); null means the default.
     *
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public static CaptureOptions parse(String reorderWindow, String maxPacketBytes) {
        return new CaptureOptions(whole(reorderWindow, "reorder window", DEFAULT_REORDER_WINDOW),
                whole(maxPacketBytes, "packet size limit", DEFAULT_MAX_PACKET_BYTES));
    }

    /** The options of the ANOMALYZE_REORDER_WINDOW and ANOMALYZE_MAX_PACKET_BYTES variables. */
    public static CaptureOptions fromEnvironment() {
        return parse(System.getenv("ANOMALYZE_REORDER_WINDOW"), System.getenv("ANOMALYZE_MAX_PACKET_BYTES"));
    }

    private static int whole(String text, String what, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + what + " must be a whole number, not \"" + text + "\"");
        }
    }

    public CaptureOptions withReorderWindow(int packets) {
        return new CaptureOptions(packets, maxPacketBytes);
    }

    public CaptureOptions withMaxPacketBytes(int bytes) {
        return new CaptureOptions(reorderWindow, bytes);
    }
}
