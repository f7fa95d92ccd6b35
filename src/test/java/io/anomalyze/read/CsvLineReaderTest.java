package io.anomalyze.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Numbers parsed while a line is split are exactly what Java's own parser gives. */
class CsvLineReaderTest {

    private static CsvLineReader readerOf(String text) {
        return new CsvLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test", 1 << 20);
    }

    @Test
    void everyKindOfNumberFieldParsesAsDoubleParseDoubleDoes() throws Exception {
        List<String> fields = List.of("0", "7", "007", "0.00", "1.00", "0.05", "491", "123456789012345678",
                "1234567890123456789", "12345678901234567.8", "0.000000000000000001", "5.", ".5", " 12 ", "+3", "-4.25",
                "1e5", "2.5E-3", "\"42\"", "99999999999999999.9", "4503599627370497.5");
        String line = String.join(",", fields);
        CsvLineReader reader = readerOf(line + "\n" + line + "\r\n");
        for (int pass = 0; pass < 2; pass++) {
            assertTrue(reader.next());
            assertEquals(fields.size(), reader.fieldCount());
            for (int f = 0; f < fields.size(); f++) {
                double expected = Double.parseDouble(fields.get(f).strip().replace("\"", ""));
                double got = reader.number(f);
                assertEquals(CsvLineReader.NumberStatus.OK, reader.numberStatus(), fields.get(f));
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got), fields.get(f));
            }
        }
    }

    @Test
    void randomPlainDecimalsMatchDoubleParseDouble() throws Exception {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        int rows = 2000;
        int width = 20;
        String[][] expected = new String[rows][width];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < width; f++) {
                int digits = 1 + random.nextInt(18);
                StringBuilder number = new StringBuilder();
                for (int d = 0; d < digits; d++) {
                    number.append((char) ('0' + random.nextInt(10)));
                }
                if (digits > 1 && random.nextBoolean()) {
                    number.insert(1 + random.nextInt(digits - 1), '.');
                }
                expected[r][f] = number.toString();
                text.append(f == 0 ? "" : ",").append(number);
            }
            text.append('\n');
        }
        CsvLineReader reader = readerOf(text.toString());
        for (int r = 0; r < rows; r++) {
            assertTrue(reader.next());
            for (int f = 0; f < width; f++) {
                assertEquals(Double.doubleToLongBits(Double.parseDouble(expected[r][f])), Double.doubleToLongBits(reader.number(f)),
                        expected[r][f]);
            }
        }
    }

    @Test
    void fieldsThatAreNoNumberStayInvalidOrEmpty() throws Exception {
        CsvLineReader reader = readerOf("tcp,,1.2.3,1-2,.,\"a,b\",3\n");
        assertTrue(reader.next());
        assertEquals(7, reader.fieldCount());
        reader.number(0);
        assertEquals(CsvLineReader.NumberStatus.INVALID, reader.numberStatus());
        reader.number(1);
        assertEquals(CsvLineReader.NumberStatus.EMPTY, reader.numberStatus());
        for (int f = 2; f <= 5; f++) {
            reader.number(f);
            assertEquals(CsvLineReader.NumberStatus.INVALID, reader.numberStatus(), "field " + f);
        }
        assertEquals(3.0, reader.number(6));
        assertEquals("a,b", reader.text(5));
    }
}
