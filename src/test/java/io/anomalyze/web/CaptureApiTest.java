package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.capture.Packet;
import io.anomalyze.capture.flow.TestCapture;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packet captures uploaded to the API become flows scored by the flow model. */
class CaptureApiTest {

    static final long T = 1_700_000_000_000_000L;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;
    static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = new TestService(dataDir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** A web request, a DNS exchange and five SYNs from five spoofed sources: seven flows. */
    static TestCapture sevenFlows() {
        TestCapture c = new TestCapture()
                .tcp(T, "192.168.1.10", 51000, "192.168.1.20", 80, Packet.SYN, 0)
                .tcp(T + 200, "192.168.1.20", 80, "192.168.1.10", 51000, Packet.SYN | Packet.ACK, 0)
                .tcp(T + 400, "192.168.1.10", 51000, "192.168.1.20", 80, Packet.ACK | Packet.PSH, 320)
                .tcp(T + 900, "192.168.1.20", 80, "192.168.1.10", 51000, Packet.ACK | Packet.PSH, 1400)
                .udp(T + 1000, "192.168.1.10", 40000, "192.168.1.1", 53, 40)
                .udp(T + 1500, "192.168.1.1", 53, "192.168.1.10", 40000, 120);
        for (int i = 1; i <= 5; i++) {
            c.tcp(T + 2000 + i, "203.0.113." + i, 1000 + i, "192.168.1.20", 80, Packet.SYN, 0);
        }
        return c;
    }

    @Test
    void aPcapUploadIsScoredFlowByFlow() throws Exception {
        Path pcap = sevenFlows().writeTo(files.resolve("seven.pcap"));
        HttpResponse<String> r = service.uploadFile("/api/v1/analyses?wait=120", pcap);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestService.json(r);
        assertEquals("done", a.get("status").asText(), r.body());
        assertEquals("mlp", a.get("detector").asText());
        assertEquals(7, a.get("records").asLong());
        assertEquals(0, a.get("skipped").asLong());
        long classSum = 0;
        for (JsonNode c : a.get("classCounts")) {
            classSum += c.asLong();
        }
        assertEquals(7, classSum);
        JsonNode page = TestService.json(service.get("/api/v1/analyses/" + a.get("id").asLong() + "/records?sort=file-order&limit=10"));
        assertEquals(7, page.get("total").asLong());
        assertEquals(1, page.get("records").get(0).get("line").asLong());
        assertEquals(7, page.get("records").get(6).get("line").asLong());
    }

    @Test
    void aGzippedPcapngNamedCapUploadIsRecognisedByItsContent() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(sevenFlows().bytes());
        }
        Path file = Files.write(files.resolve("traffic.cap.gz"), gz.toByteArray());
        HttpResponse<String> r = service.uploadFile("/api/v1/analyses?wait=120", file);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestService.json(r);
        assertEquals("done", a.get("status").asText(), r.body());
        assertEquals(7, a.get("records").asLong());
    }

    @Test
    void aCaptureForcedOntoTheConnectionDetectorIsRefusedWithAReason() throws Exception {
        Path pcap = sevenFlows().writeTo(files.resolve("forced.pcap"));
        HttpResponse<String> r = service.uploadFile("/api/v1/analyses?wait=120", pcap, "detector", "kmeans");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("forced.pcap: holds a packet capture, which the kmeans detector cannot read; use mlp or auto"),
                r.body());
    }
}
