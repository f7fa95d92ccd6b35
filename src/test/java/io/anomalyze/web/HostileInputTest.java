package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.analysis.AnalysisSettings;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.connection.ConnectionLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of broken or hostile upload, through the API and the browser form: each gets its
 * exact 4xx status and message, leaves nothing stored and no file behind, and the service keeps
 * answering. Generated inputs come from a seeded generator, so a failure can be replayed.
 */
class HostileInputTest {

    private static final String KDD_MSG_SUFFIX = "; expected connection records (41 to 43 fields with tcp, udp or icmp in column 2)"
            + " or flow records (a CSV header naming CICFlowMeter features such as \"Flow Duration\")";

    @TempDir
    static Path dataDir;
    static TestService service;
    static List<String> kdd;
    static List<String> flows;

    @BeforeAll
    static void start() throws Exception {
        service = new TestService(dataDir);
        kdd = Files.readAllLines(TestService.SAMPLE).subList(0, 400);
        flows = Files.readAllLines(TestService.FLOW_SAMPLE).subList(0, 101);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** After every refusal: nothing stored, no upload file left, and the service still answers. */
    @AfterEach
    void nothingLeftBehind() throws Exception {
        assertEquals(0, TestService.json(service.get("/api/v1/analyses")).get("total").asLong(), "nothing stored");
        try (var files = Files.list(dataDir.resolve("incoming"))) {
            assertEquals(0, files.count(), "no upload file left behind");
        }
        assertEquals(200, service.get("/health").statusCode());
    }

    private static void refused(HttpResponse<String> r, int status, String message) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
        assertEquals(message, TestService.json(r).get("error").asText());
    }

    private static HttpResponse<String> upload(String name, String text) throws Exception {
        return service.uploadText("/api/v1/analyses?wait=120", name, text);
    }

    private static HttpResponse<String> upload(String name, byte[] bytes) throws Exception {
        return service.upload("/api/v1/analyses?wait=120", name, () -> new ByteArrayInputStream(bytes));
    }

    private static String lines(List<String> rows) {
        return String.join("\n", rows) + "\n";
    }

    /** The KDD sample's first {@code n} rows with row {@code index} (0-based) replaced. */
    private static String kddWith(int n, int index, String replacement) {
        List<String> rows = new ArrayList<>(kdd.subList(0, n));
        rows.set(index, replacement);
        return lines(rows);
    }

    private static String withField(String row, int column, String value) {
        String[] f = row.split(",", -1);
        f[column] = value;
        return String.join(",", f);
    }

    private static String badRows(String file, long bad, long seen, String first) {
        return file + ": " + bad + " of " + seen + " rows are invalid, over the limit of 1%; first problem: " + first;
    }

    private static void deleteAll() throws Exception {
        for (JsonNode a : TestService.json(service.get("/api/v1/analyses?limit=200")).get("analyses")) {
            assertEquals(204, service.delete("/api/v1/analyses/" + a.get("id").asLong()).statusCode());
        }
    }

    @Test
    void emptyFilesAndHeadersWithoutRows() throws Exception {
        refused(upload("empty.txt", ""), 400, "empty.txt: the file is empty");
        refused(upload("blank.txt", "\n\r\n   \n"), 400, "blank.txt: the file is empty");
        refused(upload("header.csv", flows.get(0) + "\n"), 400, "header.csv: it holds no records");
        refused(upload("empty.gz", gzip(new byte[0])), 400, "empty.gz: the file is empty");
    }

    @Test
    void binaryAndWrongDelimiters() throws Exception {
        byte[] noise = new byte[8192];
        new Random(7).nextBytes(noise);
        noise[0] = 'x';
        noise[100] = 0;
        refused(upload("noise.bin", noise), 400, "noise.bin: this is binary data, not a text file of traffic records");
        refused(upload("semicolons.txt", lines(kdd.subList(0, 20)).replace(',', ';')), 400,
                "semicolons.txt: cannot tell what this file holds (line 1 has 1 comma-separated field)" + KDD_MSG_SUFFIX);
        refused(upload("tabs.csv", lines(flows.subList(0, 20)).replace(',', '\t')), 400,
                "tabs.csv: cannot tell what this file holds (line 1 has 1 comma-separated field)" + KDD_MSG_SUFFIX);
    }

