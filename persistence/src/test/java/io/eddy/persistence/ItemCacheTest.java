package io.eddy.persistence;

import static io.eddy.persistence.ItemStoreTest.key;
import static io.eddy.persistence.ItemStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.model.AttributeValue;

/** The item store's row cache, through the store: reads never see less than the store holds. */
class ItemCacheTest {
    private static final UUID TABLE = UUID.fromString("33333333-3333-3333-3333-333333333333");

    @TempDir
    Path dir;

    @Test
    void aCacheSmallerThanTheItemsStillServesEveryItemAsLastWritten() throws Exception {
        try (ItemStore store = ItemStore.open(dir, 16 << 10)) {
            int items = 2000;
            for (int i = 0; i < items; i++) store.apply("p", new PartitionMeta(i + 1, i + 1, 0), List.of(put(key(TABLE, "a", i), "v" + i)));
            for (int i = 0; i < items; i += 2) store.apply("p", new PartitionMeta(items + i + 1, items, 0), List.of(put(key(TABLE, "a", i), "w" + i)));
            for (int i = 0; i < items; i += 3) store.apply("p", new PartitionMeta(2 * items + i + 1, items, 0), List.of(new ItemMutation.Delete(key(TABLE, "a", i))));
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < items; i++) {
                    Optional<String> expected = i % 3 == 0 ? Optional.empty() : Optional.of((i % 2 == 0 ? "w" : "v") + i);
                    assertEquals(expected, value(store, key(TABLE, "a", i)), "item " + i);
                }
            }
        }
    }

    @Test
    void anItemTooBigForTheCacheReplacesTheSmallerOneItHeld() throws Exception {
        try (ItemStore store = ItemStore.open(dir, 16 << 10)) {
            byte[] key = key(TABLE, "a", 1);
            store.apply("p", new PartitionMeta(1, 1, 0), List.of(put(key, "small")));
            assertEquals(Optional.of("small"), value(store, key));
            String big = "b".repeat(8 << 10);
            store.apply("p", new PartitionMeta(2, 1, 0), List.of(put(key, big)));
            assertEquals(Optional.of(big), value(store, key));
            assertEquals(Optional.of(big), value(store, key));
        }
    }

    @Test
    void readsStayRightWhileTheRingWrapsOverAndOver() throws Exception {
        try (ItemStore store = ItemStore.open(dir, 32 << 10)) {
            List<ItemMutation> hot = new ArrayList<>();
            for (int i = 0; i < 5; i++) hot.add(put(key(TABLE, "hot", i), "h" + i));
            store.apply("p", new PartitionMeta(1, 5, 0), hot);
            for (int i = 0; i < 3000; i++) {
                store.apply("p", new PartitionMeta(i + 2, 5, 0), List.of(put(key(TABLE, "cold", i), "c".repeat(100) + i)));
                int h = i % 5;
                assertEquals(Optional.of("h" + h), value(store, key(TABLE, "hot", h)));
            }
            for (int i = 0; i < 3000; i += 7) assertEquals(Optional.of("c".repeat(100) + i), value(store, key(TABLE, "cold", i)));
        }
    }

    @Test
    void withoutACacheEveryReadGoesToTheStore() throws Exception {
        try (ItemStore store = ItemStore.open(dir, 0)) {
            byte[] key = key(TABLE, "a", 1);
            assertEquals(Optional.empty(), value(store, key));
            store.apply("p", new PartitionMeta(1, 1, 0), List.of(put(key, "one")));
            assertEquals(Optional.of("one"), value(store, key));
            store.apply("p", new PartitionMeta(2, 0, 0), List.of(new ItemMutation.Delete(key)));
            assertEquals(Optional.empty(), value(store, key));
        }
    }

    @Test
    void aKeyReadAsMissingIsFoundOnceWritten() throws Exception {
        try (ItemStore store = ItemStore.open(dir)) {
            byte[] key = key(TABLE, "a", 1);
            assertEquals(Optional.empty(), value(store, key)); // remembered as absent
            store.apply("p", new PartitionMeta(1, 1, 0), List.of(put(key, "one")));
            assertEquals(Optional.of("one"), value(store, key));
        }
    }

    /**
     * A writer applies ever newer versions of a few keys while readers read them, through a cache
     * so small that entries are evicted and read back from the store all the time: once an apply
     * has returned, no read may answer an older version (a read that fetched from the store before
     * the write must not leave its stale copy in the cache after it).
     */
    @Test
    void readsRacingWritesNeverAnswerAnOlderVersionThanTheLastApplied() throws Exception {
        int keys = 8, versions = 3000, readers = 3;
        AtomicLongArray applied = new AtomicLongArray(keys);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        try (ItemStore store = ItemStore.open(dir, 2 << 10)) {
            List<Future<Long>> reads = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                reads.add(pool.submit(() -> {
                    long n = 0;
                    while (writing.get()) {
                        int k = (int) (n % keys);
                        long floor = applied.get(k);
                        long seen = value(store, key(TABLE, "k", k)).map(Long::parseLong).orElse(0L);
                        if (seen < floor) throw new AssertionError("key " + k + ": read version " + seen + " after " + floor + " was applied");
                        n++;
                    }
                    return n;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                for (int v = 1; v <= versions; v++) {
                    for (int k = 0; k < keys; k++) {
                        // filler items of another table keep the tiny cache evicting
                        store.apply("p", new PartitionMeta(v, keys, 0), List.of(put(key(TABLE, "k", k), Long.toString(v)),
                                put(key(UUID.randomUUID(), "filler", v), "x".repeat(200))));
                        applied.set(k, v);
                    }
                }
                return null;
            });
            try {
                writer.get();
            } finally {
                writing.set(false);
            }
            long total = 0;
            for (Future<Long> read : reads) total += read.get();
            assertTrue(total > 0);
            for (int k = 0; k < keys; k++) assertEquals(Optional.of(Long.toString(versions)), value(store, key(TABLE, "k", k)));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The race the cache is built against, made to happen: a read misses and fetches the old
     * version from the store; the write lands in the store and reports itself to the cache before
     * the read has returned. The write's entry must win, else the cache would answer the old
     * version until evicted.
     */
    @Test
    void aWriteReportedWhileAReadOfItsKeyIsFetchingWinsOverWhatTheReadFetched() throws Exception {
        ItemCache cache = new ItemCache(1 << 20);
        byte[] key = {1, 2, 3};
        byte[] oldVersion = {1}, newVersion = {2};
        ConcurrentHashMap<String, byte[]> store = new ConcurrentHashMap<>(Map.of("k", oldVersion));
        CountDownLatch fetched = new CountDownLatch(1), stored = new CountDownLatch(1), reported = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<byte[]> read = pool.submit(() -> cache.get(key, k -> {
                byte[] version = store.get("k").clone(); // as LevelDB's read, a fresh array
                fetched.countDown();
                await(stored, 5_000);
                await(reported, 300); // the write is reported before this read returns (unless the cache holds it back)
                return version;
            }));
            Future<?> write = pool.submit(() -> {
                await(fetched, 5_000);
                store.put("k", newVersion);
                stored.countDown();
                cache.written(key, newVersion);
                reported.countDown();
                return null;
            });
            byte[] answered = read.get(); // concurrent with the write: either version will do
            assertTrue(Arrays.equals(oldVersion, answered) || Arrays.equals(newVersion, answered));
            write.get();
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(newVersion, cache.get(key, k -> { throw new AssertionError("cached, not read again"); }));
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> value(ItemStore store, byte[] key) {
        return store.get(key).map(item -> item.get("v")).map(v -> ((AttributeValue.StringValue) v).value());
    }
}
