package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NDJSON alert export: one ECS document per anomalous flow and per incident, every field of the type ECS gives it. */
class EcsExportTest {

    @TempDir
    Path dataDir;

    @Test
    void everyAnomalyAndIncidentIsOneEcsDocument() throws Exception {
        try (TestService service = new TestService(dataDir)) {
            HttpResponse<String> up = service.uploadFile("/api/v1/analyses", IncidentApiTest.PORT_SCAN);
            long id = TestService.json(up).path("id").asLong();
            HttpResponse<String> r = service.get("/analyses/" + id + "/export.ndjson");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
            List<JsonNode> docs = new ArrayList<>();
            for (String line : r.body().split("\n")) {
                if (!line.isBlank()) {
                    docs.add(Json.MAPPER.readTree(line));
                }
            }
            // all 150 flows are anomalous (146 PortScan, 4 web attacks), then 4 incidents
            assertEquals(154, docs.size());
            for (JsonNode d : docs) {
                Instant.parse(d.path("@timestamp").asText()); // a date
                assertEquals("alert", d.path("event").path("kind").asText());
                assertEquals("network", d.path("event").path("category").get(0).asText());
                assertTrue(d.path("event").path("severity").isIntegralNumber(), "event.severity is a long");
                Instant.parse(d.path("event").path("start").asText());
                if (d.path("event").has("end")) {
                    Instant.parse(d.path("event").path("end").asText());
                }
                assertEquals("172.16.0.1", d.path("source").path("ip").asText());
                assertEquals("192.168.10.50", d.path("destination").path("ip").asText());
                assertTrue(d.path("rule").path("name").isTextual());
                assertEquals("Anomalyze", d.path("observer").path("product").asText());
                assertTrue(d.path("network").path("bytes").isIntegralNumber(), "network.bytes is a long");
                assertTrue(d.path("network").path("packets").isIntegralNumber(), "network.packets is a long");
                assertEquals(id, d.path("anomalyze").path("input").path("analysis_id").asLong());
            }
            // the file's first flow is to port 0 over protocol 0 (a fragment-like record); take the first TCP one
            JsonNode flow = docs.stream().filter(d -> d.path("network").path("iana_number").asText().equals("6")).findFirst().orElseThrow();
            assertTrue(flow.path("event").path("risk_score").isFloatingPointNumber(), "event.risk_score is a float");
            assertTrue(flow.path("source").path("port").isIntegralNumber());
            assertTrue(flow.path("destination").path("port").isIntegralNumber());
            assertEquals("tcp", flow.path("network").path("transport").asText());
            assertTrue(flow.path("anomalyze").path("score").isNumber());
            assertTrue(flow.path("anomalyze").path("confidence").isNumber());
            assertEquals(3, flow.path("anomalyze").path("top_features").size());
            assertTrue(flow.path("anomalyze").path("input").path("line").asLong() >= 2);
            assertEquals(64, flow.path("anomalyze").path("model").path("sha256").asText().length());
            JsonNode scan = docs.stream().filter(d -> d.path("anomalyze").has("incident")
                    && d.path("rule").path("name").asText().equals("PortScan")).findFirst().orElseThrow();
            assertEquals(146, scan.path("anomalyze").path("incident").path("flows").asLong());
            assertEquals(145, scan.path("anomalyze").path("incident").path("distinct_destination_ports").asLong());
            assertEquals(2, scan.path("event").path("severity").asLong(), "Medium");
        }
    }
}
