package io.eddy.persistence;

import java.util.Optional;
import java.util.UUID;

import io.eddy.model.AttributeValue;
import io.eddy.model.query.KeyCondition;
import io.eddy.model.query.KeyTerm;

/**
 * Where a Query or a Scan reads in the item store. All items of one partition-key value sit under
 * one prefix ({@link StorageKeys#partitionKeyPrefix}), sorted by the encoded sort key, so a key
 * condition is exactly one range; a hash range of the table is one range too. The same holds for an
 * index's entries, whose keys continue past the index key (with the table key), so a condition on a
 * sort attribute covers every key that starts with the attribute's encoding.
 */
public final class KeyRanges {
    private KeyRanges() {}

    /** The items of the table that satisfy {@code condition}, in sort-key order. */
    public static KeyRange query(UUID tableId, KeyCondition condition) {
        return within(StorageKeys.partitionKeyPrefix(tableId, condition.partitionKey().get(0)), condition);
    }

    /** The entries of the table's index {@code indexId} that satisfy {@code condition}, in index key order. */
    public static KeyRange indexQuery(UUID tableId, UUID indexId, KeyCondition condition) {
        return within(StorageKeys.indexPartitionPrefix(tableId, indexId, condition.partitionKey()), condition);
    }

    /**
     * The table's items whose partition-key hash lies in {@code [firstHash, lastHash]} (unsigned):
     * a parallel-scan segment, a partition, or the whole table.
     */
    public static KeyRange hashes(UUID tableId, long firstHash, long lastHash) {
        return new KeyRange(StorageKeys.hashRangeStart(tableId, firstHash), StorageKeys.hashRangeEnd(tableId, lastHash));
    }

    /** The index's entries whose index partition-key hash lies in {@code [firstHash, lastHash]}. */
    public static KeyRange indexHashes(UUID tableId, UUID indexId, long firstHash, long lastHash) {
        return new KeyRange(StorageKeys.indexHashRangeStart(tableId, indexId, firstHash),
                StorageKeys.indexHashRangeEnd(tableId, indexId, lastHash));
    }

    private static KeyRange within(byte[] partitionPrefix, KeyCondition condition) {
        byte[] prefix = partitionPrefix;
        for (AttributeValue value : condition.sortPrefix()) prefix = KeyEncoding.concat(prefix, KeyEncoding.encode(value));
        KeyRange all = KeyRange.withPrefix(prefix);
        Optional<KeyTerm> sort = condition.sortKey();
        if (sort.isEmpty()) return all;
        byte[] at = at(prefix, sort.get().values().get(0));
        return switch (sort.get().operator()) {
            case EQ -> KeyRange.withPrefix(at);
            case LT -> new KeyRange(all.from(), at);
            case LE -> new KeyRange(all.from(), StorageKeys.prefixEnd(at));
            case GT -> new KeyRange(StorageKeys.prefixEnd(at), all.toExclusive());
            case GE -> new KeyRange(at, all.toExclusive());
            case BETWEEN -> new KeyRange(at, StorageKeys.prefixEnd(at(prefix, sort.get().values().get(1))));
            case BEGINS_WITH -> KeyRange.withPrefix(KeyEncoding.concat(prefix, KeyEncoding.encodePrefix(sort.get().values().get(0))));
            default -> throw new IllegalArgumentException("not an indexable condition: " + sort.get());
        };
    }

    /** The keys whose next attribute after {@code prefix} is {@code value} start with this (encodings are self-delimiting). */
    private static byte[] at(byte[] prefix, AttributeValue value) {
        return KeyEncoding.concat(prefix, KeyEncoding.encode(value));
    }
}
