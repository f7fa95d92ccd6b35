package io.anomalyze.read.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFlowReaderTest {

    private final JsonFlowReader reader = new JsonFlowReader();
    private final FlowBatch batch = new FlowBatch(4);

    private String read(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return reader.read(b, 0, b.length, batch, 7);
    }

    @Test
    void readsFeaturesOfAnyDialectAndTheFlowsIdentity() {
        assertNull(read("{\"Flow ID\":\"a-b\",\"Src IP\":\"10.0.0.1\",\"Src Port\":\"5353\",\"Dst IP\":\"10.0.0.2\","
                + "\"Protocol\":\"udp\",\"Timestamp\":\"03/07/2017 08:55:58\",\"Dst Port\":53,\"Flow Duration\":\"250\","
                + "\"Tot Fwd Pkts\":2,\"Flow Byts/s\":\"Infinity\",\"Fwd Header Len\":40,\"Label\":\"DoS Hulk\",\"host\":{\"name\":\"x\"}}"));
        assertEquals(1, batch.size());
        assertEquals(53f, batch.feature(0, 0));
        assertEquals(250f, batch.feature(0, 1));
        assertEquals(2f, batch.feature(0, 2));
        assertEquals(0f, batch.feature(0, 14));
        assertEquals(40f, batch.feature(0, FlowFeatures.FWD_HEADER_LENGTH_COPY), "the duplicate header length defaults to the first");
        assertEquals("a-b", batch.flowId[0]);
        assertEquals("10.0.0.1", batch.srcAddress[0]);
        assertEquals(5353, batch.srcPort[0]);
        assertEquals("10.0.0.2", batch.dstAddress[0]);
        assertEquals(53, batch.dstPort[0]);
        assertEquals(17, batch.protocol[0]);
        assertEquals(1_499_072_158_000_000L, batch.startMicros[0]);
        assertEquals(1_499_072_158_000_250L, batch.endMicros[0], "start plus Flow Duration");
        assertEquals("DoS Hulk", batch.label[0]);
        assertEquals(7, batch.line[0]);
    }

    @Test
    void readsElasticCommonSchemaEventsByTheirDottedPaths() {
        assertNull(read("{\"source\":{\"ip\":\"192.0.2.1\",\"port\":443},\"destination\":{\"ip\":\"192.0.2.9\",\"port\":8443},"
                + "\"network\":{\"transport\":\"tcp\"},\"event\":{\"start\":\"2024-05-01T10:00:00.5Z\"},\"Flow Duration\":1}"));
        assertEquals("192.0.2.1", batch.srcAddress[0]);
        assertEquals(443, batch.srcPort[0]);
        assertEquals(8443, batch.dstPort[0]);
        assertEquals(8443f, batch.feature(0, 0), "destination.port is the Destination Port feature");
        assertEquals(6, batch.protocol[0]);
        assertEquals(1_714_557_600_500_000L, batch.startMicros[0]);
    }

    @Test
    void refusesWhatIsNotAFlowWithAReason() {
        assertEquals("not a JSON object of flow fields", read("[1,2]"));
        assertEquals("names none of the 78 flow features (such as \"Destination Port\", \"Flow Duration\" or \"Dst Port\")",
                read("{\"message\":\"hello\"}"));
        assertEquals("field \"Flow IAT Max\" (Flow IAT Max): not a number: \"12ms\"", read("{\"Flow IAT Max\":\"12ms\"}"));
        assertEquals("\"Dst Port\" and \"Destination Port\" both name the flow feature Destination Port; send it once",
                read("{\"Dst Port\":1,\"Destination Port\":2}"));
        assertEquals("field \"Flow Duration\": expected a number, found a boolean", read("{\"Flow Duration\":true}"));
        assertEquals("more than one JSON value in the record", read("{\"Flow Duration\":1} {}"));
        assertEquals(0, batch.size(), "nothing refused is kept");
    }

    @Test
    void theByteScannerAndJacksonsParserReadEveryRecordAlike() throws IOException {
        List<String> records = new ArrayList<>();
        List<String> sample = Files.readAllLines(Path.of("uploads", "MachineLearningCVE-sample.csv"), StandardCharsets.UTF_8);
        String[] names = sample.get(0).split(",", -1);
        for (int r = 1; r < sample.size(); r += 7) {
            String[] cells = sample.get(r).split(",", -1);
            StringBuilder sb = new StringBuilder("{\"Flow ID\":\"f-" + r + "\",\"Src IP\":\"10.0.0." + (r % 9)
                    + "\",\"Src Port\":" + (40000 + r) + ",\"Dst IP\":\"192.0.2.7\",\"Protocol\":6,\"Timestamp\":\"2017-07-03T08:55:58Z\"");
            for (int c = 0; c < names.length; c++) {
                String v = cells[c].strip();
                String name = names[c].strip() + (c > 0 && names[c].strip().equals("Fwd Header Length") && c > 40 ? ".1" : "");
                sb.append(",\"").append(name).append("\":").append(v.matches("-?[0-9.]+(E[0-9]+)?") ? v : "\"" + v + "\"");
            }
            records.add(sb.append('}').toString());
        }
        records.add("{\"Flow Duration\": -0, \"Flow IAT Max\": 0.1, \"Flow IAT Min\": 1e3, \"Fwd IAT Total\": 12345678901234567890,"
                + " \"Bwd IAT Total\": 0.30000000000000004441, \"Idle Max\": 9007199254740993, \"Idle Min\": 123456789.123456789,"
                + " \"Active Max\": \"  7.5 \", \"Active Min\": \"Infinity\", \"Idle Std\": null, \"Dst Port\": 1e400,"
                + " \"Fwd IAT Max\": -0.0, \"Fwd IAT Min\": 2.5E-3, \"Bwd IAT Max\": 0.000001}");
        records.add("{\"event\":{\"category\":[\"network\"],\"start\":\"2024-05-01T10:00:00.5Z\",\"end\":1714557601},\"tags\":[],"
                + "\"source\":{\"ip\":\"192.0.2.1\",\"port\":\"443\"},\"destination\":{\"port\":8443},"
                + "\"network\":{\"transport\":\"udp\",\"iana_number\":6},\"x\":{\"y\":{\"z\":[1,{\"a\":true},null,-2.5e3]}},"
                + "\"Flow Duration\":5}");
        records.add("{\"Flow\\u0020Duration\": 3, \"Src IP\": \"10.0.0.1\\u0041\"}");
        records.add("{\"Src IP\": \"\u00e9\", \"Flow Duration\": 2, \"Label\": \"ddos\"}");
        records.add("{\"Src Port\": 70000, \"Protocol\": 300, \"Flow Duration\": 1, \"Timestamp\": 1499072158}");
        records.add("{\"Src Port\": -0, \"Protocol\": \"6\", \"Flow Duration\": 1, \"Timestamp\": 1499072158123.5}");
        records.add("{\"Src Port\": 80.0, \"network\": {\"transport\": 17}, \"Flow Duration\": 1, \"Timestamp\": \"1499072158\"}");
        records.add("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":1}}}}}}}}},\"Flow Duration\":4}");
        records.add("  {\"Flow Duration\" :\t7 , \"Label\" : \"BENIGN\" }\n");
        for (String bad : new String[] {"{\"Flow Duration\": 01}", "{\"Flow Duration\": 1,}", "{\"Flow Duration\": 1} x",
                "{\"Flow Duration\": tru}", "{\"Flow Duration\":1,\"Dst Port\":2,\"Destination Port\":3}",
                "{\"Protocol\": true, \"Flow Duration\": 1}", "{\"Flow Duration\": [1]}", "{\"Flow Duration\": 1.}",
                "{\"Flow Duration\": -}", "{\"Flow Duration\": \"12ms\"}", "{\"Flow Duration\": 1", "{}", "[]",
                "{\"Src IP\": [\"a\"], \"Flow Duration\": 1}", "{\"Flow Duration\": 1e}", "{\"Flow Duration\": NaN}",
                "{\"x\": " + "[".repeat(20) + "1" + "]".repeat(20) + ", \"Flow Duration\": 1}"}) {
            records.add(bad);
        }
        JsonFlowReader scanning = new JsonFlowReader();
        JsonFlowReader parsing = new JsonFlowReader(false);
        FlowBatch a = new FlowBatch(records.size());
        FlowBatch b = new FlowBatch(records.size());
        int read = 0;
        for (String record : records) {
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            String problem = parsing.read(bytes, 0, bytes.length, b, read);
            assertEquals(problem, scanning.read(bytes, 0, bytes.length, a, read), record);
            if (problem == null) {
                read++;
            }
        }
        // All but one of the last 17 (a boolean protocol is only unknown) are refused.
        assertEquals(records.size() - 16, read);
        assertEquals(read, a.size());
        assertArrayEquals(b.features, a.features);
        assertArrayEquals(b.flowId, a.flowId);
        assertArrayEquals(b.srcAddress, a.srcAddress);
        assertArrayEquals(b.dstAddress, a.dstAddress);
        assertArrayEquals(b.srcPort, a.srcPort);
        assertArrayEquals(b.dstPort, a.dstPort);
        assertArrayEquals(b.protocol, a.protocol);
        assertArrayEquals(b.startMicros, a.startMicros);
        assertArrayEquals(b.endMicros, a.endMicros);
        assertArrayEquals(b.label, a.label);
        assertArrayEquals(b.line, a.line);
    }

    @Test
    void theByteScannerReadsAPlainFlowRecordItself() {
        byte[] plain = "{\"Src IP\":\"10.0.0.1\",\"Dst Port\":53,\"Flow Duration\":1.5,\"Label\":\"BENIGN\",\"host\":{\"tags\":[\"a\"]}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonFlowReader owner = new JsonFlowReader(false);
        FlowBatch one = new FlowBatch(1);
        assertTrue(new JsonFlowScanner(owner, 100, 8).scan(plain, 0, plain.length, one, 0));
        assertEquals(53f, one.features[0]);
        assertEquals(1.5f, one.features[1]);
        assertEquals("10.0.0.1", one.srcAddress[0]);
        assertEquals("BENIGN", one.label[0]);
        byte[] escaped = "{\"Src IP\":\"10.0.0.\\u0031\",\"Dst Port\":53}".getBytes(StandardCharsets.UTF_8);
        assertEquals(false, new JsonFlowScanner(owner, 100, 8).scan(escaped, 0, escaped.length, new FlowBatch(1), 0),
                "an escape sequence is left to the full parser");
    }
}
