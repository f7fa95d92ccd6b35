package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow identity through the service: stored, returned, exported, and the records filters of the API and page. */
class RecordFilterApiTest {

    @TempDir
    static Path dataDir;
    static TestService service;
    static long id;
    /** Every record in file order, as the API returns it unfiltered. */
    static List<JsonNode> all = new ArrayList<>();

    @BeforeAll
    static void upload() throws Exception {
        service = new TestService(dataDir);
        Path file = IdentityFlowFile.write(dataDir);
        JsonNode a = TestService.json(service.uploadFile("/api/v1/analyses", file));
        assertEquals("done", a.get("status").asText());
        id = a.get("id").asLong();
        service.json(service.get(path("sort=file-order&limit=1000"))).get("records").forEach(all::add);
        assertEquals(IdentityFlowFile.FLOWS, all.size());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static String path(String query) {
        return "/api/v1/analyses/" + id + "/records?" + query;
    }

    /** The lines the API lists for a query, paging through it 7 at a time. */
    private static List<Long> lines(String query) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int offset = 0; ; offset += 7) {
            JsonNode page = TestService.json(service.get(path(query + "&limit=7&offset=" + offset)));
            page.get("records").forEach(r -> out.add(r.get("line").asLong()));
            if (offset + 7 >= page.get("total").asLong()) {
                assertEquals(out.size(), page.get("total").asLong(), query);
                return out;
            }
        }
    }

    private static List<Long> expected(IntPredicate flow) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < IdentityFlowFile.FLOWS; i++) {
            if (flow.test(i)) {
                out.add(i + 2L);
            }
        }
        return out;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void everyVerdictCarriesTheIdentityOfItsFlow() throws Exception {
        JsonNode first = all.get(0).get("identity");
        assertEquals("{\"flowId\":\"10.0.0.1-192.168.10.50-40000-" + IdentityFlowFile.dstPort(0) + "-6\",\"src\":\"10.0.0.1\","
                + "\"srcPort\":40000,\"dst\":\"192.168.10.50\",\"dstPort\":" + IdentityFlowFile.dstPort(0) + ",\"protocol\":\"TCP\","
                + "\"protocolNumber\":6,\"start\":\"2017-07-07T03:00:00Z\"," + "\"end\":" + first.get("end").toString() + "}",
                first.toString());
        JsonNode third = all.get(2).get("identity");
        assertEquals("2001:db8::3", third.get("src").asText());
        assertEquals("2017-07-07T03:02:00Z", third.get("start").asText());
        String csv = service.get("/analyses/" + id + "/export.csv").body();
        String[] rows = csv.split("\n");
        assertTrue(rows[3].startsWith("4,2001:db8::3-192.168.10.50-40002-" + IdentityFlowFile.dstPort(2) + "-6,2001:db8::3,40002,"
                + "192.168.10.50," + IdentityFlowFile.dstPort(2) + ",TCP,2017-07-07T03:02:00Z,"), rows[3]);
        JsonNode export = TestService.json(service.get("/analyses/" + id + "/export.json"));
        assertEquals(third, export.get("verdicts").get(2).get("identity"));
    }

    @Test
    void addressesAndBlocksOnEitherSide() throws Exception {
        assertEquals(expected(i -> i % 3 == 0), lines("sort=file-order&src=" + q("10.0.0.0/8")));
        assertEquals(expected(i -> i % 3 == 0 && i % 7 + 1 == 4), lines("sort=file-order&src=10.0.0.4"));
        assertEquals(expected(i -> i % 2 == 1), lines("sort=file-order&dst=192.168.10.51"));
        assertEquals(expected(i -> i % 3 == 2), lines("sort=file-order&host=" + q("2001:db8::/32")));
        assertEquals(expected(i -> true), lines("sort=file-order&host=" + q("192.168.10.48/28")));
        assertEquals(expected(i -> false), lines("sort=file-order&dst=" + q("10.0.0.0/8")));
        assertEquals(expected(i -> i % 3 == 1 && i % 2 == 0), lines("sort=file-order&src=172.16.0.1&dst=192.168.10.50"));
    }

    @Test
    void portsAndTimeRangesCombineWithClassSeverityAndSort() throws Exception {
        assertEquals(expected(i -> i == 5), lines("sort=file-order&port=40005"));
        int dport = IdentityFlowFile.dstPort(7);
        List<Long> byPort = new ArrayList<>();
        for (int i = 0; i < IdentityFlowFile.FLOWS; i++) {
            if (IdentityFlowFile.dstPort(i) == dport || 40_000 + i == dport) {
                byPort.add(i + 2L);
            }
        }
        assertEquals(byPort, lines("sort=file-order&port=" + dport));
        assertEquals(expected(i -> i >= 10 && i < 20), lines("sort=file-order&from=" + q("2017-07-07 03:10") + "&to=" + q("2017-07-07T03:20:00Z")));
        assertEquals(expected(i -> i >= 10 && i < 20 && i % 3 == 1),
                lines("sort=file-order&src=172.16.0.1&from=" + q("7/7/2017 3:10") + "&to=" + q("2017-07-07T00:20:00-03:00")));
        assertEquals(expected(i -> i >= 55), lines("sort=file-order&from=" + q("2017-07-07T03:55:00Z")));
        // class, severity and sort: the verdicts of the unfiltered class and severity page whose source is in the block, in its order
        JsonNode sample = all.get(0);
        String cls = sample.get("class").asText();
        String severity = sample.get("severity").asText();
        String classAndSeverity = "sort=score-desc&class=" + q(cls) + "&severity=" + severity;
        List<Long> want = new ArrayList<>();
        TestService.json(service.get(path(classAndSeverity + "&limit=1000"))).get("records").forEach(r -> {
            if (r.get("identity").get("src").asText().startsWith("10.0.0.")) {
                want.add(r.get("line").asLong());
            }
        });
        assertTrue(want.contains(2L), "line 2 comes from 10.0.0.1 and has this class and severity");
        assertEquals(want, lines(classAndSeverity + "&host=" + q("10.0.0.0/8")));
    }

    @Test
    void badFiltersAre400NamingTheParameter() throws Exception {
        String[][] cases = {
                {"src=10.0.0.300", "src must be an IPv4 or IPv6 address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32, not \"10.0.0.300\""},
                {"dst=10.0.0.0/33", "dst must be an IPv4 or IPv6 address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32, not \"10.0.0.0/33\""},
                {"host=example.com", "host must be an IPv4 or IPv6 address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32, not \"example.com\""},
                {"port=70000", "port must be between 0 and 65535, not 70000"},
                {"port=http", "port must be a whole number, not \"http\""},
                {"from=yesterday", "from must be a time such as 2017-07-07T15:56:00Z or 2017-07-07 15:56 (UTC when no zone is given), not \"yesterday\""},
                {"from=2017-07-07T04:00:00Z&to=2017-07-07T03:00:00Z", "from must be before to, not 2017-07-07T04:00:00Z .. 2017-07-07T03:00:00Z"},
                {"limit=0", "limit must be between 1 and 1000, not 0"},
                {"limit=5000", "limit must be between 1 and 1000, not 5000"},
                {"offset=-1", "offset must be between 0 and 2147483647, not -1"},
                {"offset=x", "offset must be a whole number, not \"x\""}};
        for (String[] c : cases) {
            HttpResponse<String> r = service.get(path(c[0]));
            assertEquals(400, r.statusCode(), c[0]);
            assertEquals(c[1], TestService.json(r).get("error").asText(), c[0]);
        }
        assertEquals(400, service.get("/analyses/" + id + "?port=http").statusCode());
    }

    @Test
    void theRecordsPageKeepsItsFiltersInItsLinks() throws Exception {
        String page = service.get("/analyses/" + id + "?src=" + q("10.0.0.0/8") + "&limit=5&sort=file-order").body();
        assertTrue(page.contains("20 matching records"), "20 flows come from 10.0.0.0/8");
        assertEquals(5, page.split("<details class=\"rec\"", -1).length - 1);
        assertTrue(page.contains("value=\"10.0.0.0/8\""), "the form shows the filter");
        assertTrue(page.contains("href=\"/analyses/" + id + "?src=10.0.0.0%2F8&amp;sort=file-order&amp;limit=5&amp;offset=5#records\""),
                "the next page keeps the filter");
        assertTrue(page.contains(">10.0.0.1:40000</a>"), "source as address:port");
        String v6 = service.get("/analyses/" + id + "?host=" + q("2001:db8::/32") + "&sort=file-order").body();
        assertTrue(v6.contains(">[2001:db8::3]:40002</a>"), "an IPv6 source in brackets before its port");
        assertTrue(v6.contains("href=\"/analyses/" + id + "?src=2001%3Adb8%3A%3A3&amp;host=2001%3Adb8%3A%3A%2F32&amp;sort=file-order#records\""),
                "a source links to its own records, keeping the other filters");
        String openApi = service.get("/openapi.json").body();
        JsonNode params = TestService.json(service.get("/openapi.json")).get("paths").get("/api/v1/analyses/{id}/records").get("get").get("parameters");
        List<String> names = new ArrayList<>();
        params.forEach(p -> names.add(p.get("name").asText()));
        assertEquals(List.of("id", "severity", "class", "src", "dst", "host", "port", "from", "to", "sort", "limit", "offset"), names);
        assertTrue(openApi.contains("\"identity\""));
    }

    @Test
    void hostsAreTheAddressesOfTheAnomalousFlowsWithTheirDetails() throws Exception {
        // what the hosts endpoint must say, worked out from the verdicts the records API returns
        Map<String, List<JsonNode>> bySource = new TreeMap<>();
        Map<String, List<JsonNode>> byDestination = new TreeMap<>();
        for (JsonNode r : all) {
            if (r.get("anomalous").asBoolean()) {
                bySource.computeIfAbsent(r.get("identity").get("src").asText(), k -> new ArrayList<>()).add(r);
                byDestination.computeIfAbsent(r.get("identity").get("dst").asText(), k -> new ArrayList<>()).add(r);
            }
        }
        assertTrue(bySource.size() >= 3, "the file's attacks come from several sources: " + bySource.keySet());
        JsonNode hosts = TestService.json(service.get("/api/v1/analyses/" + id + "/hosts?limit=2"));
        assertEquals(bySource.values().stream().mapToInt(List::size).sum(), hosts.get("anomalousFlows").asLong());
        for (String side : List.of("sources", "destinations")) {
            Map<String, List<JsonNode>> expected = side.equals("sources") ? bySource : byDestination;
            List<String> order = new ArrayList<>(expected.keySet());
            order.sort(Comparator.<String>comparingInt(a -> -expected.get(a).size()).thenComparing(Comparator.naturalOrder()));
            JsonNode listed = hosts.get(side);
            assertEquals(Math.min(2, order.size()), listed.size(), side);
            for (int k = 0; k < listed.size(); k++) {
                JsonNode h = listed.get(k);
                String address = order.get(k);
                List<JsonNode> flows = expected.get(address);
                assertEquals(address, h.get("address").asText(), side);
                assertEquals(flows.size(), h.get("anomalous").asLong(), address);
                Map<String, Long> classes = new TreeMap<>();
                Set<String> peers = new TreeSet<>();
                Set<Integer> ports = new TreeSet<>();
                String first = null;
                String last = null;
                for (JsonNode f : flows) {
                    classes.merge(f.get("class").asText(), 1L, Long::sum);
                    peers.add(f.get("identity").get(side.equals("sources") ? "dst" : "src").asText());
                    ports.add(f.get("identity").get("dstPort").asInt());
                    String start = f.get("identity").get("start").asText();
                    String end = f.get("identity").get("end").asText();
                    first = first == null || java.time.Instant.parse(start).isBefore(java.time.Instant.parse(first)) ? start : first;
                    last = last == null || java.time.Instant.parse(end).isAfter(java.time.Instant.parse(last)) ? end : last;
                }
                Map<String, Long> shownClasses = new TreeMap<>();
                h.get("classes").fields().forEachRemaining(e -> shownClasses.put(e.getKey(), e.getValue().asLong()));
                assertEquals(classes, shownClasses, address);
                assertEquals(peers.size(), h.get("peers").asLong(), address);
                assertEquals(ports.size(), h.get("ports").asInt(), address);
                assertEquals(first, h.get("firstSeen").asText(), address);
                assertEquals(last, h.get("lastSeen").asText(), address);
                long severities = 0;
                for (JsonNode n : h.get("severityCounts")) {
                    severities += n.asLong();
                }
                assertEquals(flows.size(), severities, address);
                String param = side.equals("sources") ? "src" : "dst";
                assertEquals("/api/v1/analyses/" + id + "/records?" + param + "=" + q(address), h.get("links").get("api").asText());
                // the link lists exactly this host's flows
                JsonNode linked = TestService.json(service.get(h.get("links").get("api").asText() + "&limit=1000"));
                long anomalous = 0;
                for (JsonNode r : linked.get("records")) {
                    assertEquals(address, r.get("identity").get(param).asText());
                    anomalous += r.get("anomalous").asBoolean() ? 1 : 0;
                }
                assertEquals(flows.size(), anomalous, address);
            }
        }
        HttpResponse<String> hostsPage = service.get("/analyses/" + id + "/hosts");
        assertEquals(200, hostsPage.statusCode(), hostsPage.body());
        String page = hostsPage.body();
        assertTrue(page.contains("href=\"/analyses/" + id + "?src=" + q(hosts.get("sources").get(0).get("address").asText()) + "#records\""), "a host links to its records");
        assertEquals(400, service.get("/api/v1/analyses/" + id + "/hosts?limit=0").statusCode());
    }
}
