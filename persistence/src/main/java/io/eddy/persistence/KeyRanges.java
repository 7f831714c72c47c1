package io.eddy.persistence;

import java.util.Optional;
import java.util.UUID;

import io.eddy.model.AttributeValue;
import io.eddy.model.query.KeyCondition;
import io.eddy.model.query.KeyTerm;

/**
 * Where a Query or a Scan reads in the item store. All items of one partition-key value sit under
 * one prefix ({@link StorageKeys#partitionKeyPrefix}), sorted by the encoded sort key, so a key
 * condition is exactly one range; a hash range of the table is one range too.
 */
public final class KeyRanges {
    private KeyRanges() {}

    /** The items of the table that satisfy {@code condition}, in sort-key order. */
    public static KeyRange query(UUID tableId, KeyCondition condition) {
        byte[] partition = StorageKeys.partitionKeyPrefix(tableId, condition.partitionKey());
        KeyRange all = KeyRange.withPrefix(partition);
        Optional<KeyTerm> sort = condition.sortKey();
        if (sort.isEmpty()) return all;
        AttributeValue first = sort.get().values().get(0);
        return switch (sort.get().operator()) {
            case EQ -> new KeyRange(at(partition, first), KeyRange.successor(at(partition, first)));
            case LT -> new KeyRange(all.from(), at(partition, first));
            case LE -> new KeyRange(all.from(), KeyRange.successor(at(partition, first)));
            case GT -> new KeyRange(KeyRange.successor(at(partition, first)), all.toExclusive());
            case GE -> new KeyRange(at(partition, first), all.toExclusive());
            case BETWEEN -> new KeyRange(at(partition, first), KeyRange.successor(at(partition, sort.get().values().get(1))));
            case BEGINS_WITH -> KeyRange.withPrefix(KeyEncoding.concat(partition, KeyEncoding.encodePrefix(first)));
            default -> throw new IllegalArgumentException("not an indexable condition: " + sort.get());
        };
    }

    /**
     * The table's items whose partition-key hash lies in {@code [firstHash, lastHash]} (unsigned):
     * a parallel-scan segment, a partition, or the whole table.
     */
    public static KeyRange hashes(UUID tableId, long firstHash, long lastHash) {
        return new KeyRange(StorageKeys.hashRangeStart(tableId, firstHash), StorageKeys.hashRangeEnd(tableId, lastHash));
    }

    /** The key of the item with this sort key under the partition prefix (sort keys are self-delimiting). */
    private static byte[] at(byte[] partitionPrefix, AttributeValue sortKey) {
        return KeyEncoding.concat(partitionPrefix, KeyEncoding.encode(sortKey));
    }
}
