package io.anomalyze.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number and date formatting for pages, available to templates as {@code fmt}. */
public final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", fraction * 100) : "n/a";
    }

    public String metric(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    public String score(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    public String seconds(Double s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.2f s", s);
    }

    public String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1073741824.0);
    }

    public String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    /** Lower-case CSS class name of a severity label. */
    public String css(String label) {
        return label == null ? "" : label.toLowerCase(Locale.ROOT);
    }
}
