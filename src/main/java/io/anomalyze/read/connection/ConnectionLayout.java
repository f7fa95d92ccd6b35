package io.anomalyze.read.connection;

import java.util.List;

/**
 * The NSL-KDD / KDD Cup 99 connection-record layout: 41 features, then an optional label and an
 * optional difficulty level. Columns 2 to 4 are symbolic; the other 38 are numbers.
 */
public final class ConnectionLayout {

    public static final List<String> FEATURES = List.of(
            "duration", "protocol_type", "service", "flag", "src_bytes", "dst_bytes", "land",
            "wrong_fragment", "urgent", "hot", "num_failed_logins", "logged_in", "num_compromised",
            "root_shell", "su_attempted", "num_root", "num_file_creations", "num_shells",
            "num_access_files", "num_outbound_cmds", "is_host_login", "is_guest_login", "count",
            "srv_count", "serror_rate", "srv_serror_rate", "rerror_rate", "srv_rerror_rate",
            "same_srv_rate", "diff_srv_rate", "srv_diff_host_rate", "dst_host_count",
            "dst_host_srv_count", "dst_host_same_srv_rate", "dst_host_diff_srv_rate",
            "dst_host_same_src_port_rate", "dst_host_srv_diff_host_rate", "dst_host_serror_rate",
            "dst_host_srv_serror_rate", "dst_host_rerror_rate", "dst_host_srv_rerror_rate");

    public static final int FEATURE_COUNT = 41;
    public static final int PROTOCOL_COLUMN = 1;
    public static final int SERVICE_COLUMN = 2;
    public static final int FLAG_COLUMN = 3;
    public static final int LABEL_COLUMN = 41;
    public static final int DIFFICULTY_COLUMN = 42;

    /** Indices (into {@link #FEATURES}) of the 38 numeric features, in order. */
    public static final int[] NUMERIC_COLUMNS = numericColumns();
    public static final int NUMERIC_COUNT = NUMERIC_COLUMNS.length;

    public static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp");
    public static final String NORMAL_LABEL = "normal";

    private ConnectionLayout() {
    }

    private static int[] numericColumns() {
        int[] cols = new int[FEATURE_COUNT - 3];
        int n = 0;
        for (int c = 0; c < FEATURE_COUNT; c++) {
            if (c != PROTOCOL_COLUMN && c != SERVICE_COLUMN && c != FLAG_COLUMN) {
                cols[n++] = c;
            }
        }
        return cols;
    }

    /** Name of the i-th numeric feature. */
    public static String numericName(int i) {
        return FEATURES.get(NUMERIC_COLUMNS[i]);
    }

    /** A label as the file wrote it, with KDD 99's trailing dot removed; null when blank. */
    public static String normaliseLabel(String raw) {
        String label = raw.strip();
        if (label.endsWith(".")) {
            label = label.substring(0, label.length() - 1);
        }
        return label.isEmpty() ? null : label;
    }

    public static boolean isAttack(String label) {
        return !NORMAL_LABEL.equalsIgnoreCase(label);
    }
}
