package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.query.KeyCondition;
import io.eddy.model.query.KeyOperator;
import io.eddy.model.query.KeyTerm;

/** Query ranges against a brute-force evaluation of the key condition over random sort keys. */
class KeyRangesTest {
    private static final UUID TABLE = UUID.fromString("33333333-3333-3333-3333-333333333333");
    private static final AttributeValue PK = AttributeValue.s("partition");

    @TempDir
    Path dir;
    private ItemStore store;

    @BeforeEach
    void open() throws Exception {
        store = ItemStore.open(dir.resolve("items"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @ParameterizedTest
    @EnumSource(value = AttributeType.class, names = {"S", "N", "B"})
    void everySortKeyConditionReadsExactlyItsItemsInOrder(AttributeType type) {
        RandomValues random = new RandomValues(type.ordinal() * 7919L);
        List<AttributeValue> sortKeys = new ArrayList<>(distinctKeys(random, type, 150));
        write(sortKeys);
        // Neighbours that must never leak in: other partition keys of the same table, the same key in another table.
        write(AttributeValue.s("partition\0"), sortKeys.subList(0, 10));
        write(AttributeValue.s("partitio"), sortKeys.subList(0, 10));
        sortKeys.sort(DynamoOrder.KEY_VALUES);

        for (int round = 0; round < 300; round++) {
            KeyTerm term = randomTerm(random, type, sortKeys);
            List<AttributeValue> expected = sortKeys.stream().filter(term::matches).toList();
            KeyRange range = KeyRanges.query(TABLE, new KeyCondition(PK, Optional.of(term)));
            assertEquals(expected, sortKeysIn(range, false), term.toString());
            List<AttributeValue> reversed = new ArrayList<>(expected);
            Collections.reverse(reversed);
            assertEquals(reversed, sortKeysIn(range, true), "reverse " + term);
        }
        assertEquals(sortKeys, sortKeysIn(KeyRanges.query(TABLE, new KeyCondition(PK, Optional.empty())), false));
    }

    @Test
    void resumingAfterAKeyContinuesInEitherDirection() {
        List<AttributeValue> sortKeys = List.of(AttributeValue.n("-1"), AttributeValue.n("0"), AttributeValue.n("2.5"), AttributeValue.n("1E3"));
        write(sortKeys);
        KeyRange all = KeyRanges.query(TABLE, new KeyCondition(PK, Optional.empty()));
        byte[] second = StorageKeys.itemKey(TABLE, PK, Optional.of(AttributeValue.n("0")));
        assertEquals(sortKeys.subList(2, 4), sortKeysIn(all.after(second, false), false));
        assertEquals(sortKeys.subList(0, 1), sortKeysIn(all.after(second, true), true));
        assertEquals(List.of(), sortKeysIn(all.after(StorageKeys.itemKey(TABLE, PK, Optional.of(AttributeValue.n("1000"))), false), false));
    }

    @Test
    void pagesStopAtTheItemLimitOrOnceTheBudgetIsReached() {
        List<AttributeValue> sortKeys = new ArrayList<>();
        for (int i = 0; i < 10; i++) sortKeys.add(AttributeValue.s("k" + i)); // all items of one size
        write(sortKeys);
        KeyRange all = KeyRanges.query(TABLE, new KeyCondition(PK, Optional.empty()));
        ItemPage limited = ItemPage.read(store, all, false, 3, ItemPage.MAX_BYTES);
        assertEquals(3, limited.items().size());
        assertFalse(limited.exhausted());
        ItemPage whole = ItemPage.read(store, all, false, 10, ItemPage.MAX_BYTES);
        assertEquals(10, whole.items().size());
        assertTrue(whole.exhausted(), "nothing follows the tenth item");
        long itemBytes = whole.bytes() / 10;
        ItemPage budgeted = ItemPage.read(store, all, false, 100, itemBytes * 4 + 1);
        assertEquals(5, budgeted.items().size(), "the item that crosses the budget is included");
        assertEquals(itemBytes * 5, budgeted.bytes());
    }

    @Test
    void hashRangesPartitionTheTable() {
        RandomValues random = new RandomValues(42);
        for (AttributeValue pk : distinctKeys(random, AttributeType.S, 200)) {
            store.apply("p", PartitionMeta.EMPTY, List.of(new ItemMutation.Put(StorageKeys.itemKey(TABLE, pk, Optional.empty()), Map.of("pk", pk))));
        }
        int total = 0;
        for (int segment = 0; segment < 7; segment++) {
            KeyRange range = KeyRanges.hashes(TABLE, PartitionHash.rangeStart(segment, 7), PartitionHash.rangeLast(segment, 7));
            ItemPage page = ItemPage.read(store, range, false, 1000, Long.MAX_VALUE);
            for (Map<String, AttributeValue> item : page.items()) {
                long hash = PartitionHash.hash(KeyEncoding.encode(item.get("pk")));
                assertEquals(segment, PartitionHash.partitionOf(hash, 7));
            }
            total += page.items().size();
        }
        assertEquals(200, total);
    }

    private static List<AttributeValue> distinctKeys(RandomValues random, AttributeType type, int count) {
        Map<String, AttributeValue> byEncoding = new LinkedHashMap<>();
        while (byEncoding.size() < count) {
            AttributeValue key = random.key(type);
            byEncoding.put(java.util.HexFormat.of().formatHex(KeyEncoding.encode(key)), key);
        }
        return new ArrayList<>(byEncoding.values());
    }

    /** A condition whose values are mostly existing keys (to test inclusive bounds) or prefixes of them. */
    private static KeyTerm randomTerm(RandomValues random, AttributeType type, List<AttributeValue> sortKeys) {
        List<KeyOperator> operators = new ArrayList<>(List.of(KeyOperator.EQ, KeyOperator.LT, KeyOperator.LE,
                KeyOperator.GT, KeyOperator.GE, KeyOperator.BETWEEN));
        if (type != AttributeType.N) operators.add(KeyOperator.BEGINS_WITH);
        KeyOperator operator = operators.get(random.random().nextInt(operators.size()));
        AttributeValue a = pick(random, type, sortKeys);
        if (operator == KeyOperator.BETWEEN) {
            AttributeValue b = pick(random, type, sortKeys);
            return new KeyTerm("sk", operator, DynamoOrder.compare(a, b) <= 0 ? List.of(a, b) : List.of(b, a));
        }
        if (operator == KeyOperator.BEGINS_WITH) return new KeyTerm("sk", operator, List.of(prefixOf(random, a)));
        return new KeyTerm("sk", operator, List.of(a));
    }

    private static AttributeValue pick(RandomValues random, AttributeType type, List<AttributeValue> sortKeys) {
        return random.random().nextBoolean() ? sortKeys.get(random.random().nextInt(sortKeys.size())) : random.key(type);
    }

    private static AttributeValue prefixOf(RandomValues random, AttributeValue value) {
        if (value instanceof AttributeValue.StringValue s) {
            int[] codePoints = s.value().codePoints().toArray();
            int length = random.random().nextInt(codePoints.length + 1);
            return AttributeValue.s(new String(codePoints, 0, length));
        }
        byte[] bytes = ((AttributeValue.BinaryValue) value).value().toArray();
        return AttributeValue.b(java.util.Arrays.copyOf(bytes, random.random().nextInt(bytes.length + 1)));
    }

    private void write(List<AttributeValue> sortKeys) {
        write(PK, sortKeys);
        for (AttributeValue sortKey : sortKeys) {
            UUID other = UUID.fromString("33333333-3333-3333-3333-333333333334");
            store.apply("o", PartitionMeta.EMPTY, List.of(new ItemMutation.Put(StorageKeys.itemKey(other, PK, Optional.of(sortKey)),
                    Map.of("pk", PK, "sk", sortKey))));
        }
    }

    private void write(AttributeValue pk, List<AttributeValue> sortKeys) {
        List<ItemMutation> puts = new ArrayList<>();
        for (AttributeValue sortKey : sortKeys) {
            puts.add(new ItemMutation.Put(StorageKeys.itemKey(TABLE, pk, Optional.of(sortKey)), Map.of("pk", pk, "sk", sortKey)));
        }
        store.apply("t", PartitionMeta.EMPTY, puts);
    }

    private List<AttributeValue> sortKeysIn(KeyRange range, boolean reverse) {
        List<AttributeValue> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : ItemPage.read(store, range, reverse, Integer.MAX_VALUE, Long.MAX_VALUE).items()) {
            assertEquals(PK, item.get("pk"));
            keys.add(item.get("sk"));
        }
        return keys;
    }
}
