package io.eddy.persistence;

import java.util.Arrays;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The item store's row cache: recently read and written items' encodings by item key, and the
 * keys known to hold no item. Every put first reads the item it replaces (its old image), and a
 * read through LevelDB's JNI costs ~7 µs, most of it walking the memtable's skip list
 * (docs/benchmarks.md); a hit costs a hash lookup and a copy.
 *
 * <p>It never answers with anything older than the store: a miss is read from the store inside
 * the cache's atomic compute for that key, and a write updates the entry after the store has
 * taken it, in a compute of its own, which waits for a read of the same key in progress and then
 * overwrites what it read.
 *
 * <p>An entry's bytes live in a buffer of its own that a write of the same size or smaller copies
 * into, rather than in a new array per write: an array per write, held until the key's next write,
 * outlives young collections, so a busy cache filled the old generation with dead items and the
 * parallel collector stopped everything for 100+ ms to clear it (docs/benchmarks.md). Weighed by
 * bytes (Caffeine's size-and-frequency eviction), so a big table is served from the cache as far
 * as its hot keys go and from LevelDB beyond.
 */
final class ItemCache {
    /** What an entry costs beyond its key and buffer: the key's wrapper, the slot and the cache's node. */
    private static final int ENTRY_OVERHEAD_BYTES = 160;
    /** The entry of a key known to hold no item; never written to. */
    private static final Slot ABSENT = new Slot(null);

    private final Cache<Key, Slot> entries;

    /** @param maxBytes 0 for no cache: every read goes to the store */
    ItemCache(long maxBytes) {
        this.entries = maxBytes <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Slot slot) -> key.bytes.length + slot.capacity() + ENTRY_OVERHEAD_BYTES)
                .executor(Runnable::run) // evicts on the caller's thread: no pool of its own
                .build();
    }

    /**
     * The item's encoding (an array of the caller's own), or null if there is no item; on a miss
     * {@code read} (null for no item) is asked, and what it answers kept.
     */
    byte[] get(byte[] itemKey, Function<byte[], byte[]> read) {
        if (entries == null) return read.apply(itemKey);
        return entries.get(new Key(itemKey), key -> {
            byte[] stored = read.apply(key.bytes); // a fresh array: the slot may keep it
            return stored == null ? ABSENT : new Slot(stored);
        }).copy();
    }

    /** Records what the store now holds under {@code itemKey}: {@code encoding}, or null after a delete. */
    void written(byte[] itemKey, byte[] encoding) {
        if (entries == null) return;
        entries.asMap().compute(new Key(itemKey), (key, slot) -> {
            if (encoding == null) return ABSENT;
            if (slot == null || !slot.overwrite(encoding)) return new Slot(encoding.clone());
            return slot;
        });
    }

    /** Forgets every entry whose key starts with {@code prefix} (a dropped table's). */
    void forget(byte[] prefix) {
        if (entries != null) entries.asMap().keySet().removeIf(key -> startsWith(key.bytes, prefix));
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** One key's bytes, in a buffer that later writes reuse when they fit; guarded by its own monitor. */
    private static final class Slot {
        private byte[] buffer;
        private int length;

        Slot(byte[] encoding) {
            this.buffer = encoding;
            this.length = encoding == null ? -1 : encoding.length;
        }

        int capacity() {
            return buffer == null ? 0 : buffer.length;
        }

        /** Copies {@code encoding} in if it fits (the weight stays the buffer's); false if it does not. */
        synchronized boolean overwrite(byte[] encoding) {
            if (buffer == null || encoding.length > buffer.length) return false;
            System.arraycopy(encoding, 0, buffer, 0, encoding.length);
            length = encoding.length;
            return true;
        }

        synchronized byte[] copy() {
            return length < 0 ? null : Arrays.copyOf(buffer, length);
        }
    }

    /** An item key compared by content; the array is the caller's and is never written to. */
    private static final class Key {
        final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
