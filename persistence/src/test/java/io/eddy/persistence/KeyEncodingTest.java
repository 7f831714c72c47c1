package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.NumberValue;
import io.eddy.model.AttributeValue.StringValue;

class KeyEncodingTest {
    private static final int PAIRS = 30_000;

    @ParameterizedTest
    @EnumSource(value = AttributeType.class, names = {"S", "N", "B"})
    void byteOrderOfEncodingsIsDynamoOrder(AttributeType type) {
        RandomValues values = new RandomValues(42 + type.ordinal());
        for (int i = 0; i < PAIRS; i++) {
            AttributeValue a = values.key(type);
            AttributeValue b = i % 5 == 0 ? a : values.key(type);
            int expected = Integer.signum(DynamoOrder.compare(a, b));
            int actual = Integer.signum(Arrays.compareUnsigned(KeyEncoding.encode(a), KeyEncoding.encode(b)));
            assertEquals(expected, actual, () -> a + " vs " + b);
        }
    }

    @ParameterizedTest
    @EnumSource(value = AttributeType.class, names = {"S", "N", "B"})
    void sortingByEncodingSortsInDynamoOrder(AttributeType type) {
        RandomValues values = new RandomValues(7 + type.ordinal());
        List<AttributeValue> list = new ArrayList<>();
        for (int i = 0; i < 3000; i++) list.add(values.key(type));
        List<AttributeValue> byEncoding = new ArrayList<>(list);
        byEncoding.sort(Comparator.comparing(KeyEncoding::encode, Arrays::compareUnsigned));
        List<AttributeValue> byDynamo = new ArrayList<>(list);
        byDynamo.sort(DynamoOrder.KEY_VALUES);
        for (int i = 0; i < list.size(); i++) {
            assertEquals(0, DynamoOrder.compare(byDynamo.get(i), byEncoding.get(i)), "position " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = AttributeType.class, names = {"S", "N", "B"})
    void decodeInvertsEncodeAndReportsTheNextOffset(AttributeType type) {
        RandomValues values = new RandomValues(99 + type.ordinal());
        for (int i = 0; i < 10_000; i++) {
            AttributeValue v = values.key(type);
            byte[] encoded = KeyEncoding.encode(v);
            byte[] padded = KeyEncoding.concat(new byte[] {9, 9}, KeyEncoding.concat(encoded, new byte[] {0, 0x7F}));
            KeyEncoding.Decoded decoded = KeyEncoding.decode(type, padded, 2);
            assertEquals(v, decoded.value());
            assertEquals(2 + encoded.length, decoded.nextOffset());
        }
    }

    @ParameterizedTest
    @EnumSource(value = AttributeType.class, names = {"S", "N", "B"})
    void noEncodingIsAProperPrefixOfAnother(AttributeType type) {
        RandomValues values = new RandomValues(5 + type.ordinal());
        List<byte[]> encodings = new ArrayList<>();
        for (int i = 0; i < 2000; i++) encodings.add(KeyEncoding.encode(values.key(type)));
        encodings.sort(Arrays::compareUnsigned);
        // a prefix sorts immediately before the keys it prefixes, so neighbours suffice
        for (int i = 1; i < encodings.size(); i++) {
            byte[] a = encodings.get(i - 1), b = encodings.get(i);
            if (Arrays.equals(a, b)) continue;
            assertFalse(a.length < b.length && Arrays.equals(a, 0, a.length, b, 0, a.length),
                    () -> Arrays.toString(a) + " prefixes " + Arrays.toString(b));
        }
    }

    @Test
    void compositeKeysOrderByPartitionKeyThenSortKey() {
        AttributeType[] types = {AttributeType.S, AttributeType.N, AttributeType.B};
        RandomValues values = new RandomValues(2024);
        for (AttributeType pkType : types) {
            for (AttributeType skType : types) {
                // small pools, so that equal partition keys (and prefixes of each other) are common
                List<AttributeValue> pks = new ArrayList<>(), sks = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    pks.add(values.key(pkType));
                    sks.add(values.key(skType));
                }
                for (int i = 0; i < 5000; i++) {
                    AttributeValue pk1 = pick(values, pks), pk2 = pick(values, pks);
                    AttributeValue sk1 = pick(values, sks), sk2 = pick(values, sks);
                    int expected = DynamoOrder.compare(pk1, pk2);
                    if (expected == 0) expected = DynamoOrder.compare(sk1, sk2);
                    byte[] k1 = KeyEncoding.encodeKey(pk1, Optional.of(sk1));
                    byte[] k2 = KeyEncoding.encodeKey(pk2, Optional.of(sk2));
                    assertEquals(Integer.signum(expected), Integer.signum(Arrays.compareUnsigned(k1, k2)),
                            () -> "(" + pk1 + ", " + sk1 + ") vs (" + pk2 + ", " + sk2 + ")");

                    KeyEncoding.Decoded pk = KeyEncoding.decode(pkType, k1, 0);
                    KeyEncoding.Decoded sk = KeyEncoding.decode(skType, k1, pk.nextOffset());
                    assertEquals(pk1, pk.value());
                    assertEquals(sk1, sk.value());
                    assertEquals(k1.length, sk.nextOffset());
                }
            }
        }
    }

    private static AttributeValue pick(RandomValues values, List<AttributeValue> pool) {
        return pool.get(values.random().nextInt(pool.size()));
    }

    @Test
    void stringsOrderByUtf8BytesNotByUtf16Chars() {
        String bmpTop = "\uFFFD";                 // U+FFFD, UTF-8 EF BF BD
        String supplementary = "\uD83D\uDE00";   // U+1F600, UTF-8 F0 9F 98 80, UTF-16 D83D DE00
        assertTrue(supplementary.compareTo(bmpTop) < 0, "Java's String order is UTF-16 order");
        assertTrue(compare(s(bmpTop), s(supplementary)) < 0, "DynamoDB's is UTF-8 order");
    }

    @Test
    void shorterStringsAndEmbeddedNulsOrderCorrectly() {
        List<String> ascending = List.of("", "\u0000", "\u0000\u0000", "\u0001", "a", "a\u0000", "a\u0000\u0000",
                "a\u0000b", "a\u0001", "aa", "ab", "b", "\u00e9", "\uFFFF", "\uD800\uDC00");
        for (int i = 1; i < ascending.size(); i++) {
            String lo = ascending.get(i - 1), hi = ascending.get(i);
            assertTrue(compare(s(lo), s(hi)) < 0, () -> quoted(lo) + " < " + quoted(hi));
        }
    }

    @Test
    void numericallyEqualNumbersEncodeIdentically() {
        byte[] one = KeyEncoding.encode(AttributeValue.n("1"));
        for (String same : List.of("1.0", "1E0", "10E-1", "0.1E1", "1.000000", "0.00001E5")) {
            assertArrayEquals(one, KeyEncoding.encode(AttributeValue.n(same)), same);
        }
        byte[] zero = KeyEncoding.encode(AttributeValue.n("0"));
        for (String same : List.of("0.0", "-0", "0E10", "0E-10", "-0.000")) {
            assertArrayEquals(zero, KeyEncoding.encode(AttributeValue.n(same)), same);
        }
        assertArrayEquals(KeyEncoding.encode(AttributeValue.n("100")), KeyEncoding.encode(AttributeValue.n("1E2")));
        assertArrayEquals(KeyEncoding.encode(AttributeValue.n("-12.5")), KeyEncoding.encode(AttributeValue.n("-125E-1")));
    }

    @Test
    void numbersAcrossTheWholeRangeOrderNumerically() {
        String max = "9.9999999999999999999999999999999999999E+125";
        List<String> ascending = List.of("-" + max, "-1E+125", "-123456789012345678901234567890.12345678", "-1000",
                "-999.99", "-100", "-99", "-10.5", "-10.01", "-10", "-9", "-1.0000000000000000000000000000000000001",
                "-1", "-0.99", "-0.5", "-0.1", "-0.0101", "-0.01", "-1E-129", "-1E-130", "0", "1E-130", "1.5E-130",
                "1E-129", "0.001", "0.0011", "0.01", "0.1", "0.12", "0.1203", "0.123", "0.13", "1", "1.0000000000000000000000000000000000001",
                "1.01", "1.1", "2", "9", "9.99", "10", "10.01", "11", "99", "100", "101", "1000", "12345678901234567890123456789012345678",
                "1E+38", "1E+125", max);
        for (int i = 1; i < ascending.size(); i++) {
            String lo = ascending.get(i - 1), hi = ascending.get(i);
            assertTrue(compare(AttributeValue.n(lo), AttributeValue.n(hi)) < 0, lo + " < " + hi);
        }
        for (String n : ascending) {
            AttributeValue v = AttributeValue.n(n);
            assertEquals(v, KeyEncoding.decode(AttributeType.N, KeyEncoding.encode(v), 0).value(), n);
        }
    }

    @Test
    void thirtyEightDigitNumbersKeepAllDigits() {
        NumberValue v = AttributeValue.n("-1234567890.1234567890123456789012345678");
        AttributeValue decoded = KeyEncoding.decode(AttributeType.N, KeyEncoding.encode(v), 0).value();
        assertEquals(0, v.value().compareTo(((NumberValue) decoded).value()));
        assertEquals(38, ((NumberValue) decoded).value().precision());
    }

    @Test
    void numbersOutsideDynamoRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.encode(AttributeValue.n("1E-131")));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.encode(AttributeValue.n("1E+126")));
    }

    @Test
    void binaryOrdersByUnsignedBytes() {
        assertTrue(compare(AttributeValue.b(new byte[] {0x7F}), AttributeValue.b(new byte[] {(byte) 0x80})) < 0);
        assertTrue(compare(AttributeValue.b(new byte[] {}), AttributeValue.b(new byte[] {0})) < 0);
        assertTrue(compare(AttributeValue.b(new byte[] {0}), AttributeValue.b(new byte[] {0, 0})) < 0);
        assertTrue(compare(AttributeValue.b(new byte[] {0, (byte) 0xFF}), AttributeValue.b(new byte[] {1})) < 0);
        assertTrue(compare(AttributeValue.b(new byte[] {(byte) 0xFF}), AttributeValue.b(new byte[] {(byte) 0xFF, 0})) < 0);
    }

    @Test
    void prefixEncodingMatchesExactlyTheValuesWithThatPrefix() {
        RandomValues values = new RandomValues(31);
        for (int i = 0; i < 20_000; i++) {
            String full = values.string();
            int[] cps = full.codePoints().toArray();
            String prefix = i % 2 == 0
                    ? new String(cps, 0, values.random().nextInt(cps.length + 1))
                    : values.string();
            int[] pcs = prefix.codePoints().toArray();
            boolean expected = pcs.length <= cps.length && Arrays.equals(cps, 0, pcs.length, pcs, 0, pcs.length);
            byte[] encoded = KeyEncoding.encode(s(full));
            byte[] p = KeyEncoding.encodePrefix(s(prefix));
            boolean actual = p.length <= encoded.length && Arrays.equals(encoded, 0, p.length, p, 0, p.length);
            assertEquals(expected, actual, () -> quoted(full) + " begins with " + quoted(prefix));

            byte[] bin = values.bytes();
            byte[] binPrefix = Arrays.copyOf(bin, values.random().nextInt(bin.length + 1));
            if (i % 3 == 0 && binPrefix.length > 0) binPrefix[binPrefix.length - 1] ^= 1;
            boolean binExpected = Arrays.equals(bin, 0, binPrefix.length, binPrefix, 0, binPrefix.length);
            byte[] binEncoded = KeyEncoding.encode(AttributeValue.b(bin));
            byte[] bp = KeyEncoding.encodePrefix(AttributeValue.b(binPrefix));
            assertEquals(binExpected, bp.length <= binEncoded.length && Arrays.equals(binEncoded, 0, bp.length, bp, 0, bp.length));
        }
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.encodePrefix(AttributeValue.n("1")));
    }

    @Test
    void nonKeyTypesAndCorruptInputAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.encode(AttributeValue.BoolValue.TRUE));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.decode(AttributeType.M, new byte[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.decode(AttributeType.S, new byte[] {'a', 'b'}, 0));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.decode(AttributeType.B, new byte[] {0, 7, 0, 1}, 0));
        byte[] number = KeyEncoding.encode(AttributeValue.n("123.45"));
        assertThrows(IllegalArgumentException.class,
                () -> KeyEncoding.decode(AttributeType.N, Arrays.copyOf(number, number.length - 1), 0));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.decode(AttributeType.N, new byte[] {0x7F}, 0));
    }

    @Test
    void encodingsAreCompact() {
        assertEquals(1, KeyEncoding.encode(AttributeValue.n("0")).length);
        assertEquals(4, KeyEncoding.encode(AttributeValue.n("42")).length);
        // the longest: header, exponent, 19 digit pairs, terminator
        assertEquals(22, KeyEncoding.encode(AttributeValue.n("-1234567890123456789012345678901234567.8")).length);
        assertEquals(5, KeyEncoding.encode(s("abc")).length);
    }

    private static StringValue s(String v) {
        return new StringValue(v);
    }

    private static int compare(AttributeValue a, AttributeValue b) {
        return Arrays.compareUnsigned(KeyEncoding.encode(a), KeyEncoding.encode(b));
    }

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp) : String.format("\\u{%X}", cp)));
        return sb.append('"').toString();
    }

}
