package io.anomalyze.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A mixed input stream built from the sample files: flows as JSON objects (with an identity)
 * and as CSV lines under the sample's header, connection records as CSV lines, and broken
 * records of several kinds. Knows, for every record, the file and line where the same row
 * scores through {@code score}, or the reason it is a dead letter.
 */
final class StreamRecords {

    static final Path FLOW_SAMPLE = Path.of("uploads", "MachineLearningCVE-sample.csv");
    static final Path CONNECTION_SAMPLE = Path.of("uploads", "KDDTest+.txt");

    /** One input record: its bytes, and where its expected verdict is (or why it is broken). */
    record Item(byte[] value, Kind kind, int line, String flowId, String sourceIp, String reason) {
    }

    enum Kind { FLOW, CONNECTION, BROKEN }

    final List<Item> items = new ArrayList<>();
    final String flowHeader;
    private final StringBuilder flowFile = new StringBuilder();
    private final StringBuilder connectionFile = new StringBuilder();
    private int flowLines = 1;
    private int connectionLines;

    /** @param brokenPer100 per 100 records: how many are broken; the rest alternate flows and connection records */
    StreamRecords(int count, int brokenPer100) throws IOException {
        List<String> flows = Files.readAllLines(FLOW_SAMPLE, StandardCharsets.UTF_8);
        flowHeader = flows.get(0);
        flowFile.append(flowHeader).append('\n');
        String[] names = flowHeader.split(",", -1);
        boolean seenHeaderLength = false;
        for (int c = 0; c < names.length; c++) {
            // The original header names Fwd Header Length twice; a JSON object names it once.
            if (names[c].strip().equals("Fwd Header Length")) {
                if (seenHeaderLength) {
                    names[c] = "Fwd Header Length.1";
                }
                seenHeaderLength = true;
            }
        }
        List<String> connections = Files.readAllLines(CONNECTION_SAMPLE, StandardCharsets.UTF_8);
        int flow = 0;
        int connection = 0;
        for (int i = 0; i < count; i++) {
            if (i % 100 < brokenPer100) {
                items.add(broken(i, connections.get(i % connections.size()), names.length));
            } else if (i % 2 == 0) {
                String row = flows.get(1 + flow++ % (flows.size() - 1));
                String id = "flow-" + i;
                String ip = "10.0." + (i / 250 % 250) + "." + (i % 250);
                byte[] value = i % 10 == 4 ? row.getBytes(StandardCharsets.UTF_8) : json(names, row, id, ip).getBytes(StandardCharsets.UTF_8);
                boolean asJson = i % 10 != 4;
                flowFile.append(row).append('\n');
                items.add(new Item(value, Kind.FLOW, ++flowLines, asJson ? id : null, asJson ? ip : null, null));
            } else {
                String line = connections.get(connection++ % connections.size());
                connectionFile.append(line).append('\n');
                items.add(new Item(line.getBytes(StandardCharsets.UTF_8), Kind.CONNECTION, ++connectionLines, null, null, null));
            }
        }
    }

    private static String json(String[] names, String row, String id, String ip) {
        String[] cells = row.split(",", -1);
        StringBuilder sb = new StringBuilder(2048);
        sb.append("{\"Flow ID\":\"").append(id).append("\",\"Src IP\":\"").append(ip)
                .append("\",\"Src Port\":").append(40000 + id.length()).append(",\"Dst IP\":\"192.0.2.7\",\"Protocol\":6")
                .append(",\"Timestamp\":\"2017-07-03T08:55:58Z\"");
        for (int c = 0; c < names.length; c++) {
            sb.append(",\"").append(names[c].strip()).append("\":");
            String v = cells[c].strip();
            if (v.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                sb.append(v);
            } else {
                sb.append('"').append(v).append('"');
            }
        }
        return sb.append('}').toString();
    }

    private static Item broken(int i, String connectionLine, int headerFields) {
        return switch (i / 100 % 5) {
            case 0 -> new Item("{\"Flow Duration\": 12, ".getBytes(StandardCharsets.UTF_8), Kind.BROKEN, 0, null, null, "not valid JSON");
            case 1 -> new Item("{\"Flow Duration\": \"abc\", \"Destination Port\": 80}".getBytes(StandardCharsets.UTF_8), Kind.BROKEN, 0,
                    null, null, "field \"Flow Duration\" (Flow Duration): not a number: \"abc\"");
            case 2 -> {
                String[] f = connectionLine.split(",", -1);
                f[4] = "x12";
                yield new Item(String.join(",", f).getBytes(StandardCharsets.UTF_8), Kind.BROKEN, 0, null, null,
                        "column 5: not a number for src_bytes: \"x12\"");
            }
            case 3 -> new Item("a,b,c".getBytes(StandardCharsets.UTF_8), Kind.BROKEN, 0, null, null,
                    "expected " + headerFields + " comma-separated fields as in the header, found 3");
            default -> new Item("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8), Kind.BROKEN, 0, null, null,
                    "names none of the 78 flow features (such as \"Destination Port\", \"Flow Duration\" or \"Dst Port\")");
        };
    }

    long count(Kind kind) {
        return items.stream().filter(it -> it.kind() == kind).count();
    }

    void writeFlowFile(Path file) throws IOException {
        Files.writeString(file, flowFile, StandardCharsets.UTF_8);
    }

    void writeConnectionFile(Path file) throws IOException {
        Files.writeString(file, connectionFile, StandardCharsets.UTF_8);
    }
}
