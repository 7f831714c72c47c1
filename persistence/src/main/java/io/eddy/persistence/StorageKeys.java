package io.eddy.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * </pre>
 *
 * Items of a table are contiguous; within it, items sort by unsigned hash, so a partition
 * (a hash range) is contiguous; within a hash, by partition key then sort key, so the items of
 * one partition key are one range (a Query) in sort-key order.
 */
public final class StorageKeys {
    public static final byte ITEM_SPACE = 0x01;
    public static final byte META_SPACE = 0x02;
    public static final byte RECORD_SPACE = 0x03;

    /** Length of {@code [0x01][table id]}. */
    public static final int TABLE_PREFIX_LENGTH = 1 + 16;
    /** Offset of the encoded partition key within an item key. */
    public static final int ENCODED_KEY_OFFSET = TABLE_PREFIX_LENGTH + 8;

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

    /** The key of a partition's {@link PartitionMeta}. */
    public static byte[] metaKey(String partitionId) {
        byte[] id = partitionId.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + id.length];
        key[0] = META_SPACE;
        System.arraycopy(id, 0, key, 1, id.length);
        return key;
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

    public static boolean isItemKey(byte[] key) {
        return key.length > ENCODED_KEY_OFFSET && key[0] == ITEM_SPACE;
    }

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
     * no such key; that cannot happen here since every key starts with 0x01, 0x02 or 0x03.
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
