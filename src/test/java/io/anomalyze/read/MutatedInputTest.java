package io.anomalyze.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionRecordReader;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The readers under seeded random damage: bytes flipped, inserted, deleted and cut, plain and
 * gzip-compressed. Whatever the damage, a reader either reads records or refuses the input with
 * an {@link InvalidInputException} naming the file; nothing else escapes, and nothing hangs.
 */
class MutatedInputTest {

    private static final InputLimits LIMITS = InputLimits.DEFAULTS.withMaxBadRowFraction(1.0);

    @Test
    void connectionRecordsSurviveRandomDamage() throws Exception {
        byte[] clean = Arrays.copyOf(Files.readAllBytes(Path.of("uploads", "KDDTest+.txt")), 60_000);
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            byte[] damaged = damage(clean, random);
            boolean gzip = round % 3 == 0;
            byte[] input = gzip ? damageGzip(gzip(damaged), random) : damaged;
            String source = "round-" + round + (gzip ? ".gz" : ".txt");
            outcome(source, () -> {
                try (InputStream in = TrafficInput.open(new ByteArrayInputStream(input), source, LIMITS);
                     ConnectionRecordReader reader = new ConnectionRecordReader(in, source, LIMITS)) {
                    ConnectionBatch batch = new ConnectionBatch(512);
                    long rows = 0;
                    long lastLine = 0;
                    while (reader.read(batch)) {
                        for (int i = 0; i < batch.size(); i++) {
                            assertTrue(batch.protocol[i] != null && !batch.service[i].isEmpty() && !batch.flag[i].isEmpty());
                            assertTrue(batch.line[i] > lastLine, source + ": lines go forward");
                            lastLine = batch.line[i];
                        }
                        rows += batch.size();
                    }
                    assertEquals(reader.records(), rows, source + ": every record counted is handed on");
                }
            });
        }
    }

    @Test
    void flowRecordsSurviveRandomDamage() throws Exception {
        byte[] clean = Arrays.copyOf(Files.readAllBytes(Path.of("uploads", "MachineLearningCVE-sample.csv")), 80_000);
        Random random = new Random(43);
        for (int round = 0; round < 300; round++) {
            byte[] damaged = damage(clean, random);
            boolean gzip = round % 3 == 0;
            byte[] input = gzip ? damageGzip(gzip(damaged), random) : damaged;
            String source = "round-" + round + (gzip ? ".gz" : ".csv");
            outcome(source, () -> {
                try (InputStream in = TrafficInput.open(new ByteArrayInputStream(input), source, LIMITS);
                     FlowRecordReader reader = new FlowRecordReader(in, source, LIMITS)) {
                    FlowBatch batch = new FlowBatch(512);
                    long rows = 0;
                    long lastLine = 1;
                    while (reader.read(batch)) {
                        for (int i = 0; i < batch.size(); i++) {
                            assertTrue(batch.line[i] > lastLine, source + ": records follow the header, lines go forward");
                            lastLine = batch.line[i];
                        }
                        for (int v = 0; v < batch.size() * FlowFeatures.COUNT; v++) {
                            assertTrue(Float.isFinite(batch.features[v]), source + ": feature values are finite");
                        }
                        rows += batch.size();
                    }
                    assertEquals(reader.records(), rows, source + ": every record counted is handed on");
                }
            });
        }
    }

    private interface Read {
        void run() throws IOException;
    }

    /** Either the whole input is read, or it is refused with a message that starts with the file's name. */
    private static void outcome(String source, Read read) throws IOException {
        try {
            read.run();
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
        }
    }

    /** One to eight random edits: flip a byte, insert random bytes, delete a run, or cut the end. */
    private static byte[] damage(byte[] clean, Random random) {
        byte[] out = clean.clone();
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits && out.length > 1; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] junk = new byte[1 + random.nextInt(64)];
                    random.nextBytes(junk);
                    byte[] grown = new byte[out.length + junk.length];
                    System.arraycopy(out, 0, grown, 0, at);
                    System.arraycopy(junk, 0, grown, at, junk.length);
                    System.arraycopy(out, at, grown, at + junk.length, out.length - at);
                    out = grown;
                }
                case 2 -> {
                    int len = Math.min(1 + random.nextInt(200), out.length - at);
                    byte[] shrunk = new byte[out.length - len];
                    System.arraycopy(out, 0, shrunk, 0, at);
                    System.arraycopy(out, at + len, shrunk, at, out.length - at - len);
                    out = shrunk;
                }
                default -> out = Arrays.copyOf(out, Math.max(1, at));
            }
        }
        return out;
    }

    /** Leaves half of the compressed inputs whole; damages or cuts the others. */
    private static byte[] damageGzip(byte[] gz, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(gz, 1 + random.nextInt(gz.length));
            case 1 -> {
                byte[] out = gz.clone();
                out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                yield out;
            }
            default -> gz;
        };
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