    @Test
    void rowsWithTooFewOrTooManyFields() throws Exception {
        String row = kdd.get(9);
        String few = String.join(",", Arrays.copyOf(row.split(","), 40));
        refused(upload("few.txt", kddWith(50, 9, few)), 400, badRows("few.txt", 1, 50,
                "line 10: expected 41 to 43 comma-separated fields (41 features, label, difficulty), found 40"));
        refused(upload("many.txt", kddWith(50, 9, row + ",1")), 400, badRows("many.txt", 1, 50,
                "line 10: expected 41 to 43 comma-separated fields (41 features, label, difficulty), found 44"));
        String flowRow = flows.get(5);
        List<String> flowRows = new ArrayList<>(flows.subList(0, 51));
        flowRows.set(5, flowRow.substring(0, flowRow.lastIndexOf(',')));
        refused(upload("short-flow.csv", lines(flowRows)), 400, badRows("short-flow.csv", 1, 50,
                "line 6: expected 79 comma-separated fields as in the header, found 78"));
    }

    @Test
    void textNanInfinityNegativeAndHugeNumbers() throws Exception {
        String row = kdd.get(4);
        refused(upload("text.txt", kddWith(50, 4, withField(row, 4, "lots"))), 400,
                badRows("text.txt", 1, 50, "line 5, column 5: not a number for src_bytes: \"lots\""));
        refused(upload("nan.txt", kddWith(50, 4, withField(row, 0, "NaN"))), 400,
                badRows("nan.txt", 1, 50, "line 5, column 1: not a finite number for duration: \"NaN\""));
        refused(upload("inf.txt", kddWith(50, 4, withField(row, 5, "Infinity"))), 400,
                badRows("inf.txt", 1, 50, "line 5, column 6: not a finite number for dst_bytes: \"Infinity\""));
        refused(upload("neg.txt", kddWith(50, 4, withField(row, 0, "-5"))), 400,
                badRows("neg.txt", 1, 50, "line 5, column 1: negative value for duration: -5"));
        refused(upload("overflow.txt", kddWith(50, 4, withField(row, 4, "1e400"))), 400,
                badRows("overflow.txt", 1, 50, "line 5, column 5: not a finite number for src_bytes: \"1e400\""));
    }

    @Test
    void hugeButFiniteNumbersAndNonFiniteFlowRatesAreScored() throws Exception {
        String huge = withField(withField(kdd.get(4), 4, "1.7976931348623157E308"), 0, "99999999999999999999999999999");
        HttpResponse<String> r = upload("huge.txt", kddWith(50, 4, huge));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestService.json(r);
        assertEquals("done", a.get("status").asText());
        assertEquals(50, a.get("records").asLong());
        JsonNode rec = TestService.json(service.get("/api/v1/analyses/" + a.get("id").asLong() + "/records?sort=file-order&limit=50"))
                .get("records").get(4);
        assertTrue(Double.isFinite(rec.get("score").asDouble()), rec.toString());
        assertTrue(rec.get("anomalous").asBoolean(), "a record with 10^308 bytes is anomalous");

        List<String> flowRows = new ArrayList<>(flows.subList(0, 51));
        String[] f = flowRows.get(3).split(",", -1);
        f[14] = "Infinity";
        f[15] = "NaN";
        flowRows.set(3, String.join(",", f));
        HttpResponse<String> fr = upload("rates.csv", lines(flowRows));
        assertEquals(201, fr.statusCode(), fr.body());
        assertEquals(50, TestService.json(fr).get("records").asLong());
        deleteAll();

        // A flow value beyond the float range the model takes is a bad cell, not a score of NaN.
        f[1] = "1e300";
        flowRows.set(3, String.join(",", f));
        refused(upload("range.csv", lines(flowRows)), 400, "range.csv: 1 of 50 rows are invalid, over the limit of 1%;"
                + " first problem: line 4, column 2: Flow Duration is 1.0E300, beyond the float range the model takes (±3.4e38)");
    }

    @Test
    void flowFileLackingRequiredColumns() throws Exception {
        List<String> lacking = new ArrayList<>(io.anomalyze.read.flow.FlowFeatures.NAMES);
        lacking.removeAll(List.of("Destination Port", "Flow Duration", "Fwd Header Length.1"));
        assertEquals(75, lacking.size());
        refused(upload("flows.csv", "Destination Port,Flow Duration,Label\n80,10,BENIGN\n"), 400,
                "flows.csv: line 1: the header lacks 75 of the 78 flow features: " + String.join(", ", lacking)
                        + " (a flow file needs a header line naming its columns, in any CICFlowMeter dialect)");
    }

