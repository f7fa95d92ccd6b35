package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A short benchmark run reports every stage the README lists, each with real throughput. */
class BenchCommandTest {

    @Test
    void everyStageIsMeasuredAndReportedAsJson() throws Exception {
        CommandRun run = CommandRun.of("bench", "--records", "3000", "--runs", "1", "--json");
        assertEquals(Main.OK, run.code(), run.err());
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertEquals(Runtime.getRuntime().availableProcessors(), report.get("cores").asInt());
        List<String> names = new ArrayList<>();
        for (JsonNode stage : report.get("stages")) {
            names.add(stage.get("stage").asText());
            assertTrue(stage.get("medianRecordsPerSecond").asLong() > 0, stage.toString());
            assertTrue(stage.get("minRecordsPerSecond").asLong() <= stage.get("maxRecordsPerSecond").asLong(), stage.toString());
        }
        assertEquals(List.of("connection parsing", "kmeans scoring (1 thread)", "kmeans scoring (all cores)", "kmeans pipeline (parse+score)", "flow parsing",
                "flow parsing with identity",
                "onnx inference", "mlp pipeline (parse+infer)", "http upload KDDTest+.txt"), names);
        for (JsonNode stage : report.get("stages")) {
            String name = stage.get("stage").asText();
            long expected = name.startsWith("http") ? 22_544 : 3000;
            assertEquals(expected, stage.get("records").asLong(), name);
        }
    }

    @Test
    void refusesNonsenseCounts() {
        CommandRun run = CommandRun.of("bench", "--records", "0");
        assertTrue(run.code() != Main.OK);
        assertTrue(run.err().contains("--records and --runs must be at least 1"), run.err());
    }
}
