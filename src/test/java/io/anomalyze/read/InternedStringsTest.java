package io.anomalyze.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InternedStringsTest {

    private static String at(InternedStrings symbols, String line, String value) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        int from = line.indexOf(value);
        return symbols.intern(bytes, from, from + value.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void repeatedBytesGiveTheSameStringAcrossGrowth() {
        InternedStrings symbols = new InternedStrings();
        String http = at(symbols, "0,tcp,http,SF", "http");
        assertEquals("http", http);
        for (int i = 0; i < 5000; i++) {
            assertEquals("service" + i, at(symbols, "x,service" + i + ",y", "service" + i));
        }
        assertSame(http, at(symbols, "1,udp,http,REJ", "http"));
        assertSame(at(symbols, "a,service42,b", "service42"), at(symbols, "service42", "service42"));
        assertEquals("ftp_data", at(symbols, "ftp_data", "ftp_data"));
        assertEquals("", symbols.intern(new byte[3], 1, 1));
        assertEquals("é", at(symbols, "x,é,y", "é"));
    }

    @Test
    void pastTheBoundValuesAreReturnedButNotKept() {
        InternedStrings symbols = new InternedStrings();
        for (int i = 0; i < 10_000; i++) {
            at(symbols, "v" + i, "v" + i);
        }
        String late = at(symbols, "late", "late");
        assertEquals("late", late);
        assertNotSame(late, at(symbols, "late", "late"));
        assertSame(at(symbols, "v7", "v7"), at(symbols, "v7,", "v7"));
    }
}
