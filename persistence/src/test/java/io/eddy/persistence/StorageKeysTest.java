package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;

class StorageKeysTest {
    private static final UUID TABLE = UUID.fromString("00000000-0000-0001-0000-0000000000ff");
    private static final UUID NEXT_TABLE = UUID.fromString("00000000-0000-0001-0000-000000000100");

    @Test
    void itemKeyHasTheDocumentedLayout() {
        AttributeValue pk = AttributeValue.s("user#1");
        AttributeValue sk = AttributeValue.n("-12.5");
        byte[] key = StorageKeys.itemKey(TABLE, pk, Optional.of(sk));

        assertEquals(StorageKeys.ITEM_SPACE, key[0]);
        assertTrue(StorageKeys.isItemKey(key));
        assertEquals(TABLE, StorageKeys.tableIdOf(key));
        assertEquals(PartitionHash.hash(KeyEncoding.encode(pk)), StorageKeys.hashOf(key));
        assertArrayEquals(StorageKeys.tablePrefix(TABLE), Arrays.copyOf(key, StorageKeys.TABLE_PREFIX_LENGTH));

        KeyEncoding.Decoded decodedPk = KeyEncoding.decode(AttributeType.S, key, StorageKeys.ENCODED_KEY_OFFSET);
        KeyEncoding.Decoded decodedSk = KeyEncoding.decode(AttributeType.N, key, decodedPk.nextOffset());
        assertEquals(pk, decodedPk.value());
        assertEquals(sk, decodedSk.value());
        assertEquals(key.length, decodedSk.nextOffset());

        assertArrayEquals(StorageKeys.partitionKeyPrefix(TABLE, pk), StorageKeys.itemKey(TABLE, pk, Optional.empty()));
    }

    @Test
    void itemsOfOnePartitionKeyAreOneRangeInSortKeyOrder() {
        RandomValues values = new RandomValues(8);
        List<AttributeValue> pks = new ArrayList<>();
        for (int i = 0; i < 30; i++) pks.add(values.key(AttributeType.S));
        List<byte[]> keys = new ArrayList<>();
        List<AttributeValue[]> keyValues = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            AttributeValue pk = pks.get(values.random().nextInt(pks.size()));
            AttributeValue sk = values.key(AttributeType.N);
            keys.add(StorageKeys.itemKey(TABLE, pk, Optional.of(sk)));
            keyValues.add(new AttributeValue[] {pk, sk});
        }
        for (AttributeValue pk : pks) {
            byte[] from = StorageKeys.partitionKeyPrefix(TABLE, pk);
            byte[] to = StorageKeys.prefixEnd(from);
            List<AttributeValue> sortKeysInRange = new ArrayList<>();
            List<byte[]> inRange = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                boolean within = Arrays.compareUnsigned(key, from) >= 0 && Arrays.compareUnsigned(key, to) < 0;
                assertEquals(keyValues.get(i)[0].equals(pk), within, "only and all items of pk " + pk);
                if (within) inRange.add(key);
            }
            inRange.sort(Arrays::compareUnsigned);
            for (byte[] key : inRange) {
                int skOffset = KeyEncoding.decode(AttributeType.S, key, StorageKeys.ENCODED_KEY_OFFSET).nextOffset();
                sortKeysInRange.add(KeyEncoding.decode(AttributeType.N, key, skOffset).value());
            }
            for (int i = 1; i < sortKeysInRange.size(); i++) {
                assertTrue(DynamoOrder.compare(sortKeysInRange.get(i - 1), sortKeysInRange.get(i)) <= 0);
            }
        }
    }

    @Test
    void eachItemFallsInExactlyItsPartitionsKeyRange() {
        RandomValues values = new RandomValues(9);
        int partitions = 7;
        for (int i = 0; i < 2000; i++) {
            AttributeValue pk = values.key(AttributeType.B);
            byte[] key = StorageKeys.itemKey(TABLE, pk, Optional.of(values.key(AttributeType.S)));
            int owner = PartitionHash.partitionOf(StorageKeys.hashOf(key), partitions);
            for (int p = 0; p < partitions; p++) {
                boolean within = Arrays.compareUnsigned(key, StorageKeys.partitionStart(TABLE, p, partitions)) >= 0
                        && Arrays.compareUnsigned(key, StorageKeys.partitionEnd(TABLE, p, partitions)) < 0;
                assertEquals(p == owner, within, "partition " + p + " of " + partitions);
            }
        }
    }

    @Test
    void tablesDoNotOverlap() {
        byte[] tableEnd = StorageKeys.prefixEnd(StorageKeys.tablePrefix(TABLE));
        assertArrayEquals(tableEnd, StorageKeys.hashRangeEnd(TABLE, -1L), "the top of the hash space ends the table");
        assertTrue(Arrays.compareUnsigned(StorageKeys.tablePrefix(NEXT_TABLE), tableEnd) >= 0);
        assertArrayEquals(StorageKeys.hashRangeStart(TABLE, 0), StorageKeys.partitionStart(TABLE, 0, 4));

        byte[] highest = StorageKeys.itemKey(TABLE, AttributeValue.b(new byte[] {(byte) 0xFF, (byte) 0xFF}), Optional.empty());
        assertTrue(Arrays.compareUnsigned(highest, tableEnd) < 0);
        byte[] other = StorageKeys.itemKey(NEXT_TABLE, AttributeValue.s(""), Optional.empty());
        assertTrue(Arrays.compareUnsigned(other, tableEnd) >= 0);
    }

    @Test
    void hashRangeBoundsIncludeTheirHashes() {
        byte[] key = StorageKeys.itemKey(TABLE, AttributeValue.s("x"), Optional.empty());
        long hash = StorageKeys.hashOf(key);
        assertTrue(Arrays.compareUnsigned(key, StorageKeys.hashRangeStart(TABLE, hash)) >= 0);
        assertTrue(Arrays.compareUnsigned(key, StorageKeys.hashRangeEnd(TABLE, hash)) < 0);
        assertTrue(Arrays.compareUnsigned(key, StorageKeys.hashRangeStart(TABLE, hash + 1)) < 0);
        assertTrue(Arrays.compareUnsigned(key, StorageKeys.hashRangeEnd(TABLE, hash - 1)) >= 0);
    }

    @Test
    void metadataKeysAreApartFromItems() {
        byte[] meta = StorageKeys.metaKey("tbl#3");
        assertEquals(StorageKeys.META_SPACE, meta[0]);
        assertArrayEquals("tbl#3".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(meta, 1, meta.length));
        assertFalse(StorageKeys.isItemKey(meta));
        byte[] anyItem = StorageKeys.itemKey(new UUID(-1, -1), AttributeValue.s("\uFFFF"), Optional.empty());
        assertTrue(Arrays.compareUnsigned(anyItem, StorageKeys.metaKey("")) < 0);
    }

    @Test
    void prefixEndIsTheSmallestKeyAfterThePrefix() {
        assertArrayEquals(new byte[] {1, 3}, StorageKeys.prefixEnd(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {2}, StorageKeys.prefixEnd(new byte[] {1, (byte) 0xFF, (byte) 0xFF}));
        assertArrayEquals(new byte[] {1, 0x7F, 1}, StorageKeys.prefixEnd(new byte[] {1, 0x7F, 0}));
        assertThrows(IllegalArgumentException.class, () -> StorageKeys.prefixEnd(new byte[] {(byte) 0xFF}));
    }
}
