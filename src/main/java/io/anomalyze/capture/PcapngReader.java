package io.anomalyze.capture;

import io.anomalyze.InvalidInputException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads pcapng files: section header blocks (several sections, each in its own byte order),
 * interface description blocks (per-interface link type, snaplen, {@code if_tsresol} and
 * {@code if_tsoffset}), enhanced, simple and obsolete packet blocks. Every other block type is
 * skipped.
 */
final class PcapngReader implements FrameReader {

    static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPTION_TSRESOL = 9;
    private static final int OPTION_TSOFFSET = 14;
    /** Blocks other than packets longer than this are skipped without being held in memory. */
    private static final int MAX_HELD_BLOCK = CaptureBuffer.CAPACITY / 2;
    private static final long[] POW10 = new long[19];
    /** Interfaces one section may describe: an obsolete packet block names them in 16 bits, and memory stays bounded. */
    static final int MAX_INTERFACES = 65_536;

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final CaptureBuffer in;
    private final String source;
    private final int maxPacketBytes;
    private boolean bigEndian;
    private boolean inSection;
    private long blocks;
    private long records;
    private long truncatedAt = -1;
    private long lastTimestamp;

    // The interfaces of the current section, by id.
    private int interfaces;
    private int[] linkTypes = new int[4];
    private long[] snaplens = new long[4];
    /** Timestamp units are divided by {@code divisor} (decimal resolutions finer than 1 µs) ... */
    private long[] divisors = new long[4];
    /** ... or multiplied by {@code multiplier} (decimal resolutions of 1 µs or coarser) ... */
    private long[] multipliers = new long[4];
    /** ... or, for binary resolutions 2^-n, scaled by 10^6 / 2^n ({@code shift} = n; -1 when decimal). */
    private int[] shifts = new int[4];
    private long[] offsetsMicros = new long[4];

    PcapngReader(CaptureBuffer in, String source, int maxPacketBytes) {
        this.in = in;
        this.source = source;
        this.maxPacketBytes = maxPacketBytes;
    }

