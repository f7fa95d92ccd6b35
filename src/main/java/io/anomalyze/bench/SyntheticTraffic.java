package io.anomalyze.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark input of any size made by cycling the rows of a real sample file, so that the
 * value distribution (and thus the work per record) is that of real traffic.
 */
final class SyntheticTraffic {

    private SyntheticTraffic() {
    }

    /**
     * @param sample     a sample file
     * @param headerRows leading lines of the sample to write once (a CSV header), not cycle
     * @param records    rows wanted
     */
    static byte[] cycle(Path sample, int headerRows, long records) throws IOException {
        List<String> lines = Files.readAllLines(sample);
        List<String> rows = lines.subList(headerRows, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        if (rows.isEmpty()) {
            throw new IOException(sample + " has no rows to cycle");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, records * 200));
        for (int i = 0; i < headerRows; i++) {
            out.write((lines.get(i) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[][] encoded = rows.stream().map(r -> (r + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new);
        for (long i = 0; i < records; i++) {
            out.write(encoded[(int) (i % encoded.length)]);
        }
        return out.toByteArray();
    }
}
