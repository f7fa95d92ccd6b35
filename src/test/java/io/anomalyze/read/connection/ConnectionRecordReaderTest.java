package io.anomalyze.read.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.BadRow;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ConnectionRecordReaderTest {

    static final String NORMAL = "0,tcp,ftp_data,SF,491,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,0.00,0.00,0.00,0.00,1.00,0.00,0.00,150,25,0.17,0.03,0.17,0.00,0.00,0.00,0.05,0.00";
    static final String ATTACK = "0,tcp,private,S0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,123,6,1.00,1.00,0.00,0.00,0.05,0.07,0.00,255,26,0.10,0.05,0.00,0.00,1.00,1.00,0.00,0.00";
    static final String HEADER = String.join(",", ConnectionLayout.FEATURES) + ",label,difficulty";

    /** Reads everything, returning labels in order; limits allow every bad row. */
    static Result read(byte[] bytes, double maxBad) throws IOException {
        InputLimits limits = InputLimits.DEFAULTS.withMaxBadRowFraction(maxBad);
        List<String> labels = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (InputStream in = TrafficInput.open(new ByteArrayInputStream(bytes), "f.txt", limits);
             ConnectionRecordReader reader = new ConnectionRecordReader(in, "f.txt", limits)) {
            ConnectionBatch batch = new ConnectionBatch(3);
            while (reader.read(batch)) {
                for (int i = 0; i < batch.size(); i++) {
                    labels.add(batch.label[i]);
                    lines.add(batch.line[i]);
                }
            }
            return new Result(labels, lines, reader.badRows().examples(), reader.badRows().count());
        }
    }

    record Result(List<String> labels, List<Long> lines, List<BadRow> bad, long badCount) {
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsLabelledRowsWithDifficulty() throws IOException {
        Result r = read(text(NORMAL + ",normal,20\n" + ATTACK + ",neptune,19\n"), 0.01);
        assertEquals(List.of("normal", "neptune"), r.labels());
        assertEquals(List.of(1L, 2L), r.lines());
        assertEquals(0, r.badCount());
    }

    @Test
    void readsUnlabelledRows() throws IOException {
        Result r = read(text(NORMAL + "\n" + ATTACK), 0.01);
        assertEquals(2, r.labels().size());
        assertNull(r.labels().get(0));
    }

    @Test
    void skipsHeaderLine() throws IOException {
        Result r = read(text(HEADER + "\n" + NORMAL + ",normal,20\n"), 0.01);
        assertEquals(List.of("normal"), r.labels());
        assertEquals(List.of(2L), r.lines());
    }

    @Test
    void handlesCrlfBomAndKdd99DottedLabels() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = text(NORMAL + ",normal.\r\n" + ATTACK + ",smurf.\r\n\r\n");
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        Result r = read(all, 0.01);
        assertEquals(List.of("normal", "smurf"), r.labels());
    }

    @Test
    void decompressesGzipWhateverTheName() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text(NORMAL + ",normal,21\n" + ATTACK + ",neptune,21\n" + NORMAL + ",normal,21\n" + ATTACK + ",neptune,21\n"));
        }
        Result r = read(bytes.toByteArray(), 0.01);
        assertEquals(List.of("normal", "neptune", "normal", "neptune"), r.labels());
    }

    @Test
    void reportsEachKindOfBadRowWithLineColumnAndReason() throws IOException {
        String rows = NORMAL + ",normal,20\n"
                + "1,2,3\n"
                + NORMAL.replaceFirst("^0,", "abc,") + ",normal,20\n"
                + NORMAL.replace(",tcp,", ",xtp,") + ",normal,20\n"
                + NORMAL.replace(",491,", ",-5,") + ",normal,20\n"
                + NORMAL.replace(",491,", ",NaN,") + ",normal,20\n"
                + NORMAL.replace(",491,", ",,") + ",normal,20\n"
                + NORMAL + ",normal,x\n";
        Result r = read(text(rows), 1.0);
        assertEquals(List.of("normal"), r.labels());
        assertEquals(7, r.badCount());
        List<String> messages = r.bad().stream().map(BadRow::describe).toList();
        assertEquals(List.of(
                "line 2: expected 41 to 43 comma-separated fields (41 features, label, difficulty), found 3",
                "line 3, column 1: not a number for duration: \"abc\"",
                "line 4, column 2: unknown protocol \"xtp\" (expected tcp, udp or icmp)",
                "line 5, column 5: negative value for src_bytes: -5",
                "line 6, column 5: not a finite number for src_bytes: \"NaN\"",
                "line 7, column 5: empty value for src_bytes",
                "line 8, column 43: difficulty level must be a whole number >= 0, found \"x\""), messages);
    }

    @Test
    void refusesFileOverTheBadRowLimit() {
        String rows = NORMAL + ",normal\n" + "garbage\n";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(text(rows), 0.01));
        assertEquals("f.txt: 1 of 2 rows are invalid, over the limit of 1%; first problem: line 2: expected 41 to 43"
                + " comma-separated fields (41 features, label, difficulty), found 1", e.getMessage());
    }

    @Test
    void refusesFileWithoutValidRows() {
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> read(new byte[0], 0.01));
        assertEquals("f.txt: it holds no records", empty.getMessage());
        InvalidInputException junk = assertThrows(InvalidInputException.class, () -> read(text("a;b;c\n"), 1.0));
        assertTrue(junk.getMessage().startsWith("f.txt: none of its 1 rows is valid; first problem: line 1:"), junk.getMessage());
    }

    @Test
    void refusesOverlongLineAsLimit() {
        InputLimits limits = new InputLimits(100, 0.01, 1000, 1 << 20, 100);
        byte[] line = new byte[1000];
        java.util.Arrays.fill(line, (byte) '7');
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
            try (ConnectionRecordReader reader = new ConnectionRecordReader(new ByteArrayInputStream(line), "f.txt", limits)) {
                reader.read(new ConnectionBatch(4));
            }
        });
        assertTrue(e.isLimitExceeded());
        assertEquals("f.txt: line 1 is longer than the limit of 100 bytes", e.getMessage());
    }

    @Test
    void parsesNumbersExactly() throws IOException {
        InputLimits limits = InputLimits.DEFAULTS;
        String row = NORMAL.replace(",491,", ",1.5e3,") + ",normal";
        try (ConnectionRecordReader reader = new ConnectionRecordReader(new ByteArrayInputStream(text(row)), "f", limits)) {
            ConnectionBatch batch = new ConnectionBatch(2);
            assertTrue(reader.read(batch));
            assertEquals(1500.0, batch.numeric(0, 1));
            assertEquals(0.17, batch.numeric(0, 30));
            assertArrayEquals(new String[] {"tcp", "ftp_data", "SF"},
                    new String[] {batch.protocol[0], batch.service[0], batch.flag[0]});
            assertFalse(reader.read(batch));
        }
    }

    @Test
    void truncatedGzipIsNamed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 2000; i++) {
                gz.write(text(NORMAL + ",normal," + i + "\n"));
            }
        }
        byte[] whole = bytes.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(cut, 0.01));
        assertEquals("f.txt: the gzip stream is truncated (it ends before its last block)", e.getMessage());
    }
}
