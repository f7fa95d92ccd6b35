package io.anomalyze.read;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares one String per distinct symbolic value (services, flags, labels) while a file is read:
 * millions of records repeat a few dozen values. Bounded, so a file of ever-new values cannot
 * grow it without limit; past the bound values are simply not shared.
 */
public final class InternedStrings {

    private static final int MAX_VALUES = 10_000;

    private final Map<String, String> values = new HashMap<>();

    public String intern(String s) {
        if (values.size() >= MAX_VALUES) {
            String known = values.get(s);
            return known != null ? known : s;
        }
        return values.computeIfAbsent(s, k -> k);
    }
}
