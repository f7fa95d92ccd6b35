package io.anomalyze.read.flow;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 15 CICIDS2017 classes and the normalisation of the labels files actually carry.
 *
 * <p>Labels are compared on a key of their letters and digits only, lower-cased, so every
 * dash ({@code -}, U+2013, the Windows-1252 dash U+0096, or one lost in a bad re-encoding),
 * every case and any spacing give the same class: {@code "Web Attack  Sql Injection"},
 * {@code "Web Attack - SQL Injection"} and {@code "Web Attack – Sql Injection"} are one class.
 * The improved CICIDS2017 names map as {@code Portscan} → PortScan, {@code Botnet} → Bot,
 * {@code DoS Slowloris} → DoS slowloris.
 *
 * <p>{@code Infiltration - Portscan} becomes <b>PortScan</b>: those flows are the port scan
 * that the infiltrated host ran against the internal network, and nothing in a flow's 78
 * features says which host was compromised, so as flows they are port scans. Keeping them
 * under Infiltration would teach the model that one kind of flow is two classes.
 * {@code Infiltration} alone stays Infiltration.
 */
public final class FlowLabels {

    public static final String BENIGN = "BENIGN";

    /** The canonical classes, in model output order. */
    public static final List<String> CLASSES = List.of(
            BENIGN, "Bot", "DDoS", "DoS GoldenEye", "DoS Hulk", "DoS Slowhttptest", "DoS slowloris",
            "FTP-Patator", "Heartbleed", "Infiltration", "PortScan", "SSH-Patator",
            "Web Attack \u2013 Brute Force", "Web Attack \u2013 Sql Injection", "Web Attack \u2013 XSS");

    public static final int COUNT = 15;

    private static final Map<String, String> BY_KEY = buildLookup();

    private FlowLabels() {
    }

    private static Map<String, String> buildLookup() {
        Map<String, String> map = new HashMap<>();
        for (String c : CLASSES) {
            map.put(key(c), c);
        }
        map.put(key("Botnet"), "Bot");
        map.put(key("Infiltration - Portscan"), "PortScan");
        map.put(key("Port Scan"), "PortScan");
        return Map.copyOf(map);
    }

    static String key(String label) {
        StringBuilder sb = new StringBuilder(label.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /** The canonical class of a label in any spelling, or null when it is none of the 15. */
    public static String canonical(String label) {
        if (label == null) {
            return null;
        }
        return BY_KEY.get(key(label));
    }

    /**
     * The label to keep for a record: its canonical class when it has one, else the file's text
     * trimmed (so evaluation can still count it as an attack); null for a blank label.
     */
    public static String normalise(String label) {
        if (label == null) {
            return null;
        }
        String canonical = canonical(label);
        if (canonical != null) {
            return canonical;
        }
        String trimmed = label.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Index of a canonical class in {@link #CLASSES}, or -1. */
    public static int indexOf(String label) {
        String c = canonical(label);
        return c == null ? -1 : CLASSES.indexOf(c);
    }

    /** True when the label names benign traffic (any case). */
    public static boolean isBenign(String label) {
        return label != null && BENIGN.equals(canonical(label));
    }
}
