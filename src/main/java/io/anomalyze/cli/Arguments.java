package io.anomalyze.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --name value}, {@code --name=value} and {@code --flag} options and positional
 * arguments against the options a command declares, so that a typo is an error, not a silent
 * default.
 */
public final class Arguments {

    private final Map<String, List<String>> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final boolean help;

    /**
     * @param valued options that take a value (may repeat)
     * @param flags  options that take no value
     */
    public Arguments(String[] args, int from, Set<String> valued, Set<String> flags) {
        boolean helpSeen = false;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                helpSeen = true;
                continue;
            }
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                positional.add(a);
            }
        }
        this.help = helpSeen;
    }

    public boolean help() {
        return help;
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public String value(String name, String fallback) {
        List<String> v = options.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    public String required(String name) {
        String v = value(name, null);
        if (v == null) {
            throw new UsageException("missing --" + name);
        }
        return v;
    }

    public List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    public long longValue(String name, long fallback) {
        String v = value(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not \"" + v + "\"");
        }
    }

    public List<String> positional() {
        return positional;
    }

    /** The environment variable that stands for an option: {@code ANOMALYZE_} and its name in capitals. */
    public static String envName(String option) {
        return "ANOMALYZE_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The option's value, else its environment variable's ({@link #envName}), else {@code fallback}; blank counts as absent. */
    public String option(Map<String, String> env, String name, String fallback) {
        String v = value(name, null);
        if (v == null) {
            v = env.get(envName(name));
        }
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    /** The option's value or its environment variable's; a usage error naming both when neither is given. */
    public String required(Map<String, String> env, String name) {
        String v = option(env, name, null);
        if (v == null) {
            throw new UsageException("missing --" + name + " (or " + envName(name) + ")");
        }
        return v;
    }

    /**
     * A whole number from the option or its environment variable, {@code fallback} when neither is
     * given; a usage error naming both when it is not a number or not within {@code min..max}.
     */
    public long number(Map<String, String> env, String name, long fallback, long min, long max) {
        String text = option(env, name, null);
        if (text == null) {
            return fallback;
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " (" + envName(name) + ") must be a whole number, not \"" + text + "\"");
        }
        if (v < min || v > max) {
            throw new UsageException("--" + name + " (" + envName(name) + ") must be between " + min + " and " + max);
        }
        return v;
    }
}
