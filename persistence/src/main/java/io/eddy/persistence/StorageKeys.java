package io.eddy.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.eddy.model.AttributeValue;

/**
 * The key layout of the item store's LevelDB database.
 *
 * <pre>
 *   item:     [0x01][table id, 16 bytes][hash of encoded pk, 8 bytes big-endian][encoded pk][encoded sk]
 *   metadata: [0x02][partition id, UTF-8]
 *   record:   [0x03][partition id, UTF-8][0x00][record name, UTF-8]
 *   index entry: [0x04][table id, 16 bytes][index id, 16 bytes][hash of encoded index pk, 8 bytes]
 *                [encoded index pk attributes][encoded index sk attributes][encoded table pk][encoded table sk]
 *   item collection: [0x05][table id, 16 bytes][hash of encoded pk, 8 bytes][encoded pk]
 *   item version: [0x06][the item key after its space byte]   (global tables only, see ItemVersion)
 * </pre>
 *
 * Items of a table are contiguous; within it, items sort by unsigned hash, so a partition
 * (a hash range) is contiguous; within a hash, by partition key then sort key, so the items of
 * one partition key are one range (a Query) in sort-key order.
 *
 * <p>A secondary index is laid out the same way in a space of its own: its entries sort by the hash
 * of the index partition key, then by the index key attributes, then by the table key (which makes
 * each entry's key unique and orders entries with equal index keys). Key attribute encodings are
 * self-delimiting, so the encodings of several attributes concatenate into a tuple order. A local
 * index's partition key is the table's, so its entries share their partition's hash range.
 */
public final class StorageKeys {
    public static final byte ITEM_SPACE = 0x01;
    public static final byte META_SPACE = 0x02;
    public static final byte RECORD_SPACE = 0x03;
    public static final byte INDEX_SPACE = 0x04;
    public static final byte COLLECTION_SPACE = 0x05;
    public static final byte VERSION_SPACE = 0x06;

    /** Length of {@code [0x01][table id]}. */
    public static final int TABLE_PREFIX_LENGTH = 1 + 16;
    /** Offset of the encoded partition key within an item key. */
    public static final int ENCODED_KEY_OFFSET = TABLE_PREFIX_LENGTH + 8;
    /** Length of {@code [0x04][table id][index id]}. */
    public static final int INDEX_PREFIX_LENGTH = TABLE_PREFIX_LENGTH + 16;
    /** Offset of the encoded index partition key within an index entry key. */
    public static final int INDEX_KEY_OFFSET = INDEX_PREFIX_LENGTH + 8;

    private StorageKeys() {}

    public static byte[] itemKey(UUID tableId, AttributeValue partitionKey, Optional<AttributeValue> sortKey) {
        byte[] pkPrefix = partitionKeyPrefix(tableId, partitionKey);
        return sortKey.isEmpty() ? pkPrefix : KeyEncoding.concat(pkPrefix, KeyEncoding.encode(sortKey.get()));
    }

    /** The prefix shared by all items with this partition key, and by no other item. */
    public static byte[] partitionKeyPrefix(UUID tableId, AttributeValue partitionKey) {
        byte[] pk = KeyEncoding.encode(partitionKey);
        return ByteBuffer.allocate(ENCODED_KEY_OFFSET + pk.length)
                .put(ITEM_SPACE)
                .putLong(tableId.getMostSignificantBits())
                .putLong(tableId.getLeastSignificantBits())
                .putLong(PartitionHash.hash(pk))
                .put(pk)
                .array();
    }

    /** The prefix shared by all items of the table. */
    public static byte[] tablePrefix(UUID tableId) {
        return ByteBuffer.allocate(TABLE_PREFIX_LENGTH)
                .put(ITEM_SPACE)
                .putLong(tableId.getMostSignificantBits())
                .putLong(tableId.getLeastSignificantBits())
                .array();
    }

    /** Inclusive start of the table's items whose hash is at least {@code firstHash} (unsigned). */
    public static byte[] hashRangeStart(UUID tableId, long firstHash) {
        return ByteBuffer.allocate(ENCODED_KEY_OFFSET).put(tablePrefix(tableId)).putLong(firstHash).array();
    }

