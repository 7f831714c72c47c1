package io.eddy.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random attribute values and items for the differential tests, drawn from small pools so that
 * generated conditions and updates often meet the values they test (equal strings, shared
 * prefixes, numbers around zero, nested maps and lists under the names expressions use).
 */
final class DifferentialValues {

    /**
     * ASCII only, which keeps the seeded sequences of earlier runs (when Eddy's size() counted UTF-8
     * bytes and dynalite's UTF-16 units; both count UTF-16 units now, as DynamoDB does).
     */
    static final List<String> STRINGS = List.of("a", "ab", "abc", "b", "ba", "z", "A", "a b", "~");
    static final List<String> NUMBERS = List.of("0", "1", "-1", "2", "1.5", "10", "-0.25", "1E+2", "99999999999999999999");
    static final List<String> TOP_NAMES = List.of("a", "b", "c", "d", "e");
    static final List<String> NESTED_NAMES = List.of("x", "y", "z");

    private final Random random;

    DifferentialValues(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    AttributeValue string() {
        return AttributeValue.fromS(pick(STRINGS));
    }

    AttributeValue number() {
        return AttributeValue.fromN(pick(NUMBERS));
    }

    /** A binary of bytes below 0x80, which decode as UTF-8 to the same characters. */
    AttributeValue asciiBinary() {
        byte[] bytes = new byte[between(1, 3)];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) pick(List.of(0, 1, 2, 0x41, 0x7f)).intValue();
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }

    AttributeValue binary() {
        byte[] bytes = new byte[between(1, 3)];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) pick(List.of(0, 1, 2, 0x7f, 0x80, 0xff)).intValue();
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }

    /** A scalar of one of the three key types. */
    AttributeValue scalar() {
        return switch (random.nextInt(5)) {
            case 0, 1 -> string();
            case 2, 3 -> number();
            default -> binary();
        };
    }

    AttributeValue stringSet() {
        return AttributeValue.fromSs(distinct(() -> pick(STRINGS)));
    }

    AttributeValue numberSet() {
        return AttributeValue.fromNs(distinct(() -> pick(List.of("0", "1", "2", "-1", "1.5", "10"))));
    }

    AttributeValue binarySet() {
        List<SdkBytes> bytes = new ArrayList<>();
        for (String s : distinct(() -> pick(List.of("00", "01", "ff", "0102")))) {
            bytes.add(SdkBytes.fromByteArray(java.util.HexFormat.of().parseHex(s)));
        }
        return AttributeValue.fromBs(bytes);
    }

    AttributeValue set() {
        return switch (random.nextInt(3)) {
            case 0 -> stringSet();
            case 1 -> numberSet();
            default -> binarySet();
        };
    }

    private List<String> distinct(Supplier<String> element) {
        Set<String> out = new LinkedHashSet<>();
        int n = between(1, 3);
        while (out.size() < n) out.add(element.get());
        return new ArrayList<>(out);
    }

    /** Any value, nesting lists and maps up to {@code depth} more levels. */
    AttributeValue any(int depth) {
        int kinds = depth > 0 ? 10 : 8;
        return switch (random.nextInt(kinds)) {
            case 0, 1 -> string();
            case 2, 3 -> number();
            case 4 -> binary();
            case 5 -> AttributeValue.fromBool(random.nextBoolean());
            case 6 -> AttributeValue.fromNul(true);
            case 7 -> set();
            case 8 -> list(depth - 1);
            default -> map(depth - 1);
        };
    }

    AttributeValue list(int depth) {
        List<AttributeValue> elements = new ArrayList<>();
        for (int i = between(0, 3); i > 0; i--) elements.add(any(depth));
        return AttributeValue.fromL(elements);
    }

    AttributeValue map(int depth) {
        Map<String, AttributeValue> entries = new LinkedHashMap<>();
        for (int i = between(0, 3); i > 0; i--) entries.put(pick(NESTED_NAMES), any(depth));
        return AttributeValue.fromM(entries);
    }

    /** An item with this key and some of the attributes expressions name. */
    Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        for (String name : TOP_NAMES) {
            if (chance(0.6)) item.put(name, any(2));
        }
        return item;
    }
}
