package io.anomalyze.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A TrafficLabelling-style flow file made from 60 flows of the bundled MachineLearningCVE
 * sample (every 46th, so attacks of several classes are among them), given identity columns by a plain rule, so tests know exactly
 * which flows each filter must list: flow {@code i} (line {@code i + 2}) comes from
 * {@link #src(int)} port {@code 40000 + i}, goes to {@link #dst(int)}, is TCP, and starts at
 * 03:{@code i} on 7 July 2017 (written {@code 7/7/2017 3:MM}, read as UTC).
 */
final class IdentityFlowFile {

    static final int FLOWS = 60;

    private IdentityFlowFile() {
    }

    static String src(int i) {
        return switch (i % 3) {
            case 0 -> "10.0.0." + (i % 7 + 1);
            case 1 -> "172.16.0.1";
            default -> "2001:db8::" + Integer.toHexString(i % 5 + 1);
        };
    }

    static String dst(int i) {
        return i % 2 == 0 ? "192.168.10.50" : "192.168.10.51";
    }

    /** The destination port of flow {@code i}, as the sample gives it. */
    static int dstPort(int i) throws IOException {
        String row = row(Files.readAllLines(TestService.FLOW_SAMPLE), i);
        return (int) Double.parseDouble(row.substring(0, row.indexOf(',')).strip());
    }

    private static String row(List<String> sampleLines, int i) {
        return sampleLines.get(1 + STRIDE * i);
    }

    private static final int STRIDE = 46;

    static Path write(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(TestService.FLOW_SAMPLE);
        StringBuilder sb = new StringBuilder("Flow ID,Source IP,Source Port,Destination IP,Protocol,Timestamp,").append(lines.get(0)).append('\n');
        for (int i = 0; i < FLOWS; i++) {
            String row = row(lines, i);
            sb.append(src(i)).append('-').append(dst(i)).append('-').append(40_000 + i).append('-').append(dstPort(i)).append("-6,")
                    .append(src(i)).append(',').append(40_000 + i).append(',').append(dst(i)).append(",6,")
                    .append(String.format("7/7/2017 3:%02d", i)).append(',').append(row).append('\n');
        }
        Path file = dir.resolve("identity-flows.csv");
        Files.writeString(file, sb);
        return file;
    }
}