    /**
     * Exclusive end of the table's items whose hash is at most {@code lastHash} (unsigned,
     * inclusive, so the top of the hash space needs no 2^64).
     */
    public static byte[] hashRangeEnd(UUID tableId, long lastHash) {
        return prefixEnd(hashRangeStart(tableId, lastHash));
    }

    /** Inclusive start of the items of {@code partition} of {@code partitionCount}. */
    public static byte[] partitionStart(UUID tableId, int partition, int partitionCount) {
        return hashRangeStart(tableId, PartitionHash.rangeStart(partition, partitionCount));
    }

    /** Exclusive end of the items of {@code partition} of {@code partitionCount}. */
    public static byte[] partitionEnd(UUID tableId, int partition, int partitionCount) {
        return hashRangeEnd(tableId, PartitionHash.rangeLast(partition, partitionCount));
    }

    /** The prefix shared by all entries of a table's index whose partition key attributes have these values. */
    public static byte[] indexPartitionPrefix(UUID tableId, UUID indexId, List<AttributeValue> partitionKey) {
        byte[] pk = encodeAll(partitionKey);
        return ByteBuffer.allocate(INDEX_KEY_OFFSET + pk.length)
                .put(indexPrefix(tableId, indexId))
                .putLong(PartitionHash.hash(pk))
                .put(pk)
                .array();
    }

    /** The key of one item's entry in an index: its index key values, then its table key. */
    public static byte[] indexEntryKey(UUID tableId, UUID indexId, List<AttributeValue> partitionKey, List<AttributeValue> sortKey,
                                       AttributeValue tablePartitionKey, Optional<AttributeValue> tableSortKey) {
        byte[] prefix = indexPartitionPrefix(tableId, indexId, partitionKey);
        return KeyEncoding.concat(KeyEncoding.concat(prefix, encodeAll(sortKey)),
                KeyEncoding.encodeKey(tablePartitionKey, tableSortKey));
    }

    /** The prefix shared by all entries of one index of the table. */
    public static byte[] indexPrefix(UUID tableId, UUID indexId) {
        return ByteBuffer.allocate(INDEX_PREFIX_LENGTH)
                .put(INDEX_SPACE)
                .putLong(tableId.getMostSignificantBits())
                .putLong(tableId.getLeastSignificantBits())
                .putLong(indexId.getMostSignificantBits())
                .putLong(indexId.getLeastSignificantBits())
                .array();
    }

    /** The prefix shared by the entries of every index of the table. */
    public static byte[] indexesPrefix(UUID tableId) {
        return ByteBuffer.allocate(TABLE_PREFIX_LENGTH)
                .put(INDEX_SPACE)
                .putLong(tableId.getMostSignificantBits())
                .putLong(tableId.getLeastSignificantBits())
                .array();
    }

    /** Inclusive start of the index's entries whose partition-key hash is at least {@code firstHash}. */
    public static byte[] indexHashRangeStart(UUID tableId, UUID indexId, long firstHash) {
        return ByteBuffer.allocate(INDEX_KEY_OFFSET).put(indexPrefix(tableId, indexId)).putLong(firstHash).array();
    }

    /** Exclusive end of the index's entries whose partition-key hash is at most {@code lastHash}. */
    public static byte[] indexHashRangeEnd(UUID tableId, UUID indexId, long lastHash) {
        return prefixEnd(indexHashRangeStart(tableId, indexId, lastHash));
    }

    /** The hash of an index entry's partition key. */
    public static long hashOfIndexEntry(byte[] entryKey) {
        return ByteBuffer.wrap(entryKey, INDEX_PREFIX_LENGTH, 8).getLong();
    }

    /**
     * The key of the size record of an item collection (the items of one partition-key value and
     * their local index entries), kept for tables with local indexes.
     */
    public static byte[] collectionKey(UUID tableId, AttributeValue partitionKey) {
        byte[] key = partitionKeyPrefix(tableId, partitionKey);
        key[0] = COLLECTION_SPACE;
        return key;
    }

    /** The prefix of the item collection records of the table. */
    public static byte[] collectionsPrefix(UUID tableId) {
        byte[] prefix = tablePrefix(tableId);
        prefix[0] = COLLECTION_SPACE;
        return prefix;
    }

