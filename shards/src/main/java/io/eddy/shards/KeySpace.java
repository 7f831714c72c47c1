package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.query.KeyCondition;
import io.eddy.persistence.IndexEntries;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.KeyRanges;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.StorageKeys;
import java.util.Map;
import java.util.Optional;

/**
 * What a Query or Scan reads: the table's items, or one of its indexes' entries. Both are laid out
 * by the hash of their partition key, so partition {@code p} of the table's hash ranges holds the
 * part of either that a partition entity reads.
 */
sealed interface KeySpace {

    TableMetadata table();

    /** The range of a Query's key condition. */
    KeyRange query(KeyCondition condition);

    /** The keys whose partition-key hash lies in [first, last] (unsigned). */
    KeyRange hashes(long first, long last);

    /** The storage key of a (validated) ExclusiveStartKey. */
    byte[] keyOf(Map<String, AttributeValue> startKey);

    /** The partition-key hash of a storage key of this space. */
    long hashOf(byte[] key);

    /** The partition-key hash of a Query's key condition. */
    default long hashOf(KeyCondition condition) {
        return PartitionHash.hash(StorageKeys.encodeAll(condition.partitionKey()));
    }

    static KeySpace of(TableMetadata table, Optional<SecondaryIndex> index) {
        return index.<KeySpace>map(i -> new Index(table, i)).orElseGet(() -> new Items(table));
    }

    record Items(TableMetadata table) implements KeySpace {
        @Override
        public KeyRange query(KeyCondition condition) {
            return KeyRanges.query(table.id(), condition);
        }

        @Override
        public KeyRange hashes(long first, long last) {
            return KeyRanges.hashes(table.id(), first, last);
        }

        @Override
        public byte[] keyOf(Map<String, AttributeValue> startKey) {
            KeySchema schema = table.keySchema();
            return StorageKeys.itemKey(table.id(), startKey.get(schema.partitionKey().name()),
                    schema.sortKey().map(sort -> startKey.get(sort.name())));
        }

        @Override
        public long hashOf(byte[] key) {
            return StorageKeys.hashOf(key);
        }
    }

    record Index(TableMetadata table, SecondaryIndex index) implements KeySpace {
        @Override
        public KeyRange query(KeyCondition condition) {
            return KeyRanges.indexQuery(table.id(), index.id(), condition);
        }

        @Override
        public KeyRange hashes(long first, long last) {
            return KeyRanges.indexHashes(table.id(), index.id(), first, last);
        }

        /** A starting key on an index holds the index key and the table key: the entry's key. */
        @Override
        public byte[] keyOf(Map<String, AttributeValue> startKey) {
            return IndexEntries.positionOf(table.id(), table.keySchema(), index, startKey)
                    .orElseThrow(() -> new IllegalArgumentException("not a key of index " + index.name()));
        }

        @Override
        public long hashOf(byte[] key) {
            return StorageKeys.hashOfIndexEntry(key);
        }
    }
}
