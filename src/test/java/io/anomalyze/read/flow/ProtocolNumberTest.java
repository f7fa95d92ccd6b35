package io.anomalyze.read.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProtocolNumberTest {

    @Test
    void namesInAnyCaseAndNumbersMapToTheirIanaNumbers() {
        assertEquals(6, FlowBatch.protocolNumber("tcp"));
        assertEquals(6, FlowBatch.protocolNumber(" TCP "));
        assertEquals(17, FlowBatch.protocolNumber("udp"));
        assertEquals(17, FlowBatch.protocolNumber("Udp"));
        assertEquals(1, FlowBatch.protocolNumber("icmp"));
        assertEquals(58, FlowBatch.protocolNumber("icmpv6"));
        assertEquals(58, FlowBatch.protocolNumber("IPv6-ICMP"));
        assertEquals(47, FlowBatch.protocolNumber("47"));
        assertEquals(0, FlowBatch.protocolNumber(" 0"));
        assertEquals(255, FlowBatch.protocolNumber("255"));
    }

    @Test
    void anythingElseIsUnknown() {
        for (String text : new String[] {"", "sctp", "256", "-1", "6.0", "tcp6"}) {
            assertEquals(FlowBatch.UNKNOWN, FlowBatch.protocolNumber(text), text);
        }
    }
}
