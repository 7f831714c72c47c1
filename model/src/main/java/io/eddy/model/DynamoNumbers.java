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
            throw DynamoException.validation("The parameter cannot be converted to a numeric value");
        }
        if (!wellFormed(text)) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException exponentBeyondInt) {
            // Only an exponent outside the int range gets here; the digits decide zero vs. out of range.
            return hugeExponent(text);
        }
        if (value.signum() == 0) return BigDecimal.ZERO;
        BigDecimal normalized = value.stripTrailingZeros();
        long exponent = exponentOf(normalized);
        if (exponent > MAX_EXPONENT) throw overflow();
        if (exponent < MIN_EXPONENT) throw underflow();
        if (normalized.precision() > MAX_SIGNIFICANT_DIGITS) {
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        return normalized;
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

    private static BigDecimal hugeExponent(String text) {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        String mantissa = text.substring(0, e);
        if (new BigDecimal(mantissa).signum() == 0) return BigDecimal.ZERO;
        if (text.charAt(e + 1) == '-') throw underflow();
        throw overflow();
    }

    private static DynamoException overflow() {
        return DynamoException.validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }

    private static DynamoException underflow() {
        return DynamoException.validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }
}
