package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;

class ItemStoreTest {
    private static final UUID TABLE = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final UUID OTHER_TABLE = UUID.fromString("22222222-2222-2222-2222-222222222222");

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

    @Test
    void putGetDelete() {
        byte[] key = key(TABLE, "alice", 1);
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.s("alice"), "sk", AttributeValue.n("1"), "age", AttributeValue.n("30"));
        assertEquals(Optional.empty(), store.get(key));

        store.apply("t#0", new PartitionMeta(1, 1, 100), List.of(new ItemMutation.Put(key, item)));
        assertEquals(Optional.of(item), store.get(key));
        assertEquals(Optional.empty(), store.get(key(TABLE, "alice", 2)));

        Map<String, AttributeValue> replaced = Map.of("pk", AttributeValue.s("alice"), "sk", AttributeValue.n("1"));
        store.apply("t#0", new PartitionMeta(2, 1, 50), List.of(new ItemMutation.Put(key, replaced)));
        assertEquals(Optional.of(replaced), store.get(key));

        store.apply("t#0", new PartitionMeta(3, 0, 0), List.of(new ItemMutation.Delete(key)));
        assertEquals(Optional.empty(), store.get(key));
        assertEquals(new PartitionMeta(3, 0, 0), store.meta("t#0"));
    }

    @Test
    void metaIsEmptyUntilApplied() {
        assertEquals(PartitionMeta.EMPTY, store.meta("t#0"));
        store.apply("t#0", new PartitionMeta(7, 0, 0), List.of());
        assertEquals(new PartitionMeta(7, 0, 0), store.meta("t#0"));
        assertEquals(PartitionMeta.EMPTY, store.meta("t#1"));
    }

    @Test
    void oneApplyWritesSeveralMutationsAndTheMeta() {
        byte[] a = key(TABLE, "a", 1), b = key(TABLE, "b", 1), c = key(TABLE, "c", 1);
        store.apply("t#0", new PartitionMeta(1, 2, 20), List.of(put(a, "a"), put(b, "b")));
        store.apply("t#0", new PartitionMeta(3, 2, 20), List.of(new ItemMutation.Delete(a), put(c, "c")));
        assertFalse(store.get(a).isPresent());
        assertEquals("b", ((AttributeValue.StringValue) store.get(b).orElseThrow().get("v")).value());
        assertTrue(store.get(c).isPresent());
        assertEquals(new PartitionMeta(3, 2, 20), store.meta("t#0"));
    }

    /**
     * A reader that sees sequence number n in the meta must also see the item written with it:
     * the writer puts item n (and never deletes) in the batch that sets the meta to n. Were meta
     * and items written separately (meta first), the reader would catch the gap.
     */
    @Test
    void metaNeverRunsAheadOfTheItems() throws Exception {
        int writes = 3000;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> checks = reader.submit(() -> {
                int n = 0;
                while (!done.get()) {
                    long applied = store.meta("p").appliedSeqNr();
                    if (applied > 0) {
                        assertTrue(store.get(key(TABLE, "k", applied)).isPresent(), "item " + applied);
                        n++;
                    }
                }
                return n;
            });
            for (long seq = 1; seq <= writes; seq++) {
                store.apply("p", new PartitionMeta(seq, seq, 0), List.of(put(key(TABLE, "k", seq), "v" + seq)));
            }
            done.set(true);
            assertTrue(checks.get() > 0);
        } finally {
            done.set(true);
            reader.shutdownNow();
        }
        assertEquals(writes, store.meta("p").appliedSeqNr());
    }

    @Test
    void dataSurvivesCloseAndReopen() throws Exception {
        byte[] key = key(TABLE, "persisted", 5);
        store.apply("t#0", new PartitionMeta(42, 1, 10), List.of(put(key, "x")));
        store.close();
        store = ItemStore.open(dir.resolve("items"));
        assertEquals(new PartitionMeta(42, 1, 10), store.meta("t#0"));
        assertEquals("x", ((AttributeValue.StringValue) store.get(key).orElseThrow().get("v")).value());
    }

    @Test
    void dropTableRemovesOnlyThatTable() {
        int items = 2500; // more than one delete batch
        for (int i = 0; i < items; i += 100) {
            List<ItemMutation> batch = new ArrayList<>();
            for (int j = i; j < i + 100; j++) {
                batch.add(put(key(TABLE, "pk" + (j % 37), j), "t" + j));
                if (j % 10 == 0) batch.add(put(key(OTHER_TABLE, "pk" + (j % 37), j), "o" + j));
            }
            store.apply(i % 200 == 0 ? "T#0" : "T#1", new PartitionMeta(i + 1, 0, 0), batch);
        }
        store.apply("O#0", new PartitionMeta(9, 250, 0), List.of());

        store.dropTable(TABLE, List.of("T#0", "T#1"));

        assertEquals(0, count(StorageKeys.tablePrefix(TABLE)));
        assertEquals(250, count(StorageKeys.tablePrefix(OTHER_TABLE)));
        assertEquals(PartitionMeta.EMPTY, store.meta("T#0"));
        assertEquals(PartitionMeta.EMPTY, store.meta("T#1"));
        assertEquals(new PartitionMeta(9, 250, 0), store.meta("O#0"));
        assertTrue(store.get(key(OTHER_TABLE, "pk0", 0)).isPresent());
        assertFalse(store.get(key(TABLE, "pk0", 0)).isPresent());
    }

    @Test
    void aStoppedDropKeepsTheMetadataAndAnotherDropFinishes() {
        storeItemsInOnePartition(); // three delete batches
        int[] checks = {0};

        assertFalse(store.dropTable(TABLE, List.of("T#0"), () -> ++checks[0] > 1));

        assertEquals(1500, count(StorageKeys.tablePrefix(TABLE)), "one batch deleted before the stop");
        assertEquals(new PartitionMeta(2401, 2500, 0), store.meta("T#0"));
        assertTrue(store.dropTable(TABLE, List.of("T#0")));
        assertEquals(0, count(StorageKeys.tablePrefix(TABLE)));
        assertEquals(PartitionMeta.EMPTY, store.meta("T#0"));
    }

    @Test
    void closingStopsARunningDropBetweenBatches() throws Exception {
        storeItemsInOnePartition();
        Thread closer = new Thread(store::close);
        int[] checks = {0};

        // Before the second batch, close from another thread and wait until it waits for the drop
        // (it marks the store closing first); the drop deletes that batch, then sees the close.
        boolean finished = store.dropTable(TABLE, List.of("T#0"), () -> {
            if (++checks[0] == 2) {
                closer.start();
                while (closer.getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
            }
            return false;
        });
        closer.join();

        assertFalse(finished);
        store = ItemStore.open(dir.resolve("items"));
        assertEquals(500, count(StorageKeys.tablePrefix(TABLE)));
        assertEquals(new PartitionMeta(2401, 2500, 0), store.meta("T#0"));
    }

    /** 2,500 items of TABLE in partition T#0, applied 100 at a time: its meta ends at (2401, 2500, 0). */
    private void storeItemsInOnePartition() {
        for (int i = 0; i < 2500; i += 100) {
            List<ItemMutation> batch = new ArrayList<>();
            for (int j = i; j < i + 100; j++) batch.add(put(key(TABLE, "pk" + j, j), "t" + j));
            store.apply("T#0", new PartitionMeta(i + 1, i + 100, 0), batch);
        }
    }

    @Test
    void storedTableIdsAndMetaIdsListWhatIsStored() {
        UUID indexedOnly = UUID.fromString("33333333-3333-3333-3333-333333333333");
        UUID index = UUID.fromString("44444444-4444-4444-4444-444444444444");
        assertEquals(java.util.Set.of(), store.storedTableIds());
        for (int i = 0; i < 300; i++) {
            store.apply("T#" + (i % 3), new PartitionMeta(i + 1, 0, 0), List.of(put(key(TABLE, "pk" + i, i), "t" + i)));
        }
        store.apply("O#0", new PartitionMeta(1, 0, 0), List.of(put(key(OTHER_TABLE, "pk", 1), "o")));
        byte[] entry = StorageKeys.indexEntryKey(indexedOnly, index, List.of(AttributeValue.s("g")), List.of(),
                AttributeValue.s("pk"), Optional.empty());
        store.apply("I#0/" + index, new PartitionMeta(5, 1, 10), List.of(put(entry, "entry")));

        assertEquals(java.util.Set.of(TABLE, OTHER_TABLE, indexedOnly), store.storedTableIds());
        assertEquals(new java.util.TreeSet<>(List.of("I#0/" + index, "O#0", "T#0", "T#1", "T#2")), store.metaIds());

        store.dropTable(indexedOnly, List.of("I#0/" + index));
        store.dropTable(TABLE, List.of("T#0", "T#1", "T#2"));
        assertEquals(java.util.Set.of(OTHER_TABLE), store.storedTableIds());
        assertEquals(new java.util.TreeSet<>(List.of("O#0")), store.metaIds());
    }

    @Test
    void partitionRecordsAreWrittenWithTheItemsAndDroppedWithTheTable() throws Exception {
        byte[] key = key(TABLE, "alice", 1);
        store.apply("T#0", new PartitionMeta(1, 1, 10), List.of(put(key, "a")),
                List.of(PartitionRecord.put("tx-b", new byte[] {2}), PartitionRecord.put("tx-a", new byte[] {1})));
        store.apply("T#1", new PartitionMeta(1, 0, 0), List.of(), List.of(PartitionRecord.put("tx-c", new byte[0])));
        store.apply("T#0", new PartitionMeta(2, 1, 10), List.of(), List.of(PartitionRecord.delete("tx-b")));

        assertEquals(List.of("tx-a"), List.copyOf(store.records("T#0").keySet()));
        assertArrayEquals(new byte[] {1}, store.records("T#0").get("tx-a"));
        assertEquals(List.of("T#0", "T#1"), List.copyOf(store.partitionsWithRecords()));
        assertEquals(new PartitionMeta(2, 1, 10), store.meta("T#0"));

        store.close();
        store = ItemStore.open(dir.resolve("items"));
        assertEquals(List.of("tx-c"), List.copyOf(store.records("T#1").keySet()));

        store.dropTable(TABLE, List.of("T#0", "T#1"));
        assertEquals(List.of(), List.copyOf(store.partitionsWithRecords()));
        assertEquals(Optional.empty(), store.get(key));
    }

    @Test
    void rangeScansAPartitionKeyInSortKeyOrderBothWays() {
        List<ItemMutation> batch = new ArrayList<>();
        for (int sk : new int[] {5, -3, 100, 0, 42, -250, 7}) batch.add(put(key(TABLE, "user", sk), Integer.toString(sk)));
        batch.add(put(key(TABLE, "other", 1), "x"));
        batch.add(put(key(OTHER_TABLE, "user", 1), "y"));
        store.apply("t#0", PartitionMeta.EMPTY, batch);

        byte[] from = StorageKeys.partitionKeyPrefix(TABLE, AttributeValue.s("user"));
        byte[] to = StorageKeys.prefixEnd(from);
        assertEquals(List.of("-250", "-3", "0", "5", "7", "42", "100"), values(store.range(from, to, false)));
        assertEquals(List.of("100", "42", "7", "5", "0", "-3", "-250"), values(store.range(from, to, true)));

        // sort key between -3 and 42, inclusive, as a Query would bound it
        byte[] lo = KeyEncoding.concat(from, KeyEncoding.encode(AttributeValue.n("-3")));
        byte[] hi = StorageKeys.prefixEnd(KeyEncoding.concat(from, KeyEncoding.encode(AttributeValue.n("42"))));
        assertEquals(List.of("-3", "0", "5", "7", "42"), values(store.range(lo, hi, false)));
        assertEquals(List.of("42", "7", "5", "0", "-3"), values(store.range(lo, hi, true)));
    }

    /** Random ranges, including ones at both ends of the database, against a sorted model. */
    @Test
    void rangeMatchesASortedModelInBothDirections() {
        Random rnd = new Random(5);
        RandomValues values = new RandomValues(6);
        TreeMap<byte[], String> model = new TreeMap<>(Arrays::compareUnsigned);
        List<ItemMutation> batch = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            UUID table = i % 4 == 0 ? OTHER_TABLE : TABLE;
            byte[] key = StorageKeys.itemKey(table, values.key(AttributeType.B), Optional.of(values.key(AttributeType.N)));
            model.put(key, "v" + i);
            batch.add(put(key, "v" + i));
        }
        store.apply("p", PartitionMeta.EMPTY, batch);
        store.dropTable(UUID.randomUUID(), List.of("p")); // removes the meta: only items remain, so ranges reach the database's end

        List<byte[]> keys = new ArrayList<>(model.keySet());
        for (int t = 0; t < 500; t++) {
            byte[] from = bound(rnd, keys), to = bound(rnd, keys);
            List<String> expected = new ArrayList<>(Arrays.compareUnsigned(from, to) < 0 ? model.subMap(from, to).values() : List.of());
            assertEquals(expected, values(store.range(from, to, false)), "forward");
            Collections.reverse(expected);
            assertEquals(expected, values(store.range(from, to, true)), "reverse");
        }
        assertEquals(new ArrayList<>(model.values()), values(store.range(new byte[] {0}, new byte[] {(byte) 0xFF}, false)));
        assertEquals(List.of(), values(store.range(new byte[] {3}, new byte[] {4}, true)));
        assertEquals(List.of(), values(store.range(new byte[] {0}, new byte[] {1}, true)));
    }

    private static byte[] bound(Random rnd, List<byte[]> keys) {
        byte[] key = keys.get(rnd.nextInt(keys.size()));
        return switch (rnd.nextInt(7)) {
            case 0 -> key;                                          // exactly a key
            case 1 -> KeyEncoding.concat(key, new byte[] {0});      // just after a key
            case 2 -> Arrays.copyOf(key, rnd.nextInt(key.length));  // a prefix
            case 3 -> StorageKeys.prefixEnd(Arrays.copyOf(key, 1 + rnd.nextInt(key.length - 1)));
            case 4 -> new byte[] {0};                               // before everything
            case 5 -> new byte[] {(byte) 0xFF};                     // after everything
            default -> keys.get(0);                                 // the first key
        };
    }

    @Test
    void rangeSeesASnapshot() {
        byte[] a = key(TABLE, "a", 1), b = key(TABLE, "b", 1);
        store.apply("p", PartitionMeta.EMPTY, List.of(put(a, "a")));
        byte[] from = StorageKeys.tablePrefix(TABLE), to = StorageKeys.prefixEnd(from);
        try (ItemIterator it = store.range(from, to, false)) {
            store.apply("p", PartitionMeta.EMPTY, List.of(put(b, "b"), new ItemMutation.Delete(a)));
            assertTrue(it.hasNext());
            StoredItem first = it.next();
            assertArrayEquals(a, first.key());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void concurrentPartitionsApplyIndependently() throws Exception {
        int threads = 4, writes = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String partition = "t#" + t;
                done.add(pool.submit(() -> {
                    for (int seq = 1; seq <= writes; seq++) {
                        store.apply(partition, new PartitionMeta(seq, seq, 0), List.of(put(key(TABLE, partition, seq), "v")));
                        store.get(key(TABLE, partition, seq)).orElseThrow();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) assertEquals(new PartitionMeta(writes, writes, 0), store.meta("t#" + t));
        assertEquals(threads * writes, count(StorageKeys.tablePrefix(TABLE)));
    }

    @Test
    void syncFlushesTheLogsWhileWritesGoOnAndTheStoreReopensWithThemAll() throws Exception {
        int writes = 3000;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                for (int i = 1; i <= writes; i++) {
                    store.apply("p", new PartitionMeta(i, i, 0), List.of(put(key(TABLE, "a", i), "v" + i)));
                }
            });
            while (!writing.isDone()) store.sync(); // flushes LevelDB's logs itself, then a synced write
            writing.get();
        } finally {
            writer.shutdownNow();
        }
        store.sync();
        store.close();
        store = ItemStore.open(dir.resolve("items"));
        assertEquals(new PartitionMeta(writes, writes, 0), store.meta("p"));
        assertEquals(writes, count(StorageKeys.tablePrefix(TABLE)));
    }

    @Test
    void mutationsCannotTouchMetadata() {
        assertThrows(IllegalArgumentException.class, () -> new ItemMutation.Put(StorageKeys.metaKey("p"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ItemMutation.Delete(StorageKeys.metaKey("p")));
        assertThrows(IllegalArgumentException.class, () -> new PartitionMeta(-1, 0, 0));
    }

    @Test
    void closedStoreRefusesWorkAndIteratorsDoNotHoldItOpen() {
        store.apply("p", PartitionMeta.EMPTY, List.of(put(key(TABLE, "a", 1), "a")));
        byte[] from = StorageKeys.tablePrefix(TABLE), to = StorageKeys.prefixEnd(from);
        ItemIterator exhausted = store.range(from, to, false);
        exhausted.forEachRemaining(item -> {}); // not closed explicitly: exhaustion releases it
        ItemIterator closedEarly = store.range(from, to, true);
        closedEarly.close();

        store.close();
        store.close(); // idempotent
        assertFalse(exhausted.hasNext());
        assertThrows(IllegalStateException.class, () -> store.get(key(TABLE, "a", 1)));
        assertThrows(IllegalStateException.class, () -> store.meta("p"));
        assertThrows(IllegalStateException.class, () -> store.range(from, to, false));
    }

    private long count(byte[] prefix) {
        try (ItemIterator it = store.range(prefix, StorageKeys.prefixEnd(prefix), false)) {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return n;
        }
    }

    private static List<String> values(ItemIterator it) {
        try (it) {
            List<String> out = new ArrayList<>();
            it.forEachRemaining(stored -> out.add(((AttributeValue.StringValue) stored.item().get("v")).value()));
            return out;
        }
    }

    static byte[] key(UUID table, String pk, long sk) {
        return StorageKeys.itemKey(table, AttributeValue.s(pk), Optional.of(AttributeValue.n(Long.toString(sk))));
    }

    static ItemMutation put(byte[] key, String value) {
        return new ItemMutation.Put(key, Map.of("v", AttributeValue.s(value)));
    }
}
