package io.anomalyze.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Capture options from text: defaults for what is not given, one clear message for what is wrong. */
class CaptureOptionsTest {

    @Test
    void optionsAreParsedWithDefaultsForMissingValues() {
        assertEquals(CaptureOptions.DEFAULTS, CaptureOptions.parse(null, null));
        assertEquals(new CaptureOptions(100, 65536), CaptureOptions.parse(" 100 ", "65536"));
        assertEquals(new CaptureOptions(4096, 1500), CaptureOptions.parse(null, "1500"));
    }

    @Test
    void wrongValuesAreNamed() {
        assertEquals("the reorder window must be a whole number, not \"many\"",
                assertThrows(IllegalArgumentException.class, () -> CaptureOptions.parse("many", null)).getMessage());
        assertEquals("the reorder window must be between 1 and 1048576 packets, not 0",
                assertThrows(IllegalArgumentException.class, () -> CaptureOptions.parse("0", null)).getMessage());
        assertEquals("the packet size limit must be between 64 and 524288 bytes, not 10",
                assertThrows(IllegalArgumentException.class, () -> CaptureOptions.parse(null, "10")).getMessage());
    }
}
