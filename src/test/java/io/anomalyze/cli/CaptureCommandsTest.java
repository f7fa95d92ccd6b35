package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import io.anomalyze.capture.Packet;
import io.anomalyze.capture.flow.TestCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flows and score commands on captures written byte by byte. */
class CaptureCommandsTest {

    static final long T = 1_700_000_000_000_000L;

    @TempDir
    Path tmp;

    private Path capture() {
        return new TestCapture()
                .tcp(T, "192.168.1.10", 51000, "192.168.1.20", 80, Packet.SYN, 0)
                .tcp(T + 200, "192.168.1.20", 80, "192.168.1.10", 51000, Packet.SYN | Packet.ACK, 0)
                .tcp(T + 400, "192.168.1.10", 51000, "192.168.1.20", 80, Packet.ACK | Packet.PSH, 320)
                .udp(T + 1000, "192.168.1.10", 40000, "192.168.1.1", 53, 40)
                .udp(T + 1500, "192.168.1.1", 53, "192.168.1.10", 40000, 120)
                .writeTo(tmp.resolve("small.pcap"));
    }

    @Test
    void flowsWritesOneCicFlowMeterRowPerFlowAndTheCountsByReason() throws Exception {
        Path out = tmp.resolve("flows.csv");
        CommandRun run = CommandRun.of("flows", capture().toString(), "--out", out.toString());
        assertEquals(Main.OK, run.code(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("192.168.1.10-192.168.1.20-51000-80-6,192.168.1.10,51000,192.168.1.20,80,6,"
                + "2023-11-14T22:13:20.000000Z,80,400,2,1,320,0,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("192.168.1.10-192.168.1.1-40000-53-17,192.168.1.10,40000,192.168.1.1,53,17,"
                + "2023-11-14T22:13:20.001000Z,53,500,1,1,40,120,"), lines.get(2));
        assertTrue(run.err().contains("small.pcap: 5 packets into 2 flows"), run.err());
        assertTrue(run.err().contains("5 records, 5 IP packets"), run.err());
        assertTrue(run.err().contains("2 flows written to " + out), run.err());
    }

    @Test
    void flowsTimeoutsAreSettings() throws Exception {
        CommandRun run = CommandRun.of("flows", capture().toString(), "--flow-timeout", "0.0003");
        assertEquals(Main.OK, run.code(), run.err());
        assertEquals(5, run.out().strip().split("\n").length, "cut every 300 µs, each exchange is two flows: header plus four rows");
        CommandRun bad = CommandRun.of("flows", capture().toString(), "--activity-timeout", "soon");
        assertEquals(Main.BAD_USAGE, bad.code());
        assertEquals("anomalyze: the activity timeout must be a number of seconds with at most 6 decimals, not \"soon\""
                + " (--flow-timeout, --activity-timeout, --max-flows or their ANOMALYZE_* variables)", bad.err().strip());
    }

    @Test
    void aFileThatIsNoCaptureIsNamedWithTheReason() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.pcap"), "hello, this is text\n");
        CommandRun run = CommandRun.of("flows", text.toString());
        assertEquals(Main.BAD_INPUT, run.code());
        assertTrue(run.err().startsWith("anomalyze: notes.pcap: not a packet capture"), run.err());
    }

    @Test
    void scoreGivesEachFlowOfACaptureAVerdictWithItsIdentity() throws Exception {
        Path out = tmp.resolve("verdicts.json");
        CommandRun run = CommandRun.of("score", "--model", "models/cicids2017-mlp.json", capture().toString(), "--out", out.toString());
        assertEquals(Main.OK, run.code(), run.err());
        JsonNode verdicts = Json.MAPPER.readTree(out.toFile()).get("verdicts");
        assertEquals(2, verdicts.size());
        JsonNode web = verdicts.get(0).get("identity");
        assertEquals("192.168.1.10-192.168.1.20-51000-80-6", web.get("flowId").asText());
        assertEquals("192.168.1.10", web.get("src").asText());
        assertEquals(80, web.get("dstPort").asInt());
        assertEquals(6, web.get("protocolNumber").asInt());
        assertEquals("2023-11-14T22:13:20Z", web.get("start").asText());
        assertEquals("2023-11-14T22:13:20.000400Z", web.get("end").asText());
        assertEquals("192.168.1.1", verdicts.get(1).get("identity").get("dst").asText());
    }
}
