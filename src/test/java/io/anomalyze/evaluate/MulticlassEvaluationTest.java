package io.anomalyze.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MulticlassEvaluationTest {

    /**
     * truth -> predicted: 4 x B->B, 1 x B->D, 3 x D->D, 1 x D->P, 1 x P->B, 1 x X->D
     * (X is a label outside the model's classes).
     */
    private static MulticlassEvaluation example() {
        MulticlassEvaluation e = new MulticlassEvaluation(List.of("B", "D", "P"), "B");
        for (int i = 0; i < 4; i++) {
            e.add("B", "B", 0.1 * i);
        }
        e.add("B", "D", 0.9);
        for (int i = 0; i < 3; i++) {
            e.add("D", "D", 0.8 + 0.05 * i);
        }
        e.add("D", "P", 0.7);
        e.add("P", "B", 0.35);
        e.add("X", "D", 0.6);
        return e;
    }

    @Test
    void countsAndAverages() {
        MulticlassEvaluation e = example();
        assertEquals(11, e.total());
        assertEquals(7.0 / 11, e.accuracy(), 1e-12);
        // B: precision 4/5, recall 4/5 -> F1 0.8; D: precision 3/5, recall 3/4 -> F1 2/3;
        // P: 0 and 0 -> F1 0; X: recall 0 -> F1 0.
        assertEquals(0.8, e.f1(0), 1e-12);
        assertEquals(2.0 / 3, e.f1(1), 1e-12);
        assertEquals(0, e.f1(2), 1e-12);
        assertEquals((0.8 + 2.0 / 3) / 4, e.macroF1(), 1e-12);
        assertEquals((0.8 * 5 + 2.0 / 3 * 4) / 11, e.weightedF1(), 1e-12);
        // attack vs benign: wrong are B->D and P->B
        assertEquals(9.0 / 11, e.attackDetectionAccuracy(), 1e-12);
        assertArrayEquals(new long[] {4, 1, 0, 0}, e.confusion()[0]);
        assertArrayEquals(new long[] {0, 1, 0, 0}, e.confusion()[3]);
        assertEquals(List.of("B", "D", "P", "X"), e.classes());
    }

    @Test
    void rocAucOfTheAttackScore() {
        // benign scores 0, .1, .2, .3, .9; attack scores .8 .85 .9 .7 .35 .6
        // pairs attack > benign: .8,.85,.7,.6 beat 4 each (16), .9 ties .9 (4 + 0.5), .35 beats 4 -> 24.5 of 30
        assertEquals(24.5 / 30, example().rocAuc(), 1e-9);
    }

    @Test
    void jsonHasTheFieldsOfEvaluateJson() {
        ObjectNode o = example().toJson();
        assertEquals(0.636364, o.get("accuracy").asDouble(), 1e-9);
        assertEquals(0.366667, o.get("macroF1").asDouble(), 1e-9);
        assertEquals(0.818182, o.get("attackDetectionAccuracy").asDouble(), 1e-9);
        assertEquals(0.6, o.path("perClass").path("D").path("precision").asDouble(), 1e-9);
        assertEquals(0.75, o.path("perClass").path("D").path("recall").asDouble(), 1e-9);
        assertEquals(4, o.path("perClass").path("D").path("support").asLong());
        assertEquals("X", o.path("confusion").path("labels").get(3).asText());
        assertEquals(3, o.path("confusion").path("matrix").get(1).get(1).asLong());
    }

    @Test
    void macroF1AveragesOverTheClassesInTheLabelsOnly() {
        MulticlassEvaluation e = new MulticlassEvaluation(List.of("B", "D", "P", "X"), "B");
        e.add("B", "B", 0.1);
        e.add("B", "P", 0.6);
        e.add("D", "D", 0.9);
        e.add("D", "D", 0.9);
        // B: precision 1, recall 1/2 -> F1 2/3; D: F1 1; P is only predicted, X does not occur.
        assertEquals((2.0 / 3 + 1) / 2, e.macroF1(), 1e-12);
        assertEquals(2, e.macroF1Classes());
        ObjectNode o = e.toJson();
        assertEquals(2, o.get("macroF1Classes").asInt());
        assertEquals(0.0, o.path("perClass").path("P").path("precision").asDouble(-1), 1e-12);
        assertTrue(o.path("perClass").path("P").path("recall").isNull());
        assertTrue(o.path("perClass").path("P").path("f1").isNull());
        assertTrue(o.path("perClass").path("X").path("precision").isNull());
        assertTrue(e.toTable().contains("macro-F1                   0.8333 (over the 2 classes in the labels)"), e.toTable());
    }
}
