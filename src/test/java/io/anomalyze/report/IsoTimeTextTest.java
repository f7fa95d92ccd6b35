package io.anomalyze.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimeTextTest {

    private static final long FIRST = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private static String second(long epochSecond) {
        byte[] b = new byte[40];
        int end = IsoTimeText.writeSecond(epochSecond, b, 3);
        return end < 0 ? null : new String(b, 3, end - 3, StandardCharsets.US_ASCII);
    }

    private static String instant(Instant t) {
        StringBuilder sb = new StringBuilder("x");
        IsoTimeText.append(sb, t, new byte[IsoTimeText.SECOND_LENGTH]);
        return sb.substring(1);
    }

    @Test
    void writesTheSecondsOfEveryYearFromZeroTo9999AsJavaTimeDoes() {
        SplittableRandom random = new SplittableRandom(3);
        long[] edges = {FIRST, LAST, 0, -1, 951_782_400L /* 2000-02-29 */, 951_868_799L, 4_107_542_399L /* 2100-02-28T23:59:59 */,
            1_499_385_600L, 253_402_300_799L};
        for (long s : edges) {
            assertEquals(Instant.ofEpochSecond(s).toString().replace("Z", ""), second(s), "second " + s);
        }
        for (int i = 0; i < 200_000; i++) {
            long s = random.nextLong(FIRST, LAST + 1);
            assertEquals(Instant.ofEpochSecond(s).toString().replace("Z", ""), second(s), "second " + s);
        }
        assertEquals(null, second(FIRST - 1));
        assertEquals(null, second(LAST + 1));
    }

    @Test
    void appendsInstantsAsInstantToStringDoes() {
        SplittableRandom random = new SplittableRandom(5);
        int[] nanos = {0, 1, 999_999_999, 167_189_000, 245_000_000, 100, 1_000, 1_000_000};
        for (int n : nanos) {
            Instant t = Instant.ofEpochSecond(1_499_385_600L, n);
            assertEquals(t.toString(), instant(t));
        }
        for (int i = 0; i < 100_000; i++) {
            int n = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(FIRST, LAST + 1), n);
            assertEquals(t.toString(), instant(t));
        }
        Instant far = Instant.ofEpochSecond(LAST + 1, 5_000);
        assertEquals(far.toString(), instant(far));
    }
}