    @Test
    void truncatedAndCorruptGzip() throws Exception {
        byte[] whole = gzip(lines(kdd).getBytes(StandardCharsets.UTF_8));
        refused(upload("cut.txt.gz", Arrays.copyOf(whole, whole.length / 2)), 400,
                "cut.txt.gz: the gzip stream is truncated (it ends before its last block)");
        refused(upload("head.gz", Arrays.copyOf(whole, 6)), 400, "head.gz: the gzip header is corrupt");
        byte[] flipped = whole.clone();
        for (int i = 40; i < 60; i++) {
            flipped[i] ^= (byte) 0x5a;
        }
        HttpResponse<String> r = upload("flipped.gz", flipped);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(TestService.json(r).get("error").asText().startsWith("flipped.gz: the gzip stream is corrupt ("), r.body());
    }

    @Test
    void aFiftyMegabyteLineWithoutNewline() throws Exception {
        long size = 50L << 20;
        refused(service.upload("/api/v1/analyses", "line.txt", () -> repeat("x", size)), 413,
                "line.txt: line 1 is longer than the limit of 1048576 bytes");
        String start = kdd.get(0) + ",";
        refused(service.upload("/api/v1/analyses", "record.txt", () -> new java.io.SequenceInputStream(
                        new ByteArrayInputStream(start.getBytes(StandardCharsets.US_ASCII)), repeat("7", size))), 413,
                "record.txt: line 1 is longer than the limit of 1048576 bytes");
        // After a good first line.
        refused(service.upload("/api/v1/analyses", "later.txt", () -> new java.io.SequenceInputStream(
                        new ByteArrayInputStream(lines(kdd.subList(0, 10)).getBytes(StandardCharsets.US_ASCII)), repeat("7", size))), 413,
                "later.txt: line 11 is longer than the limit of 1048576 bytes");
    }

    @Test
    void aMixOfLayoutsInOneFile() throws Exception {
        List<String> mixed = new ArrayList<>(kdd.subList(0, 100));
        mixed.addAll(flows.subList(0, 11));
        refused(upload("mix.txt", lines(mixed)), 400, badRows("mix.txt", 11, 111,
                "line 101: expected 41 to 43 comma-separated fields (41 features, label, difficulty), found 79"));
        List<String> flowsThenKdd = new ArrayList<>(flows.subList(0, 101));
        flowsThenKdd.addAll(kdd.subList(0, 5));
        refused(upload("mix.csv", lines(flowsThenKdd)), 400, badRows("mix.csv", 5, 105,
                "line 102: expected 79 comma-separated fields as in the header, found 43"));
    }

