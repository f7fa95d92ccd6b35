package io.anomalyze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Options that fall back on their environment variable, as serve, stream and flows read them. */
class ArgumentsTest {

    private static Arguments args(String... a) {
        return new Arguments(a, 0, Set.of("batch-size", "input-topic"), Set.of());
    }

    @Test
    void theFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of("ANOMALYZE_BATCH_SIZE", " 300 ", "ANOMALYZE_INPUT_TOPIC", "  ");
        assertEquals(12, args("--batch-size", "12").number(env, "batch-size", 4096, 1, 4096));
        assertEquals(300, args().number(env, "batch-size", 4096, 1, 4096));
        assertEquals(4096, args().number(Map.of(), "batch-size", 4096, 1, 4096));
        assertEquals("fallback", args().option(env, "input-topic", "fallback"), "a blank variable counts as absent");
    }

    @Test
    void badNumbersAndMissingOptionsNameTheFlagAndItsVariable() {
        UsageException word = assertThrows(UsageException.class,
                () -> args("--batch-size=many").number(Map.of(), "batch-size", 1, 1, 4096));
        assertEquals("--batch-size (ANOMALYZE_BATCH_SIZE) must be a whole number, not \"many\"", word.getMessage());
        UsageException range = assertThrows(UsageException.class,
                () -> args().number(Map.of("ANOMALYZE_BATCH_SIZE", "5000"), "batch-size", 1, 1, 4096));
        assertEquals("--batch-size (ANOMALYZE_BATCH_SIZE) must be between 1 and 4096", range.getMessage());
        UsageException missing = assertThrows(UsageException.class, () -> args().required(Map.of(), "input-topic"));
        assertEquals("missing --input-topic (or ANOMALYZE_INPUT_TOPIC)", missing.getMessage());
    }
}
