package io.eddy.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.BinaryValue;
import io.eddy.model.AttributeValue.NumberValue;
import io.eddy.model.AttributeValue.StringValue;
import io.eddy.model.Bytes;

/** Seeded generators of attribute values biased towards the cases that break encodings. */
final class RandomValues {
    private final Random rnd;

    RandomValues(long seed) {
        this.rnd = new Random(seed);
    }

    Random random() {
        return rnd;
    }

    AttributeValue key(AttributeType type) {
        return switch (type) {
            case S -> new StringValue(string());
            case N -> new NumberValue(number());
            case B -> new BinaryValue(Bytes.wrap(bytes()));
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** Code points from ASCII (with NUL), Latin-1, the top of the BMP (above the surrogates) and beyond it. */
    String string() {
        int length = rnd.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) sb.appendCodePoint(codePoint());
        return sb.toString();
    }

    int codePoint() {
        return switch (rnd.nextInt(7)) {
            case 0 -> 0;
            case 1 -> 'a' + rnd.nextInt(3);
            case 2 -> 1 + rnd.nextInt(0x7F);
            case 3 -> 0x80 + rnd.nextInt(0x780);
            case 4 -> 0xE000 + rnd.nextInt(0x2000); // sorts below supplementary in UTF-8, above in UTF-16
            case 5 -> 0x10000 + rnd.nextInt(0x100000); // up to U+10FFFF
            default -> 0x4E00 + rnd.nextInt(0x100);
        };
    }

    byte[] bytes() {
        byte[] b = new byte[rnd.nextInt(8)];
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (rnd.nextInt(5)) {
                case 0 -> 0x00;
                case 1 -> (byte) 0xFF;
                case 2 -> (byte) 0x01;
                case 3 -> (byte) 0x80;
                default -> (byte) rnd.nextInt(256);
            };
        }
        return b;
    }

    /** Numbers across DynamoDB's whole range: 1..38 digits, exponents -130..125, both signs, zero. */
    BigDecimal number() {
        if (rnd.nextInt(20) == 0) return BigDecimal.ZERO;
        int digits = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(38) : 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        sb.append((char) ('1' + rnd.nextInt(9)));
        for (int i = 1; i < digits; i++) sb.append((char) ('0' + (rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(10))));
        int exponent = rnd.nextInt(3) == 0
                ? NumberKeyEncoding.MIN_EXPONENT + rnd.nextInt(NumberKeyEncoding.MAX_EXPONENT - NumberKeyEncoding.MIN_EXPONENT + 1)
                : rnd.nextInt(7) - 3;
        BigDecimal magnitude = new BigDecimal(new BigInteger(sb.toString()), digits - 1 - exponent);
        return rnd.nextBoolean() ? magnitude : magnitude.negate();
    }

    /** A random item-level value of any type, nested up to {@code depth} levels. */
    AttributeValue any(int depth) {
        int kinds = depth > 0 ? 10 : 8;
        return switch (rnd.nextInt(kinds)) {
            case 0 -> key(AttributeType.S);
            case 1 -> key(AttributeType.N);
            case 2 -> key(AttributeType.B);
            case 3 -> {
                Set<String> set = new LinkedHashSet<>();
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) set.add(string());
                yield new AttributeValue.StringSetValue(set);
            }
            case 4 -> {
                Set<BigDecimal> set = new LinkedHashSet<>();
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) set.add(number());
                yield new AttributeValue.NumberSetValue(set);
            }
            case 5 -> {
                Set<Bytes> set = new LinkedHashSet<>();
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) set.add(Bytes.wrap(bytes()));
                yield new AttributeValue.BinarySetValue(set);
            }
            case 6 -> rnd.nextBoolean() ? AttributeValue.BoolValue.TRUE : AttributeValue.BoolValue.FALSE;
            case 7 -> AttributeValue.NullValue.INSTANCE;
            case 8 -> new AttributeValue.MapValue(item(depth - 1));
            default -> {
                List<AttributeValue> list = new ArrayList<>();
                for (int i = 0, n = rnd.nextInt(4); i < n; i++) list.add(any(depth - 1));
                yield new AttributeValue.ListValue(list);
            }
        };
    }

    Map<String, AttributeValue> item(int depth) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0, n = rnd.nextInt(5); i < n; i++) item.put(string(), any(depth));
        return item;
    }
}
