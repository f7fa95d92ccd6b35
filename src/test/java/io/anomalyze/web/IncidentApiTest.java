package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents and the timeline of a real port scan: 150 CICIDS2017 flows (TrafficLabelling
 * dialect) from 172.16.0.1 to 192.168.10.50 within one minute. The bundled model calls 146 of
 * them PortScan and four of them web attacks.
 */
class IncidentApiTest {

    static final Path PORT_SCAN = Path.of("src/test/resources/flow/portscan-trafficlabelling.csv");

    @TempDir
    static Path dataDir;
    private static TestService service;
    private static long id;

    @BeforeAll
    static void upload() throws Exception {
        service = new TestService(dataDir);
        HttpResponse<String> r = service.uploadFile("/api/v1/analyses", PORT_SCAN);
        assertEquals(201, r.statusCode(), r.body());
        id = TestService.json(r).path("id").asLong();
    }

    @AfterAll
    static void close() {
        service.close();
    }

    @Test
    void thePortScanIsOneIncidentWithItsPortsAndTimes() throws Exception {
        JsonNode body = TestService.json(service.get("/api/v1/analyses/" + id + "/incidents"));
        assertEquals(4, body.path("total").asInt(), body.toString());
        JsonNode incidents = body.path("incidents");
        // highest severity first: the one flow called Sql Injection is High, the port scan Medium
        assertEquals("Web Attack \u2013 Sql Injection", incidents.get(0).path("class").asText());
        JsonNode scan = incidents.get(1);
        assertEquals("PortScan", scan.path("class").asText());
        assertEquals("172.16.0.1", scan.path("source").asText());
        assertEquals("192.168.10.50", scan.path("destination").asText());
        assertEquals("Medium", scan.path("highestSeverity").asText());
        assertEquals(146, scan.path("flows").asInt());
        assertEquals(145, scan.path("distinctDestinationPorts").asInt());
        assertEquals(0, scan.path("lowestDestinationPort").asInt());
        assertEquals(65129, scan.path("highestDestinationPort").asInt());
        assertEquals("2017-07-07T02:51:00Z", scan.path("firstSeen").asText());
        assertEquals("2017-07-07T02:51:34.167189Z", scan.path("lastSeen").asText());
        assertTrue(scan.path("bytes").asLong() > 0);
        assertTrue(scan.path("records").asText().startsWith("/analyses/" + id + "?src=172.16.0.1&dst=192.168.10.50&class=PortScan"),
                scan.path("records").asText());
        assertEquals(java.util.List.of("Web Attack \u2013 Brute Force", "Web Attack \u2013 XSS"),
                java.util.List.of(incidents.get(2).path("class").asText(), incidents.get(3).path("class").asText()));
        assertEquals(2, incidents.get(2).path("flows").asInt());
    }

    @Test
    void incidentPagesAreValidated() throws Exception {
        JsonNode page = TestService.json(service.get("/api/v1/analyses/" + id + "/incidents?limit=1&offset=1"));
        assertEquals(1, page.path("incidents").size());
        assertEquals("PortScan", page.path("incidents").get(0).path("class").asText());
        HttpResponse<String> zero = service.get("/api/v1/analyses/" + id + "/incidents?limit=0");
        assertEquals(400, zero.statusCode());
        assertEquals("limit must be between 1 and 1000, not 0", TestService.json(zero).path("error").asText());
        HttpResponse<String> word = service.get("/api/v1/analyses/" + id + "/incidents?offset=many");
        assertEquals(400, word.statusCode());
        assertEquals(404, service.get("/api/v1/analyses/99999/incidents").statusCode());
    }

    @Test
    void theTimelineCountsEveryFlowBySecondAndSeverity() throws Exception {
        JsonNode t = TestService.json(service.get("/api/v1/analyses/" + id + "/timeline")).path("timeline");
        assertEquals(1_000_000L, t.path("bucketMicros").asLong());
        assertEquals(1_499_395_860_000_000L, t.path("startMicros").asLong(), "2017-07-07T02:51:00Z");
        assertEquals(150, t.path("records").asLong());
        long sum = 0;
        for (JsonNode bucket : t.path("counts")) {
            for (JsonNode n : bucket) {
                sum += n.asLong();
            }
        }
        assertEquals(150, sum);
    }

    @Test
    void thePagesShowTheIncidentAndTheTimeline() throws Exception {
        String incidents = service.get("/analyses/" + id + "/incidents").body();
        assertTrue(incidents.contains("145 ports (0\u201365129)"), incidents);
        assertTrue(incidents.contains("172.16.0.1"));
        String results = service.get("/analyses/" + id).body();
        assertTrue(results.contains("id=\"timeline\""));
        assertTrue(results.contains("4 incidents"));
    }
}
