package io.anomalyze.store;

import io.anomalyze.read.IpAddresses;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a
 * single address is the block of its full length. Host bits below the prefix are ignored, as
 * {@code 10.1.2.3/8} plainly means the block {@code 10.0.0.0/8}.
 *
 * @param address the address bytes (4 or 16), host bits cleared
 * @param bits    the prefix length, 0..32 or 0..128
 */
public record AddressBlock(byte[] address, int bits) {

    /** The block written as {@code text}, or null when it is none. */
    public static AddressBlock parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = new byte[16];
        int length = IpAddresses.parse(addressText, bytes);
        if (length == 0) {
            return null;
        }
        int bits = length * 8;
        if (slash >= 0) {
            String b = t.substring(slash + 1);
            if (b.isEmpty() || b.length() > 3 || !b.chars().allMatch(Character::isDigit)) {
                return null;
            }
            bits = Integer.parseInt(b);
            if (bits > length * 8) {
                return null;
            }
        }
        byte[] address = Arrays.copyOf(bytes, length);
        for (int i = 0; i < length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            address[i] &= (byte) (0xFF00 >>> keep);
        }
        return new AddressBlock(address, bits);
    }

    /** True when the {@code length}-byte address at {@code data[at]} lies in this block. */
    public boolean contains(byte[] data, int at, int length) {
        if (length != address.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (data[at + i] != address[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF00 >>> rest;
        return (data[at + full] & mask & 0xFF) == (address[full] & 0xFF);
    }

    /** The block in CIDR notation, as a link would carry it. */
    @Override
    public String toString() {
        String a = IpAddresses.format(address, 0, address.length);
        return bits == address.length * 8 ? a : a + "/" + bits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressBlock b && b.bits == bits && Arrays.equals(b.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + bits;
    }
}
