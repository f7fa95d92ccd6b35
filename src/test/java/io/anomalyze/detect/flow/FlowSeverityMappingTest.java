package io.anomalyze.detect.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anomalyze.detect.Severity;
import org.junit.jupiter.api.Test;

class FlowSeverityMappingTest {

    private final FlowSeverityMapping m = FlowSeverityMapping.defaults();

    @Test
    void benignIsNormalWhateverTheProbability() {
        assertEquals(Severity.NORMAL, m.of("BENIGN", 0.99));
        assertEquals(Severity.NORMAL, m.of("BENIGN", 0.3));
    }

    @Test
    void sureAttacksGetTheirClassBase() {
        assertEquals(Severity.CRITICAL, m.of("Heartbleed", 0.95));
        assertEquals(Severity.CRITICAL, m.of("Web Attack \u2013 Sql Injection", 0.9));
        assertEquals(Severity.HIGH, m.of("DDoS", 0.99));
        assertEquals(Severity.MEDIUM, m.of("PortScan", 0.999));
    }

    @Test
    void lessSureAttacksDropButNeverBelowLow() {
        assertEquals(Severity.HIGH, m.of("Bot", 0.8));
        assertEquals(Severity.MEDIUM, m.of("Bot", 0.5));
        assertEquals(Severity.MEDIUM, m.of("DoS Hulk", 0.6));
        assertEquals(Severity.LOW, m.of("DoS Hulk", 0.59));
        assertEquals(Severity.LOW, m.of("PortScan", 0.7));
        assertEquals(Severity.LOW, m.of("PortScan", 0.2));
    }

    @Test
    void unknownClassesAreHigh() {
        assertEquals(Severity.HIGH, m.of("Something New", 0.95));
    }
}
