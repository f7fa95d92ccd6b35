package io.anomalyze.capture.flow;

import static io.anomalyze.capture.flow.FlowBuilderTest.SERVER;
import static io.anomalyze.capture.flow.FlowBuilderTest.T0;
import static io.anomalyze.capture.flow.FlowBuilderTest.tcp;
import static io.anomalyze.capture.flow.FlowBuilderTest.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anomalyze.capture.Packet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackgroundFlowCsvWriterTest {

    /** More flows than fit in all batches at once, of several shapes, and a capture with a flush in the middle. */
    private static void build(FlowSink sink, Runnable midway) {
        FlowBuilder builder = new FlowBuilder(FlowSettings.DEFAULTS, sink);
        int flows = BackgroundFlowCsvWriter.ROWS * (BackgroundFlowCsvWriter.BATCHES + 2) + 17;
        for (int i = 0; i < flows; i++) {
            int client = 0x0b000000 + i;
            long t = T0 + 10L * i;
            if (i % 3 == 0) {
                builder.accept(tcp(t, client, 1024 + i % 60000, SERVER, 80, Packet.SYN, 0));
            } else if (i % 3 == 1) {
                builder.accept(udp(t, client, 5353, SERVER, 53, 40 + i % 7));
                builder.accept(udp(t + 3, SERVER, 53, client, 5353, 300 + i % 11));
            } else {
                builder.accept(tcp(t, client, 40000, SERVER, 443, Packet.SYN, 0));
                builder.accept(tcp(t + 1, SERVER, 443, client, 40000, Packet.SYN | Packet.ACK, 0));
                builder.accept(tcp(t + 7, client, 40000, SERVER, 443, Packet.ACK | Packet.PSH, 517 + i % 5));
            }
            if (i == flows / 2) {
                builder.finish();
                midway.run();
            }
        }
        builder.finish();
    }

    @Test
    void writesTheSameBytesAsTheWriterItRunsOnAnotherThread() throws IOException {
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        try (FlowCsvWriter csv = new FlowCsvWriter(direct)) {
            build(csv, () -> { });
        }
        ByteArrayOutputStream background = new ByteArrayOutputStream();
        long rows;
        try (BackgroundFlowCsvWriter csv = new BackgroundFlowCsvWriter(background)) {
            build(csv, () -> {
                try {
                    csv.flush();
                    assertEquals(csv.accepted(), csv.rows(), "a flush writes every accepted flow");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            csv.flush();
            rows = csv.rows();
        }
        String text = direct.toString(StandardCharsets.US_ASCII);
        assertEquals(text.lines().count() - 1, rows);
        assertEquals(BackgroundFlowCsvWriter.ROWS * (BackgroundFlowCsvWriter.BATCHES + 2) + 17, rows);
        assertArrayEquals(direct.toByteArray(), background.toByteArray());
    }

    @Test
    void aWriteFailureIsThrownAtFlush() throws IOException {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        BackgroundFlowCsvWriter csv = new BackgroundFlowCsvWriter(full);
        build(csv, () -> { });
        IOException e = assertThrows(IOException.class, csv::flush);
        assertEquals("No space left on device", e.getMessage());
        assertThrows(IOException.class, csv::close);
    }
}
