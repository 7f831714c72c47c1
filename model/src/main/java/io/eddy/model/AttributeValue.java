package io.eddy.model;

import java.math.BigDecimal;
import java.util.Collections;
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

    record StringSetValue(Set<String> values) implements AttributeValue {
        public StringSetValue { values = Collections.unmodifiableSet(new LinkedHashSet<>(values)); }
        public AttributeType type() { return AttributeType.SS; }
    }

    record NumberSetValue(Set<BigDecimal> values) implements AttributeValue {
        public NumberSetValue {
            LinkedHashSet<BigDecimal> normalized = new LinkedHashSet<>();
            for (BigDecimal v : values) normalized.add(DynamoNumbers.normalize(v));
            values = Collections.unmodifiableSet(normalized);
        }
        public AttributeType type() { return AttributeType.NS; }
    }

    record BinarySetValue(Set<Bytes> values) implements AttributeValue {
        public BinarySetValue { values = Collections.unmodifiableSet(new LinkedHashSet<>(values)); }
        public AttributeType type() { return AttributeType.BS; }
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
