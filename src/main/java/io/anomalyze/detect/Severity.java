package io.anomalyze.detect;

/** How bad a verdict is, from harmless to act-now. */
public enum Severity {
    NORMAL("Normal"), LOW("Low"), MEDIUM("Medium"), HIGH("High"), CRITICAL("Critical");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** The name shown to users and used as the key in JSON. */
    public String label() {
        return label;
    }

    /** Parses a label case-insensitively; null when it names no severity. */
    public static Severity fromLabel(String text) {
        for (Severity s : values()) {
            if (s.label.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        return null;
    }
}
