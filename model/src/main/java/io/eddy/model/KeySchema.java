package io.eddy.model;

import java.util.Optional;

/**
 * A table's primary key: a partition (HASH) attribute and an optional sort (RANGE) attribute,
 * each of type S, N or B.
 */
public record KeySchema(KeyAttribute partitionKey, Optional<KeyAttribute> sortKey) {

    public record KeyAttribute(String name, AttributeType type) {
        public KeyAttribute {
            if (!type.isScalarKeyType()) throw new IllegalArgumentException("key type must be S, N or B: " + type);
        }
    }

    public static KeySchema hash(String name, AttributeType type) {
        return new KeySchema(new KeyAttribute(name, type), Optional.empty());
    }

    public static KeySchema hashAndRange(String hash, AttributeType hashType, String range, AttributeType rangeType) {
        return new KeySchema(new KeyAttribute(hash, hashType), Optional.of(new KeyAttribute(range, rangeType)));
    }

    public boolean isKeyAttribute(String name) {
        return partitionKey.name().equals(name) || sortKey.map(k -> k.name().equals(name)).orElse(false);
    }
}
