package io.eddy.persistence;

import java.util.Optional;

/**
 * A change to one of a partition's named records: small values a partition keeps beside its items
 * (a transaction it has prepared and not yet resolved), written in the same atomic batch as its
 * items and {@link PartitionMeta}, so that they too match the applied sequence number.
 * An empty value deletes the record.
 */
public record PartitionRecord(String name, Optional<byte[]> value) {

    public static PartitionRecord put(String name, byte[] value) {
        return new PartitionRecord(name, Optional.of(value.clone()));
    }

    public static PartitionRecord delete(String name) {
        return new PartitionRecord(name, Optional.empty());
    }
}
