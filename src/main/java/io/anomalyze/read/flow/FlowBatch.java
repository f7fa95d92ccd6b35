package io.anomalyze.read.flow;

/**
 * A reusable block of flow records in primitive arrays: the 78 features row-major as floats
 * (the model's input type), the normalised labels and the line numbers.
 */
public final class FlowBatch {

    public final int capacity;
    /** {@code size * 78} values, row-major, in {@link FlowFeatures#NAMES} order. */
    public final float[] features;
    /** The normalised label (see {@link FlowLabels#normalise}), or null when the file has none. */
    public final String[] label;
    public final long[] line;
    int size;

    public FlowBatch(int capacity) {
        this.capacity = capacity;
        this.features = new float[capacity * FlowFeatures.COUNT];
        this.label = new String[capacity];
        this.line = new long[capacity];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** Feature {@code i} of row {@code row}. */
    public float feature(int row, int i) {
        return features[row * FlowFeatures.COUNT + i];
    }

    /** The row's 78 feature values as text, for display and export. */
    public String[] featureTexts(int row) {
        String[] out = new String[FlowFeatures.COUNT];
        for (int i = 0; i < out.length; i++) {
            out[i] = format(feature(row, i));
        }
        return out;
    }

    /** Whole numbers without a fraction, others in the shortest float form. */
    public static String format(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9f ? Long.toString((long) v) : Float.toString(v);
    }
}
