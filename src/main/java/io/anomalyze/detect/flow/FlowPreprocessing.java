package io.anomalyze.detect.flow;

/**
 * The input transform fitted on training data: signed log1p, {@code sign(x) * ln(1 + |x|)},
 * which tames features spanning nine orders of magnitude (durations, byte rates) and keeps
 * the sign of {@code -1} "none" markers, then standardisation with the training mean and
 * standard deviation. Computed in float, step by step, exactly as the ONNX graph does it, so
 * the Java forward pass and ONNX Runtime agree.
 *
 * @param mean per feature, of the log-transformed training values
 * @param std  per feature, never below {@link #MIN_STD} (constant features divide by 1)
 */
public record FlowPreprocessing(float[] mean, float[] std) {

    /** Below this spread a feature is treated as constant. */
    public static final float MIN_STD = 1e-6f;

    /** Signed log1p of one value, in float as the graph computes it. */
    public static float signedLog1p(float x) {
        if (x == 0) {
            return x; // most flow features of most flows are zero; the sign of zero is kept as below
        }
        float l = (float) Math.log(Math.abs(x) + 1f);
        return Math.signum(x) * l;
    }

    /** Fits mean and spread of the signed-log1p values of the given rows. */
    public static FlowPreprocessing fit(float[] raw, int[] rows, int width) {
        double[] sum = new double[width];
        double[] sq = new double[width];
        for (int r : rows) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                double t = signedLog1p(raw[base + j]);
                sum[j] += t;
                sq[j] += t * t;
            }
        }
        float[] mean = new float[width];
        float[] std = new float[width];
        for (int j = 0; j < width; j++) {
            double m = sum[j] / rows.length;
            double var = Math.max(0, sq[j] / rows.length - m * m);
            mean[j] = (float) m;
            double s = Math.sqrt(var);
            std[j] = s < MIN_STD ? 1f : (float) s;
        }
        return new FlowPreprocessing(mean, std);
    }

    /** Transforms {@code rows} rows of raw features into {@code out}, both row-major. */
    public void apply(float[] raw, int rows, float[] out) {
        int width = mean.length;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                out[base + j] = (signedLog1p(raw[base + j]) - mean[j]) / std[j];
            }
        }
    }
}
