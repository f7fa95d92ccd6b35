package io.anomalyze.capture.flow;

/**
 * Count, sum, minimum, maximum, mean and sample variance of a stream of values, kept in a few
 * doubles instead of a list of values. The mean and second moment are updated the way Apache
 * Commons Math's {@code SummaryStatistics} updates them (which CICFlowMeter uses), so means and
 * standard deviations agree with CICFlowMeter's to the last bits, not just approximately.
 */
final class RunningStats {

    long n;
    double sum;
    double min;
    double max;
    /** Running mean, updated incrementally rather than computed as sum / n. */
    private double mean;
    /** Sum of squared deviations from the running mean. */
    private double m2;

    void reset() {
        n = 0;
        sum = 0;
        min = 0;
        max = 0;
        mean = 0;
        m2 = 0;
    }

    void add(double x) {
        n++;
        sum += x;
        if (n == 1) {
            min = x;
            max = x;
        } else {
            if (x < min) {
                min = x;
            }
            if (x > max) {
                max = x;
            }
        }
        double dev = x - mean;
        double nDev = dev / n;
        mean += nDev;
        m2 += (n - 1) * dev * nDev;
    }

    /** The mean, or 0 without values. */
    double mean() {
        return n == 0 ? 0 : mean;
    }

    /** The sample variance (divided by n - 1), 0 for fewer than two values. */
    double variance() {
        return n < 2 ? 0 : m2 / (n - 1);
    }

    /** The sample standard deviation, 0 for fewer than two values. */
    double std() {
        return n < 2 ? 0 : Math.sqrt(variance());
    }

    double minOrZero() {
        return n == 0 ? 0 : min;
    }

    double maxOrZero() {
        return n == 0 ? 0 : max;
    }
}
