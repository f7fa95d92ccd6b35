package io.anomalyze.report;

/**
 * Writes a number with six significant digits, character for character as
 * {@code String.format(Locale.ROOT, "%.6g", v)} does, at a small fraction of its cost: the
 * verdict CSV writes two such numbers per verdict, and the general-purpose formatter was the
 * largest single cost of scoring a capture to CSV.
 *
 * <p>Like the formatter, it rounds half up the shortest decimal form of the double (the digits
 * of {@link Double#toString(double)}), not its exact binary value; the two differ only where the
 * rest after the sixth digit is next to a half, and only there are those digits computed. It
 * writes plain decimals from 1e-4 up to 1e6 and scientific notation ({@code 1.00000e-05})
 * outside them, and keeps trailing zeros.
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
        char[] digits = new char[PRECISION];
        double magnitude = Math.abs(v);
        int exponent = scaledDigits(magnitude, digits);
        if (exponent == TOO_CLOSE) {
            exponent = roundedDigits(Double.toString(magnitude), digits);
        }
        if (exponent < -4 || exponent >= PRECISION) {
            out.append(digits[0]).append('.').append(digits, 1, PRECISION - 1).append('e');
            out.append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) {
                out.append('0');
            }
            return out.append(e).toString();
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

    private static final int TOO_CLOSE = Integer.MIN_VALUE;
    private static final int MAX_POWER = 310;
    /** 10^k for k from -310 to 310, each the double nearest to it. */
    private static final double[] POWERS_OF_TEN = new double[2 * MAX_POWER + 1];

    static {
        for (int k = -MAX_POWER; k <= MAX_POWER; k++) {
            POWERS_OF_TEN[k + MAX_POWER] = Double.parseDouble("1e" + k);
        }
    }

    /**
     * The six digits of a positive number by scaling it to [100000, 1000000) in binary, which is
     * exact to within a few parts in 10^16: enough to round unless the rest after the sixth digit
     * is within 10^-6 of a half, where only the decimal digits can decide.
     *
     * @return the decimal exponent as {@link #roundedDigits} gives it, or {@link #TOO_CLOSE}
     */
    private static int scaledDigits(double magnitude, char[] digits) {
        if (magnitude < 1e-300 || magnitude > 1e300) {
            return TOO_CLOSE;
        }
        int exponent = (int) Math.floor(Math.log10(magnitude));
        double scaled = magnitude * POWERS_OF_TEN[PRECISION - 1 - exponent + MAX_POWER];
        // log10 can be one off next to a power of ten.
        if (scaled < 100_000) {
            exponent--;
            scaled = magnitude * POWERS_OF_TEN[PRECISION - 1 - exponent + MAX_POWER];
        } else if (scaled >= 1_000_000) {
            exponent++;
            scaled = magnitude * POWERS_OF_TEN[PRECISION - 1 - exponent + MAX_POWER];
        }
        if (scaled < 100_000 || scaled >= 1_000_000) {
            return TOO_CLOSE;
        }
        double whole = Math.floor(scaled);
        double rest = scaled - whole;
        if (Math.abs(rest - 0.5) < 1e-6) {
            return TOO_CLOSE;
        }
        long n = (long) whole + (rest > 0.5 ? 1 : 0);
        if (n == 1_000_000) {
            n = 100_000;
            exponent++;
        }
        for (int i = PRECISION - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + n % 10);
            n /= 10;
        }
        return exponent;
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
