package io.eddy.model;

import java.math.BigDecimal;

/** Parsing, range checks, normalisation and the canonical text form of DynamoDB numbers. */
public final class DynamoNumbers {
    private DynamoNumbers() {}

    /** DynamoDB keeps at most this many significant digits. */
    public static final int MAX_SIGNIFICANT_DIGITS = 38;
    /** Largest decimal exponent (of the first significant digit) DynamoDB stores: 9.99…E+125. */
    public static final int MAX_EXPONENT = 125;
    /** Smallest decimal exponent (of the first significant digit) DynamoDB stores: 1E-130. */
    public static final int MIN_EXPONENT = -130;

    /**
     * The number syntax accepted on the wire, {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}: an
     * optional sign, ASCII digits with an optional decimal point (either side may be empty, not
     * both) and an optional exponent. Whitespace, "NaN", "Infinity" and hexadecimal forms are
     * refused, as BigDecimal-based parsing does. Checked a character at a time: every number of
     * every request comes here, and a regex match cost more than the BigDecimal.
     */
    static boolean wellFormed(String text) {
        int i = 0;
        int n = text.length();
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) i++;
        int digits = 0;
        for (; i < n && isDigit(text.charAt(i)); i++) digits++;
        if (i < n && text.charAt(i) == '.') {
            for (i++; i < n && isDigit(text.charAt(i)); i++) digits++;
        }
        if (digits == 0) return false;
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) i++;
            int exponentDigits = 0;
            for (; i < n && isDigit(text.charAt(i)); i++) exponentDigits++;
            if (exponentDigits == 0) return false;
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Parses and range-checks a number as DynamoDB does for an {@code N} value, returning it
     * normalised. Leading and trailing zeros are not significant.
     *
     * @throws DynamoException ValidationException with DynamoDB's message when the text is not a
     *         number, has more than 38 significant digits or is outside 1E-130 .. 9.9…9E+125
     */
    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty()) {
            throw DynamoException.validation(NOT_CONVERTIBLE, NOT_CONVERTIBLE + ": ");
        }
        if (!wellFormed(text)) throw notConvertible(text);
        // Read from the text, before any BigDecimal: one holding a number string of millions of digits
        // (a request may be 16 MB) costs seconds of CPU to build and normalise, and one with an exponent
        // near the int range throws where DynamoDB answers an overflow.
        int i = 0;
        boolean negative = text.charAt(0) == '-';
        if (text.charAt(0) == '-' || text.charAt(0) == '+') i++;
        int mantissaStart = i;
        while (i < text.length() && text.charAt(i) != 'e' && text.charAt(i) != 'E') i++;
        int mantissaEnd = i;
        long exponent = 0;
        if (i < text.length()) {
            try {
                exponent = Long.parseLong(text, i + 1, text.length(), 10);
            } catch (NumberFormatException beyondLong) {
                throw notConvertible(text); // DynamoDB reads the exponent as a 64-bit integer
            }
        }
        int point = text.indexOf('.', mantissaStart);
        if (point < 0 || point > mantissaEnd) point = mantissaEnd;
        int fractionDigits = mantissaEnd - point - (point < mantissaEnd ? 1 : 0);
        try {
            return inRange(text, negative, mantissaStart, mantissaEnd, point, fractionDigits, exponent);
        } catch (DynamoException refusal) {
            // DynamoDB's older request layer (BatchWriteItem, Scan, the transactions, PartiQL) reads numbers
            // with an int exponent and scale, as BigDecimal does: past them, it cannot convert the text at all
            // (1e2147483648, 1e-2147483648; captured 2026-10). The newer layer reads a 64-bit exponent.
            long scale = fractionDigits - exponent;
            if (exponent != (int) exponent || scale != (int) scale) {
                throw DynamoException.validation(NOT_CONVERTIBLE + ": " + text, refusal.currentWording());
            }
            throw refusal;
        }
    }

    /** The number the well-formed {@code text} stands for, refused when outside DynamoDB's range or precision. */
    private static BigDecimal inRange(String text, boolean negative, int mantissaStart, int mantissaEnd, int point,
                                      int fractionDigits, long exponent) {
        int first = -1;
        int last = -1;
        for (int j = mantissaStart; j < mantissaEnd; j++) {
            char c = text.charAt(j);
            if (c == '.' || c == '0') continue;
            if (first < 0) first = j;
            last = j;
        }
        if (first < 0) {
            // Zero is range-checked by the exponent it is written with (0e126 overflows, 0e125 is 0).
            long written = saturatedAdd(exponent, -fractionDigits);
            if (written > MAX_EXPONENT) throw overflow();
            if (written < MIN_EXPONENT) throw underflow();
            return BigDecimal.ZERO;
        }
        // The exponent of the first significant digit, as in scientific notation.
        long firstExponent = saturatedAdd(exponent, first < point ? point - first - 1 : -(first - point));
        if (firstExponent > MAX_EXPONENT) {
            // DynamoDB's older request layer computes precision - scale in 32 bits, so a number past
            // 10^(2^31 - 1) wraps to an underflow there (1e2147483647, captured 2026-10 from BatchWriteItem
            // and PartiQL); the newer layer calls it an overflow.
            if (firstExponent + 1 > Integer.MAX_VALUE) {
                throw DynamoException.validation(UNDERFLOW, OVERFLOW);
            }
            throw overflow();
        }
        if (firstExponent < MIN_EXPONENT) throw underflow();
        StringBuilder significant = new StringBuilder(MAX_SIGNIFICANT_DIGITS + 1);
        for (int j = first; j <= last; j++) {
            char c = text.charAt(j);
            if (c == '.') continue;
            if (significant.length() == MAX_SIGNIFICANT_DIGITS) {
                throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
            }
            significant.append(c);
        }
        java.math.BigInteger unscaled = new java.math.BigInteger(significant.toString());
        return new BigDecimal(negative ? unscaled.negate() : unscaled, (int) (significant.length() - 1 - firstExponent));
    }

    /** {@code a + b}, held at the long range: only its side of the number range matters then. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        return sum;
    }

    /** How DynamoDB's refusal of text that is no number begins. */
    public static final String NOT_CONVERTIBLE = "The parameter cannot be converted to a numeric value";

    private static DynamoException notConvertible(String text) {
        return DynamoException.validation(NOT_CONVERTIBLE + ": " + text);
    }

    /**
     * {@code a + b} as DynamoDB computes it for SET's {@code +} and ADD: exactly, then refused
     * when the result does not fit a DynamoDB number. A result that would need more than 38
     * significant digits (1E+50 + 1) is refused as an overflow: that is the message DynamoDB
     * gives for it, although nothing overflowed.
     *
     * @throws DynamoException "Number overflow…" or "Number underflow…"
     */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return checkResult(a.add(b));
    }

    /** {@code a - b} under the rules of {@link #add}. */
    public static BigDecimal subtract(BigDecimal a, BigDecimal b) {
        return checkResult(a.subtract(b));
    }

    private static BigDecimal checkResult(BigDecimal exact) {
        BigDecimal result = normalize(exact);
        if (result.signum() == 0) return result;
        long exponent = exponentOf(result);
        if (exponent > MAX_EXPONENT || result.precision() > MAX_SIGNIFICANT_DIGITS) throw overflow();
        if (exponent < MIN_EXPONENT) throw underflow();
        return result;
    }

    /** Strips trailing zeros so that numerically equal values are equal objects. */
    public static BigDecimal normalize(BigDecimal value) {
        if (value.signum() == 0) return BigDecimal.ZERO;
        return value.stripTrailingZeros();
    }

    /** The form DynamoDB returns: "100" for 1E+2, "0.001" for 1E-3, "-5" for -5.0. */
    public static String canonical(BigDecimal value) {
        return normalize(value).toPlainString();
    }

    /**
     * The decimal exponent of the first significant digit, as in scientific notation: 2 for 123,
     * -3 for 0.00123. Zero has exponent 0.
     */
    public static long exponentOf(BigDecimal value) {
        if (value.signum() == 0) return 0;
        return (long) value.precision() - value.scale() - 1;
    }

    private static final String OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    private static DynamoException overflow() {
        return DynamoException.validation(OVERFLOW);
    }

    private static DynamoException underflow() {
        return DynamoException.validation(UNDERFLOW);
    }
}