    /** The encodings of several key values, one after another (a tuple, in the values' order). */
    public static byte[] encodeAll(List<AttributeValue> values) {
        byte[] out = new byte[0];
        for (AttributeValue value : values) out = KeyEncoding.concat(out, KeyEncoding.encode(value));
        return out;
    }

    /** The key of a partition's {@link PartitionMeta}. */
    public static byte[] metaKey(String partitionId) {
        byte[] id = partitionId.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + id.length];
        key[0] = META_SPACE;
        System.arraycopy(id, 0, key, 1, id.length);
        return key;
    }

    /** The id of {@link #metaKey}'s key. */
    public static String idOfMetaKey(byte[] metaKey) {
        return new String(metaKey, 1, metaKey.length - 1, StandardCharsets.UTF_8);
    }

    /** The key of a partition's named record ({@link PartitionRecord}). Partition ids hold no 0x00 byte. */
    public static byte[] recordKey(String partitionId, String name) {
        return KeyEncoding.concat(recordPrefix(partitionId), name.getBytes(StandardCharsets.UTF_8));
    }

    /** The prefix of all records of a partition. */
    public static byte[] recordPrefix(String partitionId) {
        byte[] id = partitionId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[id.length + 2];
        prefix[0] = RECORD_SPACE;
        System.arraycopy(id, 0, prefix, 1, id.length);
        return prefix;
    }

    /** The partition id of a record key. */
    public static String partitionOfRecord(byte[] recordKey) {
        int end = 1;
        while (recordKey[end] != 0) end++;
        return new String(recordKey, 1, end - 1, StandardCharsets.UTF_8);
    }

    /** The record name of a record key. */
    public static String nameOfRecord(byte[] recordKey) {
        int start = 1;
        while (recordKey[start] != 0) start++;
        return new String(recordKey, start + 1, recordKey.length - start - 1, StandardCharsets.UTF_8);
    }

    /** The primary key attributes an item key encodes, decoded by the table's key schema. */
    public static java.util.Map<String, AttributeValue> keyOfItemKey(byte[] itemKey, io.eddy.model.KeySchema schema) {
        java.util.Map<String, AttributeValue> key = new java.util.LinkedHashMap<>();
        KeyEncoding.Decoded partition = KeyEncoding.decode(schema.partitionKey().type(), itemKey, ENCODED_KEY_OFFSET);
        key.put(schema.partitionKey().name(), partition.value());
        schema.sortKey().ifPresent(sort ->
                key.put(sort.name(), KeyEncoding.decode(sort.type(), itemKey, partition.nextOffset()).value()));
        return key;
    }

    /** Where the {@link ItemVersion} of the item with this item key is kept. */
    public static byte[] versionKey(byte[] itemKey) {
        byte[] key = itemKey.clone();
        key[0] = VERSION_SPACE;
        return key;
    }

    /** The prefix of the table's item versions. */
    public static byte[] versionsPrefix(UUID tableId) {
        byte[] prefix = tablePrefix(tableId);
        prefix[0] = VERSION_SPACE;
        return prefix;
    }

    public static boolean isItemKey(byte[] key) {
        return key.length > ENCODED_KEY_OFFSET && key[0] == ITEM_SPACE;
    }

    public static boolean isIndexEntryKey(byte[] key) {
        return key.length > INDEX_KEY_OFFSET && key[0] == INDEX_SPACE;
    }

    /** The table id of an item, index entry or item collection key (each starts with its space and the table id). */
    public static UUID tableIdOf(byte[] itemKey) {
        ByteBuffer b = ByteBuffer.wrap(itemKey, 1, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    public static long hashOf(byte[] itemKey) {
        return ByteBuffer.wrap(itemKey, TABLE_PREFIX_LENGTH, 8).getLong();
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}: the prefix with
     * trailing 0xFF bytes dropped and the last byte incremented. A prefix of only 0xFF bytes has
     * no such key; that cannot happen here since every key starts with a space byte below 0xFF.
     */
    public static byte[] prefixEnd(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && prefix[last] == (byte) 0xFF) last--;
        if (last < 0) throw new IllegalArgumentException("no key follows an all-0xFF prefix");
        byte[] end = Arrays.copyOf(prefix, last + 1);
        end[last]++;
        return end;
    }
}
