package io.anomalyze.store.legacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anomalyze.detect.FeatureContribution;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactTextTest {

    private final StringBuilder sb = new StringBuilder();

    @Test
    void featureValuesRoundTripIncludingEmptyFields() {
        String[] values = {"0", "tcp", "", "private", "0.04", ""};
        String text = CompactText.strings(values, sb);
        assertEquals(CompactText.MARK, text.charAt(0));
        assertArrayEquals(values, CompactText.readStrings(text));
        assertNull(CompactText.strings(null, sb));
        assertNull(CompactText.readStrings(null));
    }

    @Test
    void valuesHoldingASeparatorFallBackToJson() {
        String[] values = {"a\u001Fb", "[c]"};
        String text = CompactText.strings(values, sb);
        assertEquals("[\"a\\u001Fb\",\"[c]\"]", text);
        assertArrayEquals(values, CompactText.readStrings(text));
        assertArrayEquals(new String[0], CompactText.readStrings(CompactText.strings(new String[0], sb)));
    }

    @Test
    void topFeaturesAndProbabilitiesRoundTripExactly() {
        List<FeatureContribution> top = List.of(new FeatureContribution("src_bytes", "54540", 0.9731),
                new FeatureContribution("service", "private", 1.0E-4));
        assertEquals(top, CompactText.readTopFeatures(CompactText.topFeatures(top, sb)));
        assertNull(CompactText.topFeatures(List.of(), sb));
        assertTrue(CompactText.readTopFeatures(null).isEmpty());
        float[] p = {0.1f, 1e-7f, 0.8999999f};
        assertArrayEquals(p, CompactText.readFloats(CompactText.floats(p, sb)));
    }

    @Test
    void jsonWrittenByEarlierVersionsStillReads() {
        assertArrayEquals(new String[] {"0", "tcp"}, CompactText.readStrings("[\"0\",\"tcp\"]"));
        assertEquals(List.of(new FeatureContribution("dst_bytes", "0", 0.25)),
                CompactText.readTopFeatures("[[\"dst_bytes\",\"0\",0.25]]"));
        assertArrayEquals(new float[] {0.5f, 0.25f}, CompactText.readFloats("[0.5,0.25]"));
    }
}
