package io.anomalyze.detect.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anomalyze.read.InputLimits;
import io.anomalyze.read.connection.ConnectionBatch;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.connection.ConnectionRecordReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionEncodingTest {

    static ConnectionEncoding encoding() {
        int p = ConnectionLayout.NUMERIC_COUNT;
        boolean[] log = new boolean[p];
        log[1] = true; // src_bytes
        double[] mean = new double[p];
        double[] std = new double[p];
        Arrays.fill(std, 1.0);
        mean[0] = 1.0;
        std[0] = 2.0;
        return new ConnectionEncoding(List.of("icmp", "tcp", "udp"), List.of("ftp_data", "http"), List.of("S0", "SF"),
                log, mean, std, 10.0, 2.0);
    }

    static ConnectionBatch row(String line) throws Exception {
        ConnectionBatch batch = new ConnectionBatch(1);
        try (ConnectionRecordReader reader = new ConnectionRecordReader(
                new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), "t", InputLimits.DEFAULTS)) {
            reader.read(batch);
        }
        return batch;
    }

    @Test
    void standardisesLogScalesClipsAndOneHots() throws Exception {
        // duration 5 -> (5-1)/2 = 2; src_bytes e^3-1 -> log1p = 3; dst_bytes 50 -> clipped to 10.
        String line = "5,tcp,http,SF," + (Math.exp(3) - 1) + ",50" + ",0".repeat(35);
        ConnectionEncoding.Compiled compiled = encoding().compile();
        EncodedRows rows = new EncodedRows(1);
        int unseen = compiled.encode(row(line), 0, rows, 0);
        assertEquals(0, unseen);
        double[] dense = new double[compiled.dimension()];
        rows.toDense(0, compiled.hotValue(), dense, 0, dense.length);
        assertEquals(38 + 4 + 3 + 3, dense.length);
        assertEquals(2.0, dense[0], 1e-12);
        assertEquals(3.0, dense[1], 1e-12);
        assertEquals(10.0, dense[2], 1e-12);
        // protocol block [icmp, tcp, udp, other], service [ftp_data, http, other], flag [S0, SF, other]
        assertArrayEquals(new double[] {0, 2, 0, 0, 0, 2, 0, 0, 2, 0}, Arrays.copyOfRange(dense, 38, 48));
    }

    @Test
    void unseenSymbolsGoToOtherAndAreReported() throws Exception {
        String line = "0,udp,telnet,RSTR" + ",0".repeat(37);
        ConnectionEncoding.Compiled compiled = encoding().compile();
        EncodedRows rows = new EncodedRows(1);
        assertEquals(2 | 4, compiled.encode(row(line), 0, rows, 0));
        double[] dense = new double[compiled.dimension()];
        rows.toDense(0, compiled.hotValue(), dense, 0, dense.length);
        assertArrayEquals(new double[] {0, 0, 2, 0, 0, 0, 2, 0, 0, 2}, Arrays.copyOfRange(dense, 38, 48));
        assertEquals("service", compiled.featureOf(38 + 4 + 2));
    }
}
