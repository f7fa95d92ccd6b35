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

    /**
     * Flow rows of {@code sample} (a flow CSV with a header) cycled to {@code records} rows, each
     * given the identity columns CICFlowMeter writes: Flow ID, source address and port,
     * destination address, protocol and a microsecond ISO timestamp. Sources cycle over 4,000
     * addresses and destinations over 200, so reading shares some addresses and meets new Flow
     * IDs all the time, as in a real capture day.
     */
    static byte[] cycleWithIdentity(Path sample, long records) throws IOException {
        List<String> lines = Files.readAllLines(sample);
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        if (rows.isEmpty()) {
            throw new IOException(sample + " has no rows to cycle");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, records * 280));
        out.write(("Flow ID,Src IP,Src Port,Dst IP,Protocol,Timestamp," + lines.get(0) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long start = java.time.Instant.parse("2017-07-05T08:00:00Z").toEpochMilli() * 1000;
        StringBuilder sb = new StringBuilder(512);
        for (long i = 0; i < records; i++) {
            String row = rows.get((int) (i % rows.size()));
            String dstPort = row.substring(0, row.indexOf(',')).strip();
            String src = "192.168." + (i % 4000 / 250) + "." + (i % 250);
            String dst = "10.0." + (i % 200 / 100) + "." + (i % 100);
            int srcPort = 1024 + (int) (i % 60000);
            String time = java.time.Instant.EPOCH.plus(start + i * 997, java.time.temporal.ChronoUnit.MICROS).toString()
                    .replace('T', ' ').replace("Z", "");
            sb.setLength(0);
            sb.append(src).append('-').append(dst).append('-').append(srcPort).append('-').append(dstPort).append("-6,")
                    .append(src).append(',').append(srcPort).append(',').append(dst).append(",6,").append(time).append(',')
                    .append(row).append('\n');
            out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
