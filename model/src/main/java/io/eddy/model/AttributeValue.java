package io.eddy.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DynamoDB attribute value. Instances are immutable; collections are copied on construction
 * and keep their input order (sets compare as sets). Numbers are held normalised
 * ({@link NumberValue#of(BigDecimal)}), so equal numbers are equal records; range checks live in
 * {@link DynamoNumbers}.
 */
public sealed interface AttributeValue {

    AttributeType type();

    record StringValue(String value) implements AttributeValue {
        public AttributeType type() { return AttributeType.S; }
    }

    record NumberValue(BigDecimal value) implements AttributeValue {
        public NumberValue {
            value = DynamoNumbers.normalize(value);
        }
        public static NumberValue of(BigDecimal value) { return new NumberValue(value); }
        public AttributeType type() { return AttributeType.N; }
        /** DynamoDB's canonical text: plain notation, no trailing zeros. */
        public String canonical() { return DynamoNumbers.canonical(value); }
    }

    record BinaryValue(Bytes value) implements AttributeValue {
        public AttributeType type() { return AttributeType.B; }
    }

    // Sets hold their members in DynamoDB's order, which is how the service returns them (the
    // conformance suite's capture, eu-west-2, 2026-10): strings by their UTF-8 bytes, numbers by
    // value, binaries as unsigned bytes.

    record StringSetValue(Set<String> values) implements AttributeValue {
        public StringSetValue { values = sorted(values, AttributeValueOrder::compareUtf8); }
        public AttributeType type() { return AttributeType.SS; }
    }

    record NumberSetValue(Set<BigDecimal> values) implements AttributeValue {
        public NumberSetValue {
            List<BigDecimal> normalized = new ArrayList<>(values.size());
            for (BigDecimal v : values) normalized.add(DynamoNumbers.normalize(v));
            values = sorted(normalized, BigDecimal::compareTo);
        }
        public AttributeType type() { return AttributeType.NS; }
    }

    record BinarySetValue(Set<Bytes> values) implements AttributeValue {
        public BinarySetValue { values = sorted(values, Bytes::compareTo); }
        public AttributeType type() { return AttributeType.BS; }
    }

    private static <T> Set<T> sorted(Collection<T> members, Comparator<T> order) {
        List<T> list = new ArrayList<>(members);
        list.sort(order);
        return Collections.unmodifiableSet(new LinkedHashSet<>(list));
    }

    record MapValue(Map<String, AttributeValue> values) implements AttributeValue {
        public MapValue { values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); }
        public AttributeType type() { return AttributeType.M; }
    }

    record ListValue(List<AttributeValue> values) implements AttributeValue {
        public ListValue { values = List.copyOf(values); }
        public AttributeType type() { return AttributeType.L; }
    }

    record BoolValue(boolean value) implements AttributeValue {
        public static final BoolValue TRUE = new BoolValue(true);
        public static final BoolValue FALSE = new BoolValue(false);
        public AttributeType type() { return AttributeType.BOOL; }
    }

    record NullValue() implements AttributeValue {
        public static final NullValue INSTANCE = new NullValue();
        public AttributeType type() { return AttributeType.NULL; }
    }

    static StringValue s(String value) { return new StringValue(value); }

    static NumberValue n(String value) { return new NumberValue(new BigDecimal(value)); }

    static BinaryValue b(byte[] value) { return new BinaryValue(Bytes.of(value)); }
}