    @Override
    public boolean next(LinkFrame frame) throws IOException {
        CaptureBuffer in = this.in;
        byte[] b = in.bytes;
        while (true) {
            if (!in.ensure(12)) {
                if (in.available() > 0) {
                    truncatedAt = in.offset();
                }
                return false;
            }
            int p = in.pos;
            int type = CaptureBuffer.i32(b, p, bigEndian);
            blocks++;
            if (type == SECTION_HEADER) {
                int magic = CaptureBuffer.i32(b, p + 8, false);
                if (magic == BYTE_ORDER_MAGIC) {
                    bigEndian = false;
                } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    bigEndian = true;
                } else {
                    throw error("section header block has byte-order magic 0x" + String.format("%08X", magic)
                            + ", not 0x1A2B3C4D");
                }
            } else if (!inSection) {
                throw error("the capture does not start with a section header block");
            }
            long length = CaptureBuffer.u32(b, p + 4, bigEndian);
            if (length < 12 || (length & 3) != 0) {
                throw error(blockName(type) + " has length " + length + (length < 12 ? ", shorter than the 12 bytes of an empty block"
                        : ", which is not a multiple of 4"));
            }
            boolean packet = type == ENHANCED_PACKET || type == SIMPLE_PACKET || type == OBSOLETE_PACKET;
            if (packet && length > maxPacketBytes + 64L * 1024) {
                throw InvalidInputException.limit(source + ": byte " + in.offset() + ": " + blockName(type) + " claims "
                        + length + " bytes, over the limit of " + (maxPacketBytes + 64 * 1024) + " for a packet block");
            }
            if (length > MAX_HELD_BLOCK && !packet) {
                if (type == SECTION_HEADER || type == INTERFACE_DESCRIPTION) {
                    throw InvalidInputException.limit(source + ": byte " + in.offset() + ": " + blockName(type) + " claims "
                            + length + " bytes, over the limit of " + MAX_HELD_BLOCK);
                }
                if (!skipLong(length, type)) {
                    return false;
                }
                continue;
            }
            int n = (int) length;
            if (!in.ensure(n)) {
                truncatedAt = in.offset();
                return false;
            }
            p = in.pos;
            long trailer = CaptureBuffer.u32(b, p + n - 4, bigEndian);
            if (trailer != length) {
                throw error(blockName(type) + " has length " + length + " at its start but " + trailer + " at its end");
            }
            boolean filled = switch (type) {
                case SECTION_HEADER -> {
                    sectionHeader(p, n);
                    yield false;
                }
                case INTERFACE_DESCRIPTION -> {
                    interfaceDescription(p, n);
                    yield false;
                }
                case ENHANCED_PACKET -> enhancedPacket(p, n, frame);
                case SIMPLE_PACKET -> simplePacket(p, n, frame);
                case OBSOLETE_PACKET -> obsoletePacket(p, n, frame);
                default -> false;
            };
            in.pos = p + n;
            if (filled) {
                return true;
            }
        }
    }

    /** Skips a block too long to hold, checking its trailing length. */
    private boolean skipLong(long length, int type) throws IOException {
        long at = in.offset();
        if (!in.skip(length - 4) || !in.ensure(4)) {
            truncatedAt = at;
            return false;
        }
        long trailer = CaptureBuffer.u32(in.bytes, in.pos, bigEndian);
        if (trailer != length) {
            throw new InvalidInputException(source + ": byte " + at + ": " + blockName(type) + " has length " + length
                    + " at its start but " + trailer + " at its end");
        }
        in.pos += 4;
        return true;
    }

    private void sectionHeader(int p, int n) {
        byte[] b = in.bytes;
        if (n < 28) {
            throw error(blockName(SECTION_HEADER) + " has length " + n + ", shorter than the 28 bytes of its fields");
        }
        int major = CaptureBuffer.u16(b, p + 12, bigEndian);
        if (major != 1) {
            throw error("pcapng version " + major + "." + CaptureBuffer.u16(b, p + 14, bigEndian)
                    + " is not supported (expected 1.0)");
        }
        inSection = true;
        interfaces = 0;
    }

    private void interfaceDescription(int p, int n) {
        byte[] b = in.bytes;
        if (n < 20) {
            throw error(blockName(INTERFACE_DESCRIPTION) + " has length " + n + ", shorter than the 20 bytes of its fields");
        }
        if (interfaces == MAX_INTERFACES) {
            throw InvalidInputException.limit(source + ": byte " + in.offset() + ": " + blockName(INTERFACE_DESCRIPTION)
                    + " describes one interface more than the limit of " + MAX_INTERFACES + " per section");
        }
        if (interfaces == linkTypes.length) {
            int grown = interfaces * 2;
            linkTypes = Arrays.copyOf(linkTypes, grown);
            snaplens = Arrays.copyOf(snaplens, grown);
            divisors = Arrays.copyOf(divisors, grown);
            multipliers = Arrays.copyOf(multipliers, grown);
            shifts = Arrays.copyOf(shifts, grown);
            offsetsMicros = Arrays.copyOf(offsetsMicros, grown);
        }
        int id = interfaces;
        linkTypes[id] = CaptureBuffer.u16(b, p + 8, bigEndian);
        snaplens[id] = CaptureBuffer.u32(b, p + 12, bigEndian);
        divisors[id] = 1;
        multipliers[id] = 1;
        shifts[id] = -1;
        offsetsMicros[id] = 0;
        int end = p + n - 4;
        int at = p + 16;
        while (end - at >= 4) {
            int code = CaptureBuffer.u16(b, at, bigEndian);
            int length = CaptureBuffer.u16(b, at + 2, bigEndian);
            if (code == 0) {
                break;
            }
            if (length > end - at - 4) {
                throw error(blockName(INTERFACE_DESCRIPTION) + " has an option " + code + " of " + length
                        + " bytes that runs past the block's end");
            }
            if (code == OPTION_TSRESOL && length >= 1) {
                timestampResolution(id, b[at + 4] & 0xff);
            } else if (code == OPTION_TSOFFSET && length >= 8) {
                long high = CaptureBuffer.u32(b, at + 4, bigEndian);
                long low = CaptureBuffer.u32(b, at + 8, bigEndian);
                long seconds = bigEndian ? high << 32 | low : low << 32 | high;
                offsetsMicros[id] = seconds * 1_000_000L;
            }
            at += 4 + ((length + 3) & ~3);
        }
        interfaces++;
    }

    private void timestampResolution(int id, int value) {
        if ((value & 0x80) != 0) {
            int shift = value & 0x7f;
            if (shift > 63) {
                throw error(blockName(INTERFACE_DESCRIPTION) + " has if_tsresol 2^-" + shift + ", finer than this reader supports");
            }
            shifts[id] = shift;
        } else if (value > 18) {
            throw error(blockName(INTERFACE_DESCRIPTION) + " has if_tsresol 10^-" + value + ", finer than this reader supports");
        } else if (value >= 6) {
            divisors[id] = POW10[value - 6];
        } else {
            multipliers[id] = POW10[6 - value];
        }
    }

    private long micros(int id, long units) {
        int shift = shifts[id];
        long micros;
        if (shift < 0) {
            micros = units / divisors[id] * multipliers[id];
        } else if (shift == 0) {
            micros = units * 1_000_000L;
        } else {
            // units * 10^6 / 2^shift, exactly, through the 128-bit product.
            long high = Math.multiplyHigh(units, 1_000_000L);
            long low = units * 1_000_000L;
            micros = high << (64 - shift) | low >>> shift;
        }
        return micros + offsetsMicros[id];
    }

    private boolean enhancedPacket(int p, int n, LinkFrame frame) {
        byte[] b = in.bytes;
        if (n < 32) {
            throw error(blockName(ENHANCED_PACKET) + " has length " + n + ", shorter than the 32 bytes of its fields");
        }
        long id = CaptureBuffer.u32(b, p + 8, bigEndian);
        long units = CaptureBuffer.u32(b, p + 12, bigEndian) << 32 | CaptureBuffer.u32(b, p + 16, bigEndian);
        long captured = CaptureBuffer.u32(b, p + 20, bigEndian);
        long wire = CaptureBuffer.u32(b, p + 24, bigEndian);
        int iface = checkInterface(id, ENHANCED_PACKET);
        checkCaptured(captured, n - 32L, iface, ENHANCED_PACKET);
        fill(frame, p + 28, (int) captured, wire, iface, micros(iface, units));
        return true;
    }

    private boolean simplePacket(int p, int n, LinkFrame frame) {
        byte[] b = in.bytes;
        if (n < 16) {
            throw error(blockName(SIMPLE_PACKET) + " has length " + n + ", shorter than the 16 bytes of its fields");
        }
        int iface = checkInterface(0, SIMPLE_PACKET);
        long wire = CaptureBuffer.u32(b, p + 8, bigEndian);
        long captured = Math.min(wire, n - 16L);
        if (snaplens[iface] > 0) {
            captured = Math.min(captured, snaplens[iface]);
        }
        checkCaptured(captured, n - 16L, iface, SIMPLE_PACKET);
        // A simple packet block has no timestamp: it takes the time of the packet before it.
        fill(frame, p + 12, (int) captured, wire, iface, lastTimestamp);
        return true;
    }

    private boolean obsoletePacket(int p, int n, LinkFrame frame) {
        byte[] b = in.bytes;
        if (n < 32) {
            throw error(blockName(OBSOLETE_PACKET) + " has length " + n + ", shorter than the 32 bytes of its fields");
        }
        int id = CaptureBuffer.u16(b, p + 8, bigEndian);
        long units = CaptureBuffer.u32(b, p + 12, bigEndian) << 32 | CaptureBuffer.u32(b, p + 16, bigEndian);
        long captured = CaptureBuffer.u32(b, p + 20, bigEndian);
        long wire = CaptureBuffer.u32(b, p + 24, bigEndian);
        int iface = checkInterface(id, OBSOLETE_PACKET);
        checkCaptured(captured, n - 32L, iface, OBSOLETE_PACKET);
        fill(frame, p + 28, (int) captured, wire, iface, micros(iface, units));
        return true;
    }

    private void fill(LinkFrame frame, int start, int captured, long wire, int iface, long timestamp) {
        frame.data = in.bytes;
        frame.start = start;
        frame.capturedLength = captured;
        frame.wireLength = (int) Math.min(Math.max(wire, captured), Integer.MAX_VALUE);
        frame.linkType = linkTypes[iface];
        frame.timestampMicros = timestamp;
        frame.offset = in.offset();
        frame.index = records++;
        lastTimestamp = timestamp;
    }

    private int checkInterface(long id, int type) {
        if (id >= interfaces) {
            throw error(blockName(type) + " names interface " + id + ", but the section describes "
                    + (interfaces == 1 ? "1 interface" : interfaces + " interfaces"));
        }
        return (int) id;
    }

    private void checkCaptured(long captured, long room, int iface, int type) {
        if (captured > maxPacketBytes) {
            throw InvalidInputException.limit(source + ": byte " + in.offset() + ": " + blockName(type) + " claims "
                    + captured + " bytes, over the limit of " + maxPacketBytes);
        }
        if (captured > room) {
            throw error(blockName(type) + " claims " + captured + " captured bytes, but its length leaves room for " + room);
        }
        if (snaplens[iface] > 0 && captured > snaplens[iface]) {
            throw error(blockName(type) + " claims " + captured + " bytes, more than interface " + iface + "'s snaplen of "
                    + snaplens[iface]);
        }
    }

    private String blockName(int type) {
        String kind = switch (type) {
            case SECTION_HEADER -> "section header block";
            case INTERFACE_DESCRIPTION -> "interface description block";
            case ENHANCED_PACKET -> "enhanced packet block";
            case SIMPLE_PACKET -> "simple packet block";
            case OBSOLETE_PACKET -> "packet block";
            default -> "block of type 0x" + String.format("%08X", type);
        };
        return kind + " " + blocks;
    }

    /** An error about the block at the buffer's position. */
    private InvalidInputException error(String what) {
        return new InvalidInputException(source + ": byte " + in.offset() + ": " + what);
    }

    @Override
    public long truncatedAt() {
        return truncatedAt;
    }
}
