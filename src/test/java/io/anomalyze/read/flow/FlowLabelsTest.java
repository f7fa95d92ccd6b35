package io.anomalyze.read.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlowLabelsTest {

    private static final String SQL = "Web Attack \u2013 Sql Injection";

    @Test
    void fifteenCanonicalClasses() {
        assertEquals(15, FlowLabels.CLASSES.size());
        for (String c : FlowLabels.CLASSES) {
            assertEquals(c, FlowLabels.canonical(c));
        }
    }

    @Test
    void anyDashAndAnyCaseGiveTheSameWebAttackClass() {
        assertEquals(SQL, FlowLabels.canonical("Web Attack \u0096 Sql Injection"));
        assertEquals(SQL, FlowLabels.canonical("Web Attack \u2013 Sql Injection"));
        assertEquals(SQL, FlowLabels.canonical("Web Attack - SQL Injection"));
        assertEquals(SQL, FlowLabels.canonical("web attack \uFFFD sql injection"));
        assertEquals("Web Attack \u2013 XSS", FlowLabels.canonical("WEB ATTACK-XSS"));
        assertEquals("Web Attack \u2013 Brute Force", FlowLabels.canonical("Web Attack \u2014 Brute Force"));
    }

    @Test
    void improvedReleaseNames() {
        assertEquals("PortScan", FlowLabels.canonical("Portscan"));
        assertEquals("Bot", FlowLabels.canonical("Botnet"));
        assertEquals("DoS slowloris", FlowLabels.canonical("DoS Slowloris"));
        assertEquals("BENIGN", FlowLabels.canonical("benign"));
        assertEquals("FTP-Patator", FlowLabels.canonical("FTP-Patator"));
    }

    @Test
    void infiltrationPortscanIsPortScanButInfiltrationStaysInfiltration() {
        assertEquals("PortScan", FlowLabels.canonical("Infiltration - Portscan"));
        assertEquals("PortScan", FlowLabels.canonical("Infiltration \u2013 PortScan"));
        assertEquals("Infiltration", FlowLabels.canonical("Infiltration"));
    }

    @Test
    void unknownLabelsKeepTheirTextAndAreNoClass() {
        assertNull(FlowLabels.canonical("FTP-Patator - Attempted"));
        assertEquals("FTP-Patator - Attempted", FlowLabels.normalise("  FTP-Patator - Attempted "));
        assertNull(FlowLabels.normalise("   "));
        assertEquals(-1, FlowLabels.indexOf("Something else"));
        assertEquals(10, FlowLabels.indexOf("portscan"));
    }

    @Test
    void benign() {
        assertTrue(FlowLabels.isBenign("BENIGN"));
        assertTrue(FlowLabels.isBenign(" Benign "));
        assertFalse(FlowLabels.isBenign("DDoS"));
        assertFalse(FlowLabels.isBenign(null));
    }
}
