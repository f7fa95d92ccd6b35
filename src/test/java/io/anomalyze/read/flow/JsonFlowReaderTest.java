package io.anomalyze.read.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
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
}
