package io.anomalyze.read.connection;

/**
 * A reusable block of connection records kept in primitive arrays: numeric features row-major
 * in {@link #numeric}, symbolic ones and labels as (shared, interned) strings.
 */
public final class ConnectionBatch {

    public final int capacity;
    /** {@code size * NUMERIC_COUNT} values, row-major. */
    public final double[] numeric;
    public final String[] protocol;
    public final String[] service;
    public final String[] flag;
    /** The file's own label, or null when the file has none. */
    public final String[] label;
    public final long[] line;
    int size;

    public ConnectionBatch(int capacity) {
        this.capacity = capacity;
        this.numeric = new double[capacity * ConnectionLayout.NUMERIC_COUNT];
        this.protocol = new String[capacity];
        this.service = new String[capacity];
        this.flag = new String[capacity];
        this.label = new String[capacity];
        this.line = new long[capacity];
    }

    public int size() {
        return size;
    }

    /** Appends every row of {@code other}; capacity must suffice. */
    public void appendAll(ConnectionBatch other) {
        int n = other.size;
        System.arraycopy(other.numeric, 0, numeric, size * ConnectionLayout.NUMERIC_COUNT, n * ConnectionLayout.NUMERIC_COUNT);
        System.arraycopy(other.protocol, 0, protocol, size, n);
        System.arraycopy(other.service, 0, service, size, n);
        System.arraycopy(other.flag, 0, flag, size, n);
        System.arraycopy(other.label, 0, label, size, n);
        System.arraycopy(other.line, 0, line, size, n);
        size += n;
    }

    public void clear() {
        size = 0;
    }

    /** The numeric feature {@code i} of row {@code row}. */
    public double numeric(int row, int i) {
        return numeric[row * ConnectionLayout.NUMERIC_COUNT + i];
    }

    /** The row's 41 feature values as text, in layout order, for display and export. */
    public String[] featureTexts(int row) {
        String[] out = new String[ConnectionLayout.FEATURE_COUNT];
        int n = 0;
        for (int c = 0; c < ConnectionLayout.FEATURE_COUNT; c++) {
            out[c] = switch (c) {
                case ConnectionLayout.PROTOCOL_COLUMN -> protocol[row];
                case ConnectionLayout.SERVICE_COLUMN -> service[row];
                case ConnectionLayout.FLAG_COLUMN -> flag[row];
                default -> formatNumber(numeric(row, n++));
            };
        }
        return out;
    }

    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            // Counts are mostly small: their texts are made once.
            return v >= 0 && v < SMALL_COUNT_TEXT.length ? SMALL_COUNT_TEXT[(int) v] : Long.toString((long) v);
        }
        // The rate features are hundredths; their texts are made once (Double.toString is slow).
        double hundredths = Math.rint(v * 100);
        if (hundredths > 0 && hundredths < 100) {
            int k = (int) hundredths;
            if (HUNDREDTHS[k] == v) {
                return HUNDREDTHS_TEXT[k];
            }
        }
        return Double.toString(v);
    }

    private static final double[] HUNDREDTHS = new double[100];
    private static final String[] HUNDREDTHS_TEXT = new String[100];

    private static final String[] SMALL_COUNT_TEXT = new String[1024];

    static {
        for (int k = 0; k < SMALL_COUNT_TEXT.length; k++) {
            SMALL_COUNT_TEXT[k] = Long.toString(k);
        }
        for (int k = 0; k < 100; k++) {
            HUNDREDTHS[k] = k / 100.0;
            HUNDREDTHS_TEXT[k] = Double.toString(HUNDREDTHS[k]);
        }
    }
}
