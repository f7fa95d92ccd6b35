package io.anomalyze.capture.flow;

import static io.anomalyze.capture.flow.FlowBuilderTest.CLIENT;
import static io.anomalyze.capture.flow.FlowBuilderTest.SERVER;
import static io.anomalyze.capture.flow.FlowBuilderTest.T0;
import static io.anomalyze.capture.flow.FlowBuilderTest.tcp;
import static io.anomalyze.capture.flow.FlowBuilderTest.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.capture.Packet;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.flow.FlowBatch;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowRecordReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowCsvWriterTest {

    @Test
    void writesCicFlowMeterColumnsThatTheFlowReaderReadsBackUnchanged() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<double[]> written = new ArrayList<>();
        try (FlowCsvWriter csv = new FlowCsvWriter(bytes)) {
            FlowBuilder builder = new FlowBuilder(FlowSettings.DEFAULTS, flow -> {
                written.add(flow.features());
                csv.accept(flow);
            });
            builder.accept(tcp(T0, CLIENT, 40000, SERVER, 80, Packet.SYN, 0));
            builder.accept(tcp(T0 + 333, SERVER, 80, CLIENT, 40000, Packet.SYN | Packet.ACK, 0));
            builder.accept(tcp(T0 + 1000, CLIENT, 40000, SERVER, 80, Packet.ACK | Packet.PSH, 517));
            builder.accept(udp(T0 + 2_000_000, CLIENT, 5353, SERVER, 53, 33));
            builder.finish();
        }
        String text = bytes.toString(StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Destination Port,Flow Duration,"));
        assertTrue(lines[0].endsWith(",Idle Min,Label"));
        assertEquals(7 + 78 + 1, lines[0].split(",", -1).length);
        assertTrue(lines[1].startsWith("10.0.0.1-10.0.0.2-40000-80-6,10.0.0.1,40000,10.0.0.2,80,6,2020-09-13T12:26:40.000000Z,80,1000,2,1,517,0,"),
                lines[1]);
        assertTrue(lines[2].startsWith("10.0.0.1-10.0.0.2-5353-53-17,10.0.0.1,5353,10.0.0.2,53,17,2020-09-13T12:26:42.000000Z,53,0,1,0,33,0,"),
                lines[2]);
        assertTrue(lines[1].endsWith(","), "the Label column is empty");

        try (FlowRecordReader reader = new FlowRecordReader(new ByteArrayInputStream(bytes.toByteArray()), "flows.csv",
                InputLimits.DEFAULTS)) {
            FlowBatch batch = new FlowBatch(16);
            assertTrue(reader.read(batch));
            assertEquals(2, batch.size());
            for (int r = 0; r < 2; r++) {
                for (int i = 0; i < FlowFeatures.COUNT; i++) {
                    assertEquals((float) written.get(r)[i], batch.feature(r, i), FlowFeatures.name(i) + " of row " + r);
                }
                assertNull(batch.label[r]);
            }
            assertEquals(-1f, batch.feature(1, FlowFeatures.indexOf("Flow Bytes/s")));
            assertEquals(517_000f, batch.feature(0, FlowFeatures.indexOf("Flow Bytes/s")));
            assertFalse(reader.read(batch));
            assertEquals(0, reader.badRows().count());
        }
    }
}
