package io.anomalyze.report;

/**
 * Writes a number with six significant digits, character for character as
 * {@code String.format(Locale.ROOT, "%.6g", v)} does, at a small fraction of its cost: the
 * verdict CSV writes two such numbers per verdict, and the general-purpose formatter was the
 * largest single cost of scoring a capture to CSV.
 *
 * <p>Like the formatter, it rounds half up the shortest decimal form of the double (the digits
 * of {@link Double#toString(double)}), not its exact binary value, writes plain decimals from
 * 1e-4 up to 1e6 and scientific notation ({@code 1.00000e-05}) outside them, and keeps trailing
 * zeros.
 */
public final class SixDigits {

    private static final int PRECISION = 6;

    private SixDigits() {
    }

    /** {@code v} as {@code %.6g} writes it; NaN and the infinities as the formatter writes them. */
    public static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        StringBuilder out = new StringBuilder(16);
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        if (negative) {
            out.append('-');
        }
        if (v == 0) {
            return out.append("0.00000").toString();
        }
        char[] digits = new char[PRECISION + 1];
        int exponent = roundedDigits(Double.toString(Math.abs(v)), digits);
        if (exponent < -4 || exponent >= PRECISION) {
            out.append(digits[0]).append('.').append(digits, 1, PRECISION - 1).append('e');
            out.append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            return out.append(magnitude).toString();
        }
        if (exponent < 0) {
            out.append("0.");
            for (int i = -1; i > exponent; i--) {
                out.append('0');
            }
            return out.append(digits, 0, PRECISION).toString();
        }
        out.append(digits, 0, exponent + 1);
        if (exponent + 1 < PRECISION) {
            out.append('.').append(digits, exponent + 1, PRECISION - exponent - 1);
        }
        return out.toString();
    }

    /**
     * Puts the first six significant digits of a positive number written by
     * {@code Double.toString}, rounded half up on the seventh, into {@code digits}.
     *
     * @return the decimal exponent of the first digit after rounding (so the value is
     *         {@code d.ddddd * 10^exponent})
     */
    private static int roundedDigits(String text, char[] digits) {
        int e = text.indexOf('E');
        int end = e < 0 ? text.length() : e;
        int exponent = e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10);
        int point = text.indexOf('.');
        // The exponent of the first digit before the point, then moved to the first non-zero digit.
        exponent += (point < 0 ? end : point) - 1;
        int n = 0;
        char next = '0';
        boolean leading = true;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                continue;
            }
            if (leading) {
                if (c == '0') {
                    exponent--;
                    continue;
                }
                leading = false;
            }
            if (n < PRECISION) {
                digits[n++] = c;
            } else {
                next = c;
                break;
            }
        }
        while (n < PRECISION) {
            digits[n++] = '0';
        }
        if (next >= '5') {
            int i = PRECISION - 1;
            while (i >= 0 && digits[i] == '9') {
                digits[i--] = '0';
            }
            if (i < 0) {
                digits[0] = '1';
                exponent++;
            } else {
                digits[i]++;
            }
        }
        return exponent;
    }
}
