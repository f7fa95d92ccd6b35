package io.anomalyze.read.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.InputLimits;
import io.anomalyze.read.TrafficInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class FlowRecordReaderTest {

    private static final int F = FlowFeatures.COUNT;
    private static final InputLimits LOOSE = InputLimits.DEFAULTS.withMaxBadRowFraction(0.5);

    /** Every record of a file, read in batches of {@code batch}. */
    private record Read(float[] features, List<String> labels, List<Long> lines, long skipped, long nonFinite,
                        List<String> badRows) {
        float at(int row, int feature) {
            return features[row * F + feature];
        }
    }

    private static Read read(InputStream in, String name, int batchSize, InputLimits limits) throws IOException {
        List<Float> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (FlowRecordReader reader = new FlowRecordReader(in, name, limits)) {
            FlowBatch batch = new FlowBatch(batchSize);
            while (reader.read(batch)) {
                assertTrue(batch.size() <= batchSize);
                for (int r = 0; r < batch.size(); r++) {
                    for (int f = 0; f < F; f++) {
                        values.add(batch.feature(r, f));
                    }
                    labels.add(batch.label[r]);
                    lines.add(batch.line[r]);
                }
            }
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return new Read(out, labels, lines, reader.badRows().count(), reader.nonFiniteCells(),
                    reader.badRows().examples().stream().map(io.anomalyze.read.BadRow::describe).toList());
        }
    }

    private static Read resource(String name) throws IOException {
        return read(FlowRecordReaderTest.class.getResourceAsStream("/flow/" + name), name, 2, InputLimits.DEFAULTS);
    }

    private static Read text(String csv) throws IOException {
        return read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv", 100, LOOSE);
    }

    @Test
    void originalMachineLearningCveWithCrlfDuplicateHeaderLengthAndInfinity() throws IOException {
        Read r = resource("machinelearningcve.csv");
        assertEquals(List.of("BENIGN", "BENIGN", "BENIGN", "Web Attack \u2013 XSS", "DDoS", "BENIGN"), r.labels());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), r.lines());
        assertEquals(54865f, r.at(0, 0));
        assertEquals(3f, r.at(0, 1));
        assertEquals(4000000f, r.at(0, 14));
        assertEquals(666666.6667f, r.at(0, 15));
        assertEquals(40f, r.at(0, FlowFeatures.FWD_HEADER_LENGTH));
        assertEquals(40f, r.at(0, FlowFeatures.FWD_HEADER_LENGTH_COPY));
        assertEquals(33f, r.at(0, 66));
        assertEquals(79780371f, r.at(4, 1));
        assertEquals(172f, r.at(4, FlowFeatures.FWD_HEADER_LENGTH_COPY));
        assertEquals(0, r.skipped());
    }

    @Test
    void infinityAndNanAreReadAsZeroAndCounted() throws IOException {
        Read r = resource("machinelearningcve.csv");
        // line 4: Infinity, Infinity; line 7: NaN, Infinity
        assertEquals(0f, r.at(2, 14));
        assertEquals(0f, r.at(2, 15));
        assertEquals(0f, r.at(5, 14));
        assertEquals(0f, r.at(5, 15));
        assertEquals(36812f, r.at(5, 0));
        assertEquals(4, r.nonFinite());
    }

    @Test
    void emptyCellsFollowTheSamePolicy() throws IOException {
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (int f = 0; f < F; f++) {
            header.append(f == 0 ? "" : ",").append(FlowFeatures.name(f));
            row.append(f == 0 ? "" : ",").append(f == 14 ? "" : f == 15 ? "-Infinity" : String.valueOf(f + 1));
        }
        Read r = text(header + ",Label\n" + row + ",BENIGN\n");
        assertEquals(1, r.labels().size());
        assertEquals(0f, r.at(0, 14));
        assertEquals(0f, r.at(0, 15));
        assertEquals(17f, r.at(0, 16));
        assertEquals(2, r.nonFinite());
    }

    @Test
    void trafficLabellingWithFwdHeaderLength1AndWindowsDash() throws IOException {
        Read r = resource("trafficlabelling.csv");
        assertEquals(List.of("Web Attack \u2013 Sql Injection", "Web Attack \u2013 Sql Injection", "Web Attack \u2013 XSS"), r.labels());
        assertEquals(80f, r.at(0, 0));
        assertEquals(5006127f, r.at(0, 1));
        assertEquals(136f, r.at(0, FlowFeatures.FWD_HEADER_LENGTH));
        assertEquals(136f, r.at(0, FlowFeatures.FWD_HEADER_LENGTH_COPY));
        assertEquals(508f, r.at(1, 1));
        assertEquals(5638432f, r.at(2, 1));
    }

    @Test
    void improvedNamesWithExtraColumnsAndRenamedLabels() throws IOException {
        Read r = resource("improved.csv");
        assertEquals(List.of("PortScan", "Bot", "DoS slowloris", "Web Attack \u2013 Sql Injection", "BENIGN"), r.labels());
        assertEquals(8651f, r.at(0, 0));
        assertEquals(36f, r.at(0, 1));
        assertEquals(24f, r.at(0, FlowFeatures.FWD_HEADER_LENGTH));
        assertEquals(24f, r.at(0, FlowFeatures.FWD_HEADER_LENGTH_COPY), "copied from Fwd Header Length");
        assertEquals(20f, r.at(0, 35));
        assertEquals(24f, r.at(0, 69), "Fwd Seg Size Min");
        assertEquals(66021092f, r.at(4, 1));
        assertEquals(23299f, r.at(4, 70), "Active Mean");
    }

    @Test
    void cseCicIds2018ShortNames() throws IOException {
        Read r = resource("cse-cic-ids2018.csv");
        assertEquals(List.of("BENIGN", "DDoS"), r.labels());
        Read original = resource("machinelearningcve.csv");
        float[] expected0 = new float[F];
        float[] actual0 = new float[F];
        float[] expected1 = new float[F];
        float[] actual1 = new float[F];
        for (int f = 0; f < F; f++) {
            expected0[f] = original.at(1, f);
            actual0[f] = r.at(0, f);
            expected1[f] = original.at(4, f);
            actual1[f] = r.at(1, f);
        }
        assertArrayEquals(expected0, actual0, "same flow as line 3 of the original fixture");
        assertArrayEquals(expected1, actual1, "same flow as line 6 of the original fixture");
    }

    @Test
    void gzipIsRecognisedByItsMagicBytes() throws IOException {
        byte[] plain;
        try (InputStream in = FlowRecordReaderTest.class.getResourceAsStream("/flow/improved.csv")) {
            plain = in.readAllBytes();
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        InputStream in = TrafficInput.open(new ByteArrayInputStream(gz.toByteArray()), "improved.csv.gz", InputLimits.DEFAULTS);
        Read r = read(in, "improved.csv.gz", 3, InputLimits.DEFAULTS);
        assertEquals(5, r.labels().size());
        assertEquals(36f, r.at(0, 1));
    }

    @Test
    void missingFeaturesAreOneErrorNamingEveryOne() {
        StringBuilder header = new StringBuilder("Flow ID");
        for (int f = 0; f < F; f++) {
            if (f != 1 && f != 42 && f != 77 && f != FlowFeatures.FWD_HEADER_LENGTH_COPY) {
                header.append(',').append(FlowFeatures.name(f));
            }
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> text(header + ",Label\nx\n"));
        assertEquals("test.csv: line 1: the header lacks 3 of the 78 flow features: Flow Duration, "
                + "Packet Length Variance, Idle Min (a flow file needs a header line naming its columns, "
                + "in any CICFlowMeter dialect)", e.getMessage());
    }

    @Test
    void badRowsAreSkippedWithLineColumnAndReason() throws IOException {
        StringBuilder header = new StringBuilder("Flow ID");
        StringBuilder good = new StringBuilder("a");
        for (int f = 0; f < F; f++) {
            header.append(',').append(FlowFeatures.name(f));
            good.append(',').append(f);
        }
        String bad = good.toString().replace(",1,2,", ",1,two,");
        String csv = header + ",Label\n" + good + ",BENIGN\n" + bad + ",DDoS\n" + good + ",\n" + good + "\n";
        Read r = text(csv);
        assertEquals(2, r.labels().size());
        assertEquals(List.of(2L, 4L), r.lines());
        assertEquals(java.util.Arrays.asList("BENIGN", null), r.labels());
        assertEquals(2, r.skipped());
        assertEquals(List.of("line 3, column 4: not a number for Total Fwd Packets: \"two\"",
                "line 5: expected 80 comma-separated fields as in the header, found 79"), r.badRows());
    }

    @Test
    void aHeaderWithOneFeatureIsRefused() {
        String csv = "Dst Port,Label\n1,BENIGN\n";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> text(csv));
        assertTrue(e.getMessage().startsWith("test.csv: line 1: the header lacks 76 of the 78 flow features: Flow Duration, "));
    }

    @Test
    void emptyFileIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> text(""));
        assertEquals("test.csv: the file is empty (expected a header line naming the flow features)", e.getMessage());
    }

    @Test
    void unlabelledFilesReadWithNullLabels() throws IOException {
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (int f = 0; f < F; f++) {
            header.append(f == 0 ? "" : ",").append(FlowFeatures.name(f).toUpperCase());
            row.append(f == 0 ? "" : ",").append(f);
        }
        Read r = text(header + "\n" + row + "\n" + row + "\n");
        assertEquals(java.util.Arrays.asList(null, null), r.labels());
        assertFalse(r.labels().contains("BENIGN"));
        assertEquals(77f, r.at(1, 77));
    }

    /** The identity fields of every record, one text per record. */
    private static List<String> identities(InputStream in, String name, List<String> notes) throws IOException {
        List<String> out = new ArrayList<>();
        try (FlowRecordReader reader = new FlowRecordReader(in, name, LOOSE)) {
            FlowBatch b = new FlowBatch(2);
            while (reader.read(b)) {
                for (int r = 0; r < b.size(); r++) {
                    out.add(b.flowId(r) + " " + b.srcAddress[r] + ":" + b.srcPort[r] + " > " + b.dstAddress[r] + ":" + b.dstPort[r]
                            + " p" + b.protocol[r] + " " + time(b.startMicros[r]) + " .. " + time(b.endMicros[r]));
                }
            }
            notes.addAll(reader.identityNotes());
        }
        return out;
    }

    private static String time(long micros) {
        return micros == FlowBatch.NO_TIME ? "-" : java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS).toString();
    }

    private static List<String> identities(String resource) throws IOException {
        List<String> notes = new ArrayList<>();
        List<String> out = identities(FlowRecordReaderTest.class.getResourceAsStream("/flow/" + resource), resource, notes);
        assertEquals(List.of(), notes);
        return out;
    }

    @Test
    void identityOfEveryDialect() throws IOException {
        assertEquals(List.of(
                "172.16.0.1-192.168.10.50-36196-80-6 172.16.0.1:36196 > 192.168.10.50:80 p6 2017-07-06T10:40:00Z .. 2017-07-06T10:40:05.006127Z",
                "172.16.0.1-192.168.10.50-36196-80-6 172.16.0.1:36196 > 192.168.10.50:80 p6 2017-07-06T10:40:00Z .. 2017-07-06T10:40:00.000508Z",
                "172.16.0.1-192.168.10.50-52120-80-6 172.16.0.1:52120 > 192.168.10.50:80 p6 2017-07-06T10:15:00Z .. 2017-07-06T10:15:05.638432Z"),
                identities("trafficlabelling.csv"));
        assertEquals("192.168.10.8-192.168.10.9-45500-8651-6 192.168.10.8:45500 > 192.168.10.9:8651 p6 2017-07-06T18:07:16.672722Z"
                + " .. 2017-07-06T18:07:16.672758Z", identities("improved.csv").get(0));
        assertEquals(List.of("null null:-1 > null:55054 p6 2018-02-14T08:31:01Z .. 2018-02-14T08:31:01.000109Z",
                "null null:-1 > null:80 p6 2018-02-14T08:31:01Z .. 2018-02-14T08:32:20.780371Z"), identities("cse-cic-ids2018.csv"));
        assertEquals("null null:-1 > null:54865 p-1 - .. -", identities("machinelearningcve.csv").get(0));
    }

    /** A header of the given identity columns, then the 78 features. */
    private static String identityHeader(String identityColumns) {
        StringBuilder header = new StringBuilder(identityColumns);
        for (int f = 0; f < F; f++) {
            header.append(',').append(FlowFeatures.name(f));
        }
        return header.toString();
    }

    /** The features after the destination port: a Flow Duration of 2 s, then ones. */
    private static String featuresAfterThePort() {
        StringBuilder features = new StringBuilder();
        for (int f = 1; f < F; f++) {
            features.append(',').append(f == 1 ? 2_000_000 : 1);
        }
        return features.toString();
    }

    @Test
    void unreadableIdentityValuesLeaveTheirFieldEmptyAreCountedAndKeepTheRow() throws IOException {
        String header = identityHeader("Src IP,Src Port,Dst IP,Protocol,Timestamp");
        String features = "," + 443 + featuresAfterThePort();
        String csv = header + "\n"
                + "10.0.0.1,51000,2001:db8::1,6,2017-07-05T11:47:39Z" + features + "\n"
                + "1261,70000,999.1.1.1,300,181" + features + "\n"
                + ",,,," + features + "\n"
                + "10.0.0.2,1.5,10.0.0.3,17,31/02/2017 10:00" + features + "\n";
        List<String> notes = new ArrayList<>();
        List<String> ids = identities(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv", notes);
        assertEquals(List.of(
                "null 10.0.0.1:51000 > 2001:db8::1:443 p6 2017-07-05T11:47:39Z .. 2017-07-05T11:47:41Z",
                "null null:-1 > null:443 p-1 - .. -",
                "null null:-1 > null:443 p-1 - .. -",
                "null 10.0.0.2:-1 > 10.0.0.3:443 p17 - .. -"), ids);
        assertEquals(List.of(
                "1 source address value could not be read and was left empty (first at line 3, column 1: \"1261\")",
                "2 source port values could not be read and were left empty (first at line 3, column 2: \"70000\")",
                "1 destination address value could not be read and was left empty (first at line 3, column 3: \"999.1.1.1\")",
                "1 protocol value could not be read and was left empty (first at line 3, column 4: \"300\")",
                "2 start time values could not be read and were left empty (first at line 3, column 5: \"181\")"), notes);
    }

    @Test
    void flowIdsTimesAndAddressesRepeatedRowAfterRowReadTheSameAsAlone() throws IOException {
        String header = identityHeader("Flow ID,Source IP,Source Port,Destination IP,Protocol,Timestamp");
        String features = featuresAfterThePort();
        String[] rows = {
                "10.0.0.1-10.0.0.2-51000-443-6,10.0.0.1,51000,10.0.0.2,6,23/07/2020 02:05:24 PM,443",
                // the Flow ID written the other way round, as CICFlowMeter does for some flows
                "10.0.0.2-10.0.0.1-443-51001-6,10.0.0.1,51001,10.0.0.2,6,23/07/2020 02:05:25 PM,443",
                // a Flow ID that is not the row's five-tuple is kept as written
                "10.0.0.1-10.0.0.2-51002-443-17,10.0.0.1,51002,10.0.0.2,6,23/07/2020 02:05:25 AM,443",
                "10.0.0.1-10.0.0.2-051003-443-6,10.0.0.1,51003,10.0.0.2,6,23/07/2020 02:06:00 PM,443",
                "2001:db8::1-2001:db8::2-40000-22-6,2001:db8::1,40000,2001:db8::2,6,7/7/2017 3:56,22",
                "flow-7,2001:db8::1,40001,2001:db8::2,6,7/7/2017 3:56,22",
                "2001:db8::1-2001:db8::2-40002-22-6,2001:db8::1,40002,bad,6,2017-07-07 03:56:01.25,22",
                "x-y,999.0.0.1,40003,10.0.0.9,6,2017-07-07 03:56:61,22",
                ",10.0.0.9,40004,10.0.0.9,6,2017-07-07T03:56:02.5+02:00,22"};
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (String row : rows) {
            csv.append(row).append(features).append('\n');
        }
        List<String> notes = new ArrayList<>();
        List<String> ids = identities(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), "t.csv", notes);
        assertEquals(List.of(
                "10.0.0.1-10.0.0.2-51000-443-6 10.0.0.1:51000 > 10.0.0.2:443 p6 2020-07-23T14:05:24Z .. 2020-07-23T14:05:26Z",
                "10.0.0.2-10.0.0.1-443-51001-6 10.0.0.1:51001 > 10.0.0.2:443 p6 2020-07-23T14:05:25Z .. 2020-07-23T14:05:27Z",
                "10.0.0.1-10.0.0.2-51002-443-17 10.0.0.1:51002 > 10.0.0.2:443 p6 2020-07-23T02:05:25Z .. 2020-07-23T02:05:27Z",
                "10.0.0.1-10.0.0.2-051003-443-6 10.0.0.1:51003 > 10.0.0.2:443 p6 2020-07-23T14:06:00Z .. 2020-07-23T14:06:02Z",
                "2001:db8::1-2001:db8::2-40000-22-6 2001:db8::1:40000 > 2001:db8::2:22 p6 2017-07-07T03:56:00Z .. 2017-07-07T03:56:02Z",
                "flow-7 2001:db8::1:40001 > 2001:db8::2:22 p6 2017-07-07T03:56:00Z .. 2017-07-07T03:56:02Z",
                "2001:db8::1-2001:db8::2-40002-22-6 2001:db8::1:40002 > null:22 p6 2017-07-07T03:56:01.250Z .. 2017-07-07T03:56:03.250Z",
                "x-y null:40003 > 10.0.0.9:22 p6 - .. -",
                "null 10.0.0.9:40004 > 10.0.0.9:22 p6 2017-07-07T01:56:02.500Z .. 2017-07-07T01:56:04.500Z"), ids);
        assertEquals(List.of(
                "1 source address value could not be read and was left empty (first at line 9, column 2: \"999.0.0.1\")",
                "1 destination address value could not be read and was left empty (first at line 8, column 4: \"bad\")",
                "1 start time value could not be read and was left empty (first at line 9, column 6: \"2017-07-07 03:56:61\")"), notes);
    }
}
