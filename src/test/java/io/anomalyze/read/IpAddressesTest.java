package io.anomalyze.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IpAddressesTest {

    private static String roundTrip(String text) {
        byte[] out = new byte[16];
        int n = IpAddresses.parse(text, out);
        return n == 0 ? null : IpAddresses.format(out, 0, n);
    }

    @Test
    void ipv4AndIpv6RoundTripToTheirCanonicalText() {
        assertEquals("172.16.0.1", roundTrip("172.16.0.1"));
        assertEquals("0.0.0.0", roundTrip("0.0.0.0"));
        assertEquals("255.255.255.255", roundTrip("255.255.255.255"));
        assertEquals("2001:db8::1", roundTrip("2001:DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", roundTrip("2001:db8:0:0:1:0:0:1"));
        assertEquals("fe80::", roundTrip("fe80::"));
        assertEquals("::", roundTrip("::"));
        assertEquals("::1", roundTrip("::1"));
        assertEquals("2001:db8:0:1:1:1:1:1", roundTrip("2001:db8::1:1:1:1:1"));
        assertEquals("::ffff:c000:280", roundTrip("::ffff:192.0.2.128"));
    }

    @Test
    void ipv4TextIsWhatAppendingWrites() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int[] edges = {0, -1, 0x0a000001, 0x7f000001, 0x01020304, 0x640a0b63, 0xc0a80a32};
        for (int i = 0; i < 100_000 + edges.length; i++) {
            int address = i < edges.length ? edges[i] : random.nextInt();
            StringBuilder appended = new StringBuilder();
            IpAddresses.appendIpv4(appended, address);
            assertEquals(appended.toString(), IpAddresses.ipv4Text(address));
        }
        assertEquals("255.255.255.255", IpAddresses.ipv4Text(-1));
        assertEquals("10.0.0.1", IpAddresses.ipv4Text(0x0a000001));
    }

    @Test
    void textThatIsNoAddressIsRefused() {
        for (String bad : new String[] {"1261", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1::2::3", "12345::", ":1",
                "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "2001:db8::1:", "example.com", "", "1.2.3.04a"}) {
            assertEquals(null, roundTrip(bad), bad);
        }
    }
}
