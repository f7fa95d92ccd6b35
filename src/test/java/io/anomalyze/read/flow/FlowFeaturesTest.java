package io.anomalyze.read.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlowFeaturesTest {

    @Test
    void thereAre78DistinctCanonicalNames() {
        assertEquals(78, FlowFeatures.NAMES.size());
        assertEquals(78, FlowFeatures.NAMES.stream().distinct().count());
        for (int i = 0; i < 78; i++) {
            assertEquals(i, FlowFeatures.indexOf(FlowFeatures.name(i)), FlowFeatures.name(i));
        }
    }

    @Test
    void originalNamesWithLeadingSpacesAndAnyCase() {
        assertEquals(0, FlowFeatures.indexOf(" Destination Port"));
        assertEquals(2, FlowFeatures.indexOf("  total fwd packets "));
        assertEquals(66, FlowFeatures.indexOf("Init_Win_bytes_forward"));
        assertEquals(34, FlowFeatures.indexOf(" Fwd Header Length"));
        assertEquals(55, FlowFeatures.indexOf("Fwd Header Length.1"));
    }

    @Test
    void improvedCicFlowMeterNames() {
        assertEquals(0, FlowFeatures.indexOf("Dst Port"));
        assertEquals(2, FlowFeatures.indexOf("Total Fwd Packet"));
        assertEquals(3, FlowFeatures.indexOf("Total Bwd packets"));
        assertEquals(49, FlowFeatures.indexOf("CWR Flag Count"));
        assertEquals(66, FlowFeatures.indexOf("FWD Init Win Bytes"));
        assertEquals(69, FlowFeatures.indexOf("Fwd Seg Size Min"));
        assertEquals(53, FlowFeatures.indexOf("Fwd Segment Size Avg"));
    }

    @Test
    void cseCicIds2018ShortNames() {
        assertEquals(0, FlowFeatures.indexOf("Dst Port"));
        assertEquals(2, FlowFeatures.indexOf("Tot Fwd Pkts"));
        assertEquals(4, FlowFeatures.indexOf("TotLen Fwd Pkts"));
        assertEquals(6, FlowFeatures.indexOf("Fwd Pkt Len Max"));
        assertEquals(14, FlowFeatures.indexOf("Flow Byts/s"));
        assertEquals(15, FlowFeatures.indexOf("Flow Pkts/s"));
        assertEquals(66, FlowFeatures.indexOf("Init Fwd Win Byts"));
        assertEquals(42, FlowFeatures.indexOf("Pkt Len Var"));
        assertEquals(58, FlowFeatures.indexOf("Fwd Blk Rate Avg"));
    }

    @Test
    void unknownNamesAreMinusOne() {
        assertEquals(-1, FlowFeatures.indexOf("Flow ID"));
        assertEquals(-1, FlowFeatures.indexOf("Src Port"));
        assertEquals(-1, FlowFeatures.indexOf("Label"));
        assertEquals(-1, FlowFeatures.indexOf("ICMP Code"));
        assertEquals(-1, FlowFeatures.indexOf(null));
    }
}
