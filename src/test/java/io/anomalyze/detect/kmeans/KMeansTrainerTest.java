package io.anomalyze.detect.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KMeansTrainerTest {

    /** Every 25th row of KDDTrain+ (5,038 rows). */
    static Path sample() throws URISyntaxException {
        return Path.of(KMeansTrainerTest.class.getResource("/kdd/train-sample.txt.gz").toURI());
    }

    static KMeansTrainingParameters small(long seed) {
        return new KMeansTrainingParameters(seed, List.of(8, 16), List.of(4), 30, 1e-4, 0.2,
                List.of(0.01, 0.1), List.of(10.0), List.of(1.0));
    }

    static ObjectNode trainToJson(long seed) throws Exception {
        KMeansModel model = new KMeansTrainer(small(seed), line -> { }).train(sample());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.write(out);
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(out.toByteArray());
        // Provenance that legitimately differs between runs.
        ((ObjectNode) tree.get("training")).remove(List.of("date", "seconds"));
        return tree;
    }

    @Test
    void sameSeedGivesTheSameModel() throws Exception {
        assertEquals(trainToJson(7), trainToJson(7));
    }

    @Test
    void anotherSeedGivesAnotherModel() throws Exception {
        assertNotEquals(trainToJson(7).get("members"), trainToJson(8).get("members"));
    }

    @Test
    void modelDescribesItself() throws Exception {
        ObjectNode tree = trainToJson(3);
        assertEquals(KMeansModel.FORMAT, tree.get("format").asText());
        assertEquals(41, tree.get("features").size());
        assertEquals("train-sample.txt.gz", tree.at("/training/file").asText());
        assertEquals(64, tree.at("/training/sha256").asText().length());
        assertEquals(5038, tree.at("/training/records").asInt());
        assertEquals(1008, tree.at("/training/validationRecords").asInt());
        assertEquals(2, tree.get("members").size());
        assertTrue(tree.get("threshold").asDouble() > 0);
        assertTrue(tree.at("/validation/rocAuc").asDouble() > 0.9, "validation ROC-AUC " + tree.at("/validation/rocAuc"));
        double medium = tree.at("/severityBands/medium").asDouble();
        double high = tree.at("/severityBands/high").asDouble();
        double critical = tree.at("/severityBands/critical").asDouble();
        assertTrue(1 <= medium && medium <= high && high <= critical);
    }

    @Test
    void balancedThresholdWeighsEachFamilyEqually() {
        // Normal rows score 1..5 and R2L rows 4.5..4.9: catching R2L costs one false alarm
        // (the normal row at 5), which the balanced rule accepts; DoS rows are far above.
        double[] scores = {1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 4.5, 4.6, 4.7, 4.8, 4.9};
        String[] family = {"normal", "normal", "normal", "normal", "normal", "DoS", "DoS", "DoS", "DoS", "DoS",
            "R2L", "R2L", "R2L", "R2L", "R2L"};
        assertEquals(4.25, KMeansTrainer.balancedThreshold(scores, family), 1e-12);
    }
}
