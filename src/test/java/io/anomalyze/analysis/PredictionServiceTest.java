package io.anomalyze.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anomalyze.InvalidInputException;
import io.anomalyze.analysis.PredictionService.Named;
import io.anomalyze.analysis.PredictionService.Prediction;
import io.anomalyze.analysis.PredictionService.Values;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Predictions over the bundled models: what a flow sent with few of its features lacked, and one layout per request. */
class PredictionServiceTest {

    private static DetectorRegistry registry;
    private static PredictionService predictions;

    @BeforeAll
    static void load() throws IOException {
        registry = DetectorRegistry.load(null, true);
        predictions = new PredictionService(registry, 10_000);
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    private static Named named(int... features) {
        double[] x = new double[FlowFeatures.COUNT];
        boolean[] given = new boolean[FlowFeatures.COUNT];
        for (int f : features) {
            x[f] = f + 1;
            given[f] = true;
        }
        return new Named(x, given, List.of("@timestamp"));
    }

    @Test
    void aFlowSentWithThreeOfItsFeaturesSaysHowManyTheModelLacked() throws IOException {
        Prediction p = predictions.predict(List.of(named(0, 1, 2)), true).get(0);
        assertEquals("mlp", p.detector().kind());
        assertEquals(75, p.missing());
        assertEquals(78, p.expected());
        assertEquals(List.of("@timestamp"), p.ignored());
    }

    @Test
    void aFullRowOfValuesMissesNothing() throws IOException {
        Prediction p = predictions.predict(List.of(new Values(Collections.nCopies(FlowFeatures.COUNT, "0"))), true).get(0);
        assertEquals(0, p.missing());
        assertEquals(List.of(), p.ignored());
    }

    @Test
    void rowsOfTwoLayoutsAreRefusedNamingTheRecord() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> predictions.predict(List.of(
                new Values(Collections.nCopies(41, "0")), new Values(Collections.nCopies(FlowFeatures.COUNT, "0"))), false));
        assertEquals("record 2 is a row of 78 values but record 1 is a connection record; send one layout per request", e.getMessage());
    }

    @Test
    void aValueThatIsNoNumberIsRefusedNamingItsFeature() {
        List<String> values = new java.util.ArrayList<>(Collections.nCopies(FlowFeatures.COUNT, "1"));
        values.set(4, "lots");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> predictions.predict(List.of(new Values(values)), true));
        assertEquals("\"features\", value 5 (" + FlowFeatures.name(4) + "): not a number: \"lots\"", e.getMessage());
    }
}
