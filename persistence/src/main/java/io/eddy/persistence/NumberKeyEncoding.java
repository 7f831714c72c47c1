package io.eddy.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;

import io.eddy.model.AttributeValue.NumberValue;

/**
 * The order-preserving encoding of a DynamoDB number, used by {@link KeyEncoding}.
 *
 * <pre>
 *   zero:     [0x02]
 *   positive: [0x03] [exponent + 130] [digit pair + 1]... [0x00]
 *   negative: [0x01] then the positive form of |v| with every byte complemented
 * </pre>
 *
 * A nonzero value is written d1.d2d3... x 10^exponent with d1 != 0 (DynamoDB's range gives
 * exponents -130..125, so the biased exponent fits one byte). Digits are packed two per byte
 * (the last pair padded with a 0) as 1..100, and end with 0x00, smaller than any digit byte:
 * a shorter mantissa is a prefix of a longer one and must sort first. For negatives the
 * complement reverses that order, and the terminator becomes 0xFF. Values are normalised
 * (no trailing zeros), so 1, 1.0 and 1E0 have one encoding.
 */
final class NumberKeyEncoding {
    static final byte NEGATIVE = 0x01;
    static final byte ZERO = 0x02;
    static final byte POSITIVE = 0x03;

    static final int MIN_EXPONENT = -130;
    static final int MAX_EXPONENT = 125;

    private static final int TERMINATOR = 0x00;

    private NumberKeyEncoding() {}

    static byte[] encode(BigDecimal value) {
        int sign = value.signum();
        if (sign == 0) return new byte[] {ZERO};
        BigDecimal magnitude = value.abs().stripTrailingZeros();
        String digits = magnitude.unscaledValue().toString();
        int exponent = magnitude.precision() - magnitude.scale() - 1;
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            throw new IllegalArgumentException("number out of DynamoDB's range for a key: " + value);
        }
        int pairs = (digits.length() + 1) / 2;
        byte[] out = new byte[1 + 1 + pairs + 1];
        out[0] = sign > 0 ? POSITIVE : NEGATIVE;
        out[1] = (byte) (exponent - MIN_EXPONENT);
        for (int i = 0; i < pairs; i++) {
            int hi = digits.charAt(2 * i) - '0';
            int lo = 2 * i + 1 < digits.length() ? digits.charAt(2 * i + 1) - '0' : 0;
            out[2 + i] = (byte) (hi * 10 + lo + 1);
        }
        out[out.length - 1] = TERMINATOR;
        if (sign < 0) {
            for (int i = 1; i < out.length; i++) out[i] = (byte) ~out[i];
        }
        return out;
    }

    static KeyEncoding.Decoded decode(byte[] buf, int offset) {
        byte header = at(buf, offset);
        if (header == ZERO) return new KeyEncoding.Decoded(new NumberValue(BigDecimal.ZERO), offset + 1);
        if (header != POSITIVE && header != NEGATIVE) throw corrupt(offset);
        int flip = header == NEGATIVE ? 0xFF : 0x00;
        int exponent = ((at(buf, offset + 1) ^ flip) & 0xFF) + MIN_EXPONENT;
        StringBuilder digits = new StringBuilder(40);
        int pos = offset + 2;
        while (true) {
            int b = (at(buf, pos++) ^ flip) & 0xFF;
            if (b == TERMINATOR) break;
            int pair = b - 1;
            if (pair > 99) throw corrupt(pos - 1);
            digits.append((char) ('0' + pair / 10)).append((char) ('0' + pair % 10));
        }
        if (digits.length() == 0 || digits.charAt(0) == '0') throw corrupt(offset);
        BigDecimal magnitude = new BigDecimal(new BigInteger(digits.toString()), digits.length() - 1 - exponent);
        BigDecimal value = header == NEGATIVE ? magnitude.negate() : magnitude;
        return new KeyEncoding.Decoded(new NumberValue(value), pos);
    }

    private static byte at(byte[] buf, int i) {
        if (i >= buf.length) throw new IllegalArgumentException("truncated number key encoding");
        return buf[i];
    }

    private static IllegalArgumentException corrupt(int offset) {
        return new IllegalArgumentException("corrupt number key encoding at offset " + offset);
    }
}