    @Test
    void byteOrderMarkAndCrlfAreAccepted() throws Exception {
        String plain = lines(kdd.subList(0, 200));
        HttpResponse<String> a = upload("plain.txt", plain);
        byte[] bom = ("\uFEFF" + plain.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> b = upload("bom-crlf.txt", bom);
        assertEquals(201, a.statusCode(), a.body());
        assertEquals(201, b.statusCode(), b.body());
        JsonNode ja = TestService.json(a);
        JsonNode jb = TestService.json(b);
        assertEquals(200, jb.get("records").asLong());
        assertEquals(0, jb.get("skipped").asLong());
        assertEquals(ja.get("severityCounts"), jb.get("severityCounts"));
        assertEquals(ja.get("metrics"), jb.get("metrics"));
        String flowText = "\uFEFF" + lines(flows.subList(0, 51)).replace("\n", "\r\n");
        HttpResponse<String> f = service.upload("/api/v1/analyses?wait=120", "bom.csv",
                () -> new ByteArrayInputStream(gzip(flowText.getBytes(StandardCharsets.UTF_8))));
        assertEquals(201, f.statusCode(), f.body());
        assertEquals(50, TestService.json(f).get("records").asLong());
        assertEquals("mlp", TestService.json(f).get("detector").asText());
        deleteAll();
    }

    @Test
    void aGzipBombIsRefusedEarlyWithoutFillingDiskOrMemory() throws Exception {
        // 1 GiB of one repeated record compresses to about 1 MB: far over the ratio limit of 200.
        byte[] row = (kdd.get(0) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb, 1 << 16)) {
            byte[] block = new byte[row.length * 8192];
            for (int i = 0; i < 8192; i++) {
                System.arraycopy(row, 0, block, i * row.length, row.length);
            }
            for (long written = 0; written < (1L << 30); written += block.length) {
                gz.write(block);
            }
        }
        assertTrue(bomb.size() < 8 << 20, "the bomb is small: " + bomb.size());
        long usedBefore = Files.getFileStore(dataDir).getUsableSpace();
        refused(upload("bomb.txt.gz", bomb.toByteArray()), 413,
                "bomb.txt.gz: expands more than 200 times when decompressed, over the compression-ratio limit (a gzip bomb?)");
        long dataBytes;
        try (var files = Files.walk(dataDir)) {
            dataBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(dataBytes < 64L << 20, "nothing decompressed was written: the data directory holds " + dataBytes + " bytes");
        assertTrue(usedBefore - Files.getFileStore(dataDir).getUsableSpace() < 256L << 20);

        byte[] zeros = gzipZeros(256L << 20);
        refused(upload("zeros.gz", zeros), 413,
                "zeros.gz: expands more than 200 times when decompressed, over the compression-ratio limit (a gzip bomb?)");
    }

    @Test
    void sizeRecordAndDecompressionLimitsAre413NamingTheLimit(@TempDir Path otherData) throws Exception {
        InputLimits tight = new InputLimits(1 << 20, 0.01, 5000, 512L << 10, 200);
        try (TestService small = new TestService(new ServiceConfig("127.0.0.1", 0, otherData, null, Path.of("uploads"), 2L << 20,
                new AnalysisSettings(1, 2, tight)))) {
            HttpResponse<String> records = small.uploadText("/api/v1/analyses?wait=120", "many.txt", lines(kdd.subList(0, 200)).repeat(30));
            refused(records, 413, "many.txt: holds more than the limit of 5000 records");
            byte[] big = gzip(Files.readAllBytes(TestService.SAMPLE));
            refused(small.upload("/api/v1/analyses?wait=120", "big.txt.gz", () -> new ByteArrayInputStream(big)), 413,
                    "big.txt.gz: decompresses to more than the limit of 524288 bytes");
            refused(small.uploadFile("/api/v1/analyses", TestService.SAMPLE), 413,
                    "the upload is larger than the limit of 2 MB (--max-upload-mb / ANOMALYZE_MAX_UPLOAD_MB)");
            assertEquals(0, TestService.json(small.get("/api/v1/analyses")).get("total").asLong());
            try (var files = Files.list(otherData.resolve("incoming"))) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void brokenMultipartAndMissingFile() throws Exception {
        HttpResponse<String> notMultipart = service.postJson("/api/v1/analyses", "{}");
        refused(notMultipart, 400, "expected a multipart/form-data upload with a field \"file\"");
        HttpResponse<String> garbage = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/analyses"))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n0,tcp"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, garbage.statusCode(), garbage.body());
        assertTrue(TestService.json(garbage).get("error").asText().startsWith("the upload is not valid multipart/form-data ("), garbage.body());
        HttpResponse<String> noFile = service.uploadText("/api/v1/analyses", "", "", "detector", "auto");
        refused(noFile, 400, "no file was uploaded: choose a file (field \"file\")");
        HttpResponse<String> badDetector = service.uploadText("/api/v1/analyses", "a.txt", lines(kdd.subList(0, 5)), "detector", "svm");
        assertEquals(400, badDetector.statusCode(), badDetector.body());
    }

    @Test
    void theBrowserFormGetsAnErrorPage() throws Exception {
        String boundary = "----form";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + service.csrf(null) + "\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"detector\"\r\n\r\nauto\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"<img src=x onerror=alert(1)>.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + lines(kdd.subList(0, 20)).replace(',', ';') + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = service.http.send(HttpRequest.newBuilder(URI.create(service.base() + "/analyses"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(r.body().contains("id=\"error-message\""), r.body());
        assertTrue(r.body().contains("x onerror=alert(1)&gt;.txt: cannot tell what this file holds (line 1 has 1 comma-separated field)"),
                r.body());
        assertFalse(r.body().contains("<img src=x"), "the client's file name is escaped");
        assertFalse(r.body().contains("Exception") || r.body().contains("at io.anomalyze"), "no stack trace");
        HttpResponse<String> empty = service.uploadText("/analyses", "empty.txt", "", "csrf", service.csrf(null));
        assertEquals(400, empty.statusCode());
        assertTrue(empty.body().contains("empty.txt: the file is empty"), empty.body());
        assertTrue(empty.body().contains("<html"), "a page, not JSON");
    }

    /**
     * Seeded mutations of valid rows. A file of 99 rows with one or two broken ones is over the 1 %
     * bad-row limit and is refused naming the first broken row's line, column and reason; a file
     * of 400 rows with up to four broken ones is analysed, and each skipped row is reported.
     */
    @Test
    void generatedMutationsAreRefusedOrSkippedNamingEachBrokenRow() throws Exception {
        Random random = new Random(20250101);
        String[] words = {"abc", "1,5", "0x1F", "--", "1e", "∞", "null", "true", "\"7\"x", "１２"};
        for (int round = 0; round < 30; round++) {
            boolean refuse = round % 2 == 0;
            int size = refuse ? 99 : 400;
            int broken = refuse ? 1 + random.nextInt(2) : 1 + random.nextInt(4);
            List<String> rows = new ArrayList<>(kdd.subList(0, size));
            java.util.TreeMap<Integer, String> problems = new java.util.TreeMap<>();
            for (int k = 0; k < broken; k++) {
                int index = 3 + random.nextInt(size - 3);
                while (problems.containsKey(index)) {
                    index = 3 + random.nextInt(size - 3);
                }
                String[] f = kdd.get(index).split(",", -1);
                String problem;
                switch (random.nextInt(5)) {
                    case 0 -> {
                        int c = ConnectionLayout.NUMERIC_COLUMNS[random.nextInt(ConnectionLayout.NUMERIC_COLUMNS.length)];
                        String w = words[random.nextInt(words.length)];
                        f[c] = w;
                        problem = w.contains(",")
                                ? ": expected 41 to 43 comma-separated fields (41 features, label, difficulty), found 44"
                                : ", column " + (c + 1) + ": not a number for " + ConnectionLayout.FEATURES.get(c) + ": \"" + w + "\"";
                    }
                    case 1 -> {
                        int c = ConnectionLayout.NUMERIC_COLUMNS[random.nextInt(ConnectionLayout.NUMERIC_COLUMNS.length)];
                        int v = 1 + random.nextInt(1000);
                        f[c] = "-" + v;
                        problem = ", column " + (c + 1) + ": negative value for " + ConnectionLayout.FEATURES.get(c) + ": -" + v;
                    }
                    case 2 -> {
                        int keep = 1 + random.nextInt(40);
                        f = Arrays.copyOf(f, keep);
                        problem = ": expected 41 to 43 comma-separated fields (41 features, label, difficulty), found " + keep;
                    }
                    case 3 -> {
                        int extra = 1 + random.nextInt(5);
                        String[] g = Arrays.copyOf(f, f.length + extra);
                        Arrays.fill(g, f.length, g.length, "0");
                        f = g;
                        problem = ": expected 41 to 43 comma-separated fields (41 features, label, difficulty), found " + g.length;
                    }
                    default -> {
                        f[1] = "p" + random.nextInt(100);
                        problem = ", column 2: unknown protocol \"" + f[1] + "\" (expected tcp, udp or icmp)";
                    }
                }
                rows.set(index, String.join(",", f));
                problems.put(index, "line " + (index + 1) + problem);
            }
            String name = "generated-" + round + ".txt";
            HttpResponse<String> r = upload(name, lines(rows));
            if (refuse) {
                refused(r, 400, badRows(name, broken, size, problems.firstEntry().getValue()));
            } else {
                assertEquals(201, r.statusCode(), r.body());
                JsonNode a = TestService.json(r);
                assertEquals(size - broken, a.get("records").asLong(), name);
                assertEquals(broken, a.get("skipped").asLong(), name);
                List<String> skipped = new ArrayList<>();
                a.get("notes").forEach(n -> {
                    if (n.asText().startsWith("skipped ")) {
                        skipped.add(n.asText().substring("skipped ".length()));
                    }
                });
                assertEquals(new ArrayList<>(problems.values()), skipped, name);
                assertEquals(204, service.delete("/api/v1/analyses/" + a.get("id").asLong()).statusCode());
            }
        }
    }

    private static InputStream repeat(String one, long bytes) {
        byte[] chunk = one.repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long left = bytes;

            @Override
            public int read() {
                return left-- > 0 ? one.charAt(0) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, chunk.length), left);
                System.arraycopy(chunk, 0, b, off, n);
                left -= n;
                return n;
            }
        };
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] gzipZeros(long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            for (long w = 0; w < bytes; w += zeros.length) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }
}
