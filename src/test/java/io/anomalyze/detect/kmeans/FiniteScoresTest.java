package io.anomalyze.detect.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.detect.ModelDomain;
import io.anomalyze.detect.ScanOptions;
import io.anomalyze.detect.Verdict;
import io.anomalyze.read.InputLimits;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connection records with the largest finite values still get finite scores (the encoding clips
 * every numeric value), and a model whose clip or scale would let a score overflow is refused
 * when it loads.
 */
class FiniteScoresTest {

    private static final Path MODEL = Path.of("models", "nsl-kdd-kmeans.json");

    @Test
    void hugeNumericFieldsScoreFinitely() throws Exception {
        KMeansModel model = KMeansModel.read(Files.newInputStream(MODEL), "nsl-kdd-kmeans.json");
        StringBuilder file = new StringBuilder();
        for (String value : List.of("1e308", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890")) {
            List<String> fields = new ArrayList<>(Collections.nCopies(41, value));
            fields.set(1, "tcp");
            fields.set(2, "http");
            fields.set(3, "SF");
            // land, logged_in, is_host_login, is_guest_login are 0 or 1
            for (int binary : new int[] {6, 11, 20, 21}) {
                fields.set(binary, "1");
            }
            file.append(String.join(",", fields)).append('\n');
        }
        List<Verdict> verdicts = new ArrayList<>();
        try (KMeansDetector detector = new KMeansDetector(model, ModelDomain.Source.inMemory("nsl-kdd-kmeans.json"), 1)) {
            detector.scan(new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.US_ASCII)), "huge.txt",
                    new ScanOptions(InputLimits.DEFAULTS, true), verdicts::addAll);
        }
        assertEquals(4, verdicts.size());
        for (Verdict v : verdicts) {
            assertTrue(Double.isFinite(v.score()) && v.score() > 0, "line " + v.line() + ": " + v.score());
            assertTrue(v.confidence() >= 0 && v.confidence() <= 1, "line " + v.line() + ": " + v.confidence());
            v.topFeatures().forEach(f -> assertTrue(Double.isFinite(f.contribution()), f.toString()));
        }
    }

    @Test
    void aClipThatLetsDistancesOverflowIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(MODEL.toFile());
        ((ObjectNode) tree.get("encoding")).put("clip", 1e30);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KMeansModel.read(tree, "wide.json"));
        assertTrue(e.getMessage().startsWith("wide.json: encoding.clip 1.0E30 with centroid coordinates up to "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" allows distances beyond the single-precision range the scoring uses"), e.getMessage());
    }

    @Test
    void aTinyScaleIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(MODEL.toFile());
        ((ObjectNode) tree.get("members").get(1)).put("scale", 1e-320);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KMeansModel.read(tree, "tiny.json"));
        assertEquals("tiny.json: members[1].scale 1.0E-320 is so small that scores could be infinite", e.getMessage());
    }
}
