package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages as a user drives them in headless Chromium. One test per sample layout: each
 * uploads its file through the form and checks what the results page shows against the API.
 * Setting {@code -Dscreenshots.dir=DIR} saves a screenshot of each page visited.
 */
class BrowserTest {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profile;
    static TestService service;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start(profile);
        service = new TestService(dataDir);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    private static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static void screenshot(String name) throws IOException {
        String dir = System.getProperty("screenshots.dir");
        if (dir != null) {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280,
                    ((Number) browser.executeScript("return document.body.scrollHeight")).intValue() + 40));
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }

    /** Uploads a file through the form and waits for its results page; returns the analysis id. */
    private static long uploadThroughForm(Path file, int timeoutSeconds) {
        browser.get(service.base() + "/");
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.id("upload-button")).click();
        waitUpTo(timeoutSeconds).until(ExpectedConditions.and(
                ExpectedConditions.urlMatches("/analyses/\\d+$"),
                ExpectedConditions.textToBe(By.id("status"), "done")));
        String url = browser.getCurrentUrl();
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    void connectionRecordsFromUploadToMetrics() throws Exception {
        long id = uploadThroughForm(TestService.SAMPLE, 120);
        screenshot("analysis");
        JsonNode api = TestService.json(service.get("/api/v1/analyses/" + id));
        for (String severity : List.of("Normal", "Low", "Medium", "High", "Critical")) {
            WebElement cell = browser.findElement(By.cssSelector("#severity-counts td[data-severity='" + severity + "']"));
            assertEquals(api.get("severityCounts").get(severity).asLong(), Long.parseLong(cell.getText().strip()), severity);
        }
        assertEquals("22,544", browser.findElement(By.id("stat-records")).getText());

        new Select(browser.findElement(By.id("filter-severity"))).selectByValue("Critical");
        browser.findElement(By.id("apply-filter")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("severity=Critical"));
        List<WebElement> rows = browser.findElements(By.cssSelector("details.rec"));
        assertEquals(25, rows.size());
        for (WebElement row : rows) {
            assertEquals("Critical", row.findElement(By.cssSelector(".rec-row .badge")).getText());
        }
        long critical = api.get("severityCounts").get("Critical").asLong();
        assertEquals(String.format("%,d matching records", critical), browser.findElement(By.id("record-total")).getText());
        WebElement first = rows.get(0);
        first.findElement(By.tagName("summary")).click();
        List<WebElement> features = first.findElements(By.cssSelector("dl.all-features dt"));
        assertEquals(41, features.size());
        List<WebElement> identity = first.findElements(By.cssSelector("dl.identity dt"));
        assertEquals(List.of("Protocol", "Service", "Flag", "Confidence"), identity.stream().map(WebElement::getText).toList());
        assertEquals("duration", features.get(0).getText());
        screenshot("critical");

        browser.findElement(By.id("metrics-link")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("metric-accuracy")));
        String accuracy = browser.findElement(By.id("metric-accuracy")).getText();
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", api.get("metrics").get("accuracy").asDouble()), accuracy);
        assertTrue(browser.findElement(By.id("per-label")).getText().contains("neptune"));
        screenshot("metrics");
    }

    @Test
    void flowRecordsShowTheirClassCountsAndMulticlassMetrics() throws Exception {
        long id = uploadThroughForm(TestService.FLOW_SAMPLE, 120);
        screenshot("flows");
        JsonNode api = TestService.json(service.get("/api/v1/analyses/" + id));
        assertEquals("mlp", api.get("detector").asText());
        JsonNode classCounts = api.get("classCounts");
        List<WebElement> cells = browser.findElements(By.cssSelector("#class-counts td[data-class]"));
        Map<String, Long> shown = new TreeMap<>();
        for (WebElement cell : cells) {
            shown.put(cell.getAttribute("data-class"), Long.parseLong(cell.getText().strip()));
        }
        Map<String, Long> expected = new TreeMap<>();
        classCounts.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
        assertEquals(expected, shown);
        assertEquals(String.format("%,d", api.get("records").asLong()), browser.findElement(By.id("stat-records")).getText());

        browser.findElement(By.cssSelector("#class-counts a[href*='class=DDoS']")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("class=DDoS"));
        assertEquals(String.format("%,d matching records", classCounts.get("DDoS").asLong()),
                browser.findElement(By.id("record-total")).getText());
        for (WebElement cls : browser.findElements(By.cssSelector("details.rec .rec-row .cls"))) {
            assertEquals("DDoS", cls.getText());
        }

        browser.findElement(By.id("metrics-link")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("metric-macroF1")));
        JsonNode m = api.get("metrics");
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", m.get("macroF1").asDouble()),
                browser.findElement(By.id("metric-macroF1")).getText());
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", m.get("attackDetectionAccuracy").asDouble()),
                browser.findElement(By.id("metric-attackDetectionAccuracy")).getText());
        String perClass = browser.findElement(By.id("per-class")).getText();
        classCounts.fieldNames().forEachRemaining(c -> assertTrue(perClass.contains(c), c));
        assertTrue(browser.findElement(By.cssSelector("#confusion svg")).isDisplayed());
        assertTrue(browser.findElement(By.cssSelector("#roc svg")).isDisplayed());
        screenshot("flow-metrics");
    }

    @Test
    void aPacketCaptureUploadShowsItsFlows(@TempDir Path tmp) throws Exception {
        Path pcap = CaptureApiTest.sevenFlows().writeTo(tmp.resolve("seven.pcap"));
        long id = uploadThroughForm(pcap, 120);
        screenshot("capture");
        JsonNode api = TestService.json(service.get("/api/v1/analyses/" + id));
        assertEquals("mlp", api.get("detector").asText());
        assertEquals("7", browser.findElement(By.id("stat-records")).getText());
        browser.get(service.base() + "/analyses/" + id + "?sort=file-order");
        List<WebElement> rows = browser.findElements(By.cssSelector("details.rec"));
        assertEquals(7, rows.size());
        // Each flow's identity from the capture itself: endpoints as address:port and the start, UTC.
        String[][] expected = {
            {"192.168.1.10:51000", "192.168.1.20:80"},
            {"192.168.1.10:40000", "192.168.1.1:53"},
            {"203.0.113.1:1001", "192.168.1.20:80"},
            {"203.0.113.2:1002", "192.168.1.20:80"},
            {"203.0.113.3:1003", "192.168.1.20:80"},
            {"203.0.113.4:1004", "192.168.1.20:80"},
            {"203.0.113.5:1005", "192.168.1.20:80"},
        };
        for (int i = 0; i < expected.length; i++) {
            WebElement row = rows.get(i);
            assertEquals(expected[i][0], row.findElement(By.cssSelector(".src")).getText(), "source of flow " + (i + 1));
            assertEquals(expected[i][1], row.findElement(By.cssSelector(".dst")).getText(), "destination of flow " + (i + 1));
            assertEquals("2023-11-14 22:13:20", row.findElement(By.cssSelector(".start")).getText(), "start of flow " + (i + 1));
        }
        WebElement first = rows.get(0);
        first.findElement(By.tagName("summary")).click();
        List<WebElement> names = first.findElements(By.cssSelector("dl.features:not(.identity) dt"));
        List<WebElement> values = first.findElements(By.cssSelector("dl.features:not(.identity) dd"));
        assertEquals(78, names.size());
        assertEquals("Destination Port", names.get(0).getText());
        assertEquals("80", values.get(0).getText());
        assertEquals("900", values.get(1).getText(), "Flow Duration of the web request, in microseconds");
        Map<String, String> identity = new java.util.LinkedHashMap<>();
        for (WebElement part : first.findElements(By.cssSelector("dl.features.identity div"))) {
            identity.put(part.findElement(By.tagName("dt")).getText(), part.findElement(By.tagName("dd")).getText());
        }
        assertEquals("192.168.1.10-192.168.1.20-51000-80-6", identity.get("Flow ID"));
        assertEquals("192.168.1.10:51000", identity.get("Source"));
        assertEquals("192.168.1.20:80", identity.get("Destination"));
        assertEquals("2023-11-14T22:13:20Z", identity.get("Start"), "the first packet's time, to the microsecond");
        assertEquals("2023-11-14T22:13:20.000900Z", identity.get("End"), "the last packet's time");
        screenshot("capture-record");
    }

    @Test
    void aLargeUploadShowsProgressThenItsResults(@TempDir Path tmp) throws Exception {
        Path large = tmp.resolve("large-connections.txt");
        byte[] sample = Files.readAllBytes(TestService.SAMPLE);
        try (OutputStream out = Files.newOutputStream(large)) {
            for (int i = 0; i < 8; i++) {
                out.write(sample);
            }
        }
        browser.get(service.base() + "/");
        browser.findElement(By.id("file")).sendKeys(large.toAbsolutePath().toString());
        browser.findElement(By.id("upload-button")).click();
        WebElement progress = browser.findElement(By.id("upload-progress"));
        waitUpTo(30).until(ExpectedConditions.visibilityOf(progress));
        assertTrue(browser.findElement(By.id("progress-bar")).isDisplayed());
        waitUpTo(240).until(ExpectedConditions.and(ExpectedConditions.urlMatches("/analyses/\\d+$"),
                ExpectedConditions.textToBe(By.id("status"), "done")));
        assertEquals(String.format("%,d", 8 * 22544), browser.findElement(By.id("stat-records")).getText());
    }

    @Test
    void pagesWithoutJavaScriptStillWork() throws Exception {
        browser.get(service.base() + "/");
        screenshot("home");
        browser.findElement(By.cssSelector("form[action='/samples'] button")).click();
        waitUpTo(120).until(ExpectedConditions.and(ExpectedConditions.urlMatches("/analyses/\\d+$"),
                ExpectedConditions.textToBe(By.id("status"), "done")));
        assertEquals("KDDTest+.txt", browser.findElement(By.cssSelector("h1 .filename")).getText());
        browser.get(service.base() + "/models");
        assertTrue(browser.findElement(By.id("model-kmeans")).getText().contains("NSL-KDD K-means ensemble"));
        screenshot("models");
        browser.get(service.base() + "/analyses");
        screenshot("history");
    }

    @Test
    void flowsFilteredByCidrAndTimeRangeThroughTheForm(@TempDir Path tmp) throws Exception {
        long id = uploadThroughForm(IdentityFlowFile.write(tmp), 120);
        browser.findElement(By.id("filter-src")).sendKeys("10.0.0.0/8");
        browser.findElement(By.id("filter-from")).sendKeys("2017-07-07 03:10");
        browser.findElement(By.id("filter-to")).sendKeys("2017-07-07T03:40:00Z");
        new Select(browser.findElement(By.id("filter-sort"))).selectByValue("file-order");
        browser.findElement(By.id("apply-filter")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("src=10.0.0.0%2F8"));
        List<String> lines = new java.util.ArrayList<>();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 10; i < 40; i++) {
            if (i % 3 == 0) {
                expected.add(String.valueOf(i + 2));
            }
        }
        for (WebElement row : browser.findElements(By.cssSelector("details.rec"))) {
            lines.add(row.findElement(By.cssSelector(".rec-row .line")).getText());
            assertTrue(row.findElement(By.cssSelector(".rec-row .src")).getText().startsWith("10.0.0."));
        }
        assertEquals(expected, lines);
        assertEquals(expected.size() + " matching records", browser.findElement(By.id("record-total")).getText());
        assertEquals("10.0.0.0/8", browser.findElement(By.id("filter-src")).getAttribute("value"));
        screenshot("filtered-records");

        // the link is the view: opened afresh it lists the same records
        String shared = browser.getCurrentUrl();
        browser.get(service.base() + "/");
        browser.get(shared);
        assertEquals(expected.size(), browser.findElements(By.cssSelector("details.rec")).size());

        // a destination narrows the view further, keeping the other filters
        browser.findElement(By.cssSelector("details.rec .rec-row a.dst")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("dst=192.168.10.5"));
        String dst = browser.findElements(By.cssSelector("details.rec .rec-row .dst")).get(0).getText();
        for (WebElement d : browser.findElements(By.cssSelector("details.rec .rec-row .dst"))) {
            assertEquals(dst.substring(0, dst.indexOf(':')), d.getText().substring(0, d.getText().indexOf(':')));
        }
        assertTrue(browser.getCurrentUrl().contains("src=10.0.0.0%2F8"), browser.getCurrentUrl());
        assertEquals(id, Long.parseLong(browser.getCurrentUrl().replaceAll(".*/analyses/(\\d+).*", "$1")));
    }

    @Test
    void aPortScanReadsAsOneIncidentWhoseHostOpensItsFlows() throws Exception {
        long id = uploadThroughForm(IncidentApiTest.PORT_SCAN, 120);
        browser.findElement(By.id("incidents-link")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("/analyses/" + id + "/incidents"));
        List<WebElement> incidents = browser.findElements(By.cssSelector("#incidents tr.incident"));
        assertEquals(4, incidents.size());
        WebElement scan = incidents.get(1);
        assertEquals("PortScan", scan.findElement(By.cssSelector(".cls-full")).getText());
        assertEquals("172.16.0.1", scan.findElement(By.cssSelector(".src")).getText());
        assertEquals("192.168.10.50", scan.findElement(By.cssSelector(".dst")).getText());
        assertEquals("145 ports (0\u201365129)", scan.findElement(By.cssSelector(".ports")).getText());
        assertEquals("146", scan.findElement(By.cssSelector(".flows")).getText());
        screenshot("incidents");

        scan.findElement(By.cssSelector("a.records-link")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("class=PortScan"));
        assertEquals("146 matching records", browser.findElement(By.id("record-total")).getText());
        assertLandedOnRecords();

        browser.findElement(By.id("hosts-link")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("/hosts"));
        browser.findElement(By.cssSelector("#sources td.address a")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("src=172.16.0.1"));
        assertEquals("150 matching records", browser.findElement(By.id("record-total")).getText());
        List<WebElement> rows = browser.findElements(By.cssSelector("details.rec"));
        assertEquals(25, rows.size());
        for (WebElement row : rows) {
            assertTrue(row.findElement(By.cssSelector(".rec-row .src")).getText().startsWith("172.16.0.1:"));
            assertTrue(row.findElement(By.cssSelector(".rec-row .dst")).getText().startsWith("192.168.10.50:"));
        }
        assertLandedOnRecords();
        screenshot("host-records");

        // CIDR on the destination, a port, then the minute the scan ran in and the minute after it
        assertEquals(150, applyFilters(Map.of("filter-src", "", "filter-dst", "192.168.10.48/29")));
        assertEquals(0, applyFilters(Map.of("filter-dst", "192.168.10.0/29")));
        assertEquals("No records match.", browser.findElement(By.cssSelector(".records .empty")).getText());
        assertEquals(6, applyFilters(Map.of("filter-dst", "192.168.0.0/16", "filter-port", "80")));
        assertEquals(150, applyFilters(Map.of("filter-port", "", "filter-from", "2017-07-07 02:51", "filter-to", "2017-07-07 02:52")));
        assertEquals(0, applyFilters(Map.of("filter-from", "2017-07-07 02:52", "filter-to", "")));
        assertEquals(150, applyFilters(Map.of("filter-from", "", "filter-to", "2017-07-07T02:51:00.000001Z")));
        assertTrue(browser.getCurrentUrl().contains("dst=192.168.0.0%2F16"), browser.getCurrentUrl());
    }

    /** Sets the records form's fields (an empty value clears one), applies it and returns the matching count. */
    private static int applyFilters(Map<String, String> fields) {
        String before = browser.getCurrentUrl();
        fields.forEach((field, value) -> {
            WebElement input = browser.findElement(By.id(field));
            input.clear();
            input.sendKeys(value);
        });
        browser.findElement(By.id("apply-filter")).click();
        waitUpTo(10).until(ExpectedConditions.not(ExpectedConditions.urlToBe(before)));
        assertLandedOnRecords();
        String total = browser.findElement(By.id("record-total")).getText();
        assertTrue(total.endsWith(" matching records"), total);
        int matching = Integer.parseInt(total.substring(0, total.indexOf(' ')).replace(",", ""));
        assertEquals(Math.min(matching, 25), browser.findElements(By.cssSelector("details.rec")).size());
        return matching;
    }

    /** The page opened at the records: their heading is at the top of the window, not below the fold. */
    private static void assertLandedOnRecords() {
        assertTrue(browser.getCurrentUrl().endsWith("#records"), browser.getCurrentUrl());
        // a short page cannot scroll its records to the very top: then it is scrolled to its end
        List<?> at = (List<?>) browser.executeScript("return [document.getElementById('records').getBoundingClientRect().top,"
                + " window.scrollY, window.innerHeight, document.documentElement.scrollHeight]");
        double top = ((Number) at.get(0)).doubleValue();
        double scrolled = ((Number) at.get(1)).doubleValue();
        boolean atEnd = scrolled + ((Number) at.get(2)).doubleValue() >= ((Number) at.get(3)).doubleValue() - 1;
        assertTrue(scrolled > 200 && (Math.abs(top) < 2 || atEnd && top >= 0), "records at " + at);
    }
}
