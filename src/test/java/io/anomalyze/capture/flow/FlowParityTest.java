package io.anomalyze.capture.flow;

import static io.anomalyze.capture.flow.FlowBuilderTest.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anomalyze.read.flow.FlowFeatures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowParityTest {

    static final long T = 1_600_000_000_000_000L;
    static final int A = 0x0a000001;
    static final int B = 0x0a000002;

    @TempDir
    Path tmp;

    /** Our own CSV of three UDP flows, edited into a reference: one start moved, one value changed. */
    @Test
    void countsFlowsFoundWithin1msAndValuesEqualWithinTolerance() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FlowParity parity = new FlowParity();
        try (FlowCsvWriter csv = new FlowCsvWriter(bytes)) {
            FlowBuilder builder = new FlowBuilder(FlowSettings.DEFAULTS, flow -> {
                parity.accept(flow);
                csv.accept(flow);
            });
            builder.accept(udp(T, A, 1001, B, 53, 10));
            builder.accept(udp(T + 10, B, 53, A, 1001, 20));
            builder.accept(udp(T + 100, A, 1002, B, 53, 10));
            builder.accept(udp(T + 200, A, 1003, B, 53, 10));
            builder.finish();
        }
        String[] lines = bytes.toString(StandardCharsets.US_ASCII).split("\n");
        int duration = 7 + FlowFeatures.indexOf("Flow Duration");
        int fwdBytes = 7 + FlowFeatures.indexOf("Total Length of Fwd Packets");
        // Reference written in the corrected tool's timestamp form, its columns in their order.
        String[] first = lines[1].split(",", -1);
        first[6] = "2020-09-13 12:26:40.000500";
        first[duration] = "10.000001";
        String[] second = lines[2].split(",", -1);
        second[6] = "2020-09-13 12:26:40.002100";
        String[] third = lines[3].split(",", -1);
        third[fwdBytes] = "11";
        Path reference = Files.writeString(tmp.resolve("ref.csv"), String.join("\n", lines[0], String.join(",", first),
                String.join(",", second), String.join(",", third)) + "\n");
        FlowParity.Report report = parity.compare(reference);
        assertEquals(3, report.referenceFlows());
        assertEquals(3, report.ourFlows());
        assertEquals(2, report.found(), "the flow starting 2 ms later is not the same flow");
        assertEquals(2 * 78, report.valuesCompared());
        assertEquals(2 * 78 - 1, report.valuesEqual(), "10.000001 is within 1e-3 of 10; 11 bytes is not 10");
        assertEquals(1, report.equalByFeature()[FlowFeatures.indexOf("Total Length of Fwd Packets")]);
        assertEquals(2, report.equalByFeature()[FlowFeatures.indexOf("Flow Duration")]);
    }
}
