package io.eddy.persistence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The item store's row cache: recently read and written items' encodings by item key, and the
 * keys known to hold no item. Every put first reads the item it replaces (its old image), and a
 * read through LevelDB's JNI costs ~7 µs, most of it walking the memtable's skip list
 * (docs/benchmarks.md); a hit costs a lock, a hash probe and a copy.
 *
 * <p>The entries live in a few large arrays allocated once, never in objects of their own: each
 * segment appends its entries to a ring and finds them through a small table of positions. A write
 * of a cached item overwrites its entry in place when it fits; an entry the ring has wrapped over
 * is gone, and one read in the older half of the ring is appended again, so hot items stay. A
 * cache of an object per entry (Caffeine) churned the heap: entries outlived young collections and
 * died old, and with a 512 MB heap the parallel collector stopped 130 ms every ~30 s under random
 * reads of a big table, and for ~100 ms under put load (docs/benchmarks.md).
 *
 * <p>It never answers with anything older than the store. A write updates the entry after the
 * store has taken it; a miss reads the store without holding the segment and keeps what it read
 * only if no write reached the segment meanwhile.
 */
final class ItemCache {
    /** Positions a bucket holds: a key is looked for in its bucket only. */
    private static final int WAYS = 4;
    /** Per entry in the ring: key length, value length (-1: no item) and the room the value has. */
    private static final int ENTRY_HEADER = 12;
    private static final long MAX_SEGMENT_BYTES = 256L << 20;
    private static final long MIN_SEGMENT_BYTES = 64L << 10;
    /** The entries' header fields, at any offset of a ring. */
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final Segment[] segments;

    /**
     * @param maxBytes what the rings and their tables take together, allocated at once (at most an
     *                 eighth of the heap, so that a small heap still has room); 0 for no cache:
     *                 every read goes to the store
     */
    ItemCache(long maxBytes) {
        maxBytes = Math.min(maxBytes, Runtime.getRuntime().maxMemory() / 8);
        if (maxBytes <= 0) {
            segments = new Segment[0];
            return;
        }
        int count = 1;
        while (count < 16 && maxBytes / (count * 2) >= MIN_SEGMENT_BYTES) count *= 2;
        while (maxBytes / count > MAX_SEGMENT_BYTES) count *= 2;
        segments = new Segment[count];
        for (int i = 0; i < count; i++) segments[i] = new Segment(maxBytes / count);
    }

    /**
     * The item's encoding (an array of the caller's own), or null if there is no item; on a miss
     * {@code read} (null for no item) is asked, and what it answers is kept.
     */
    byte[] get(byte[] itemKey, Function<byte[], byte[]> read) {
        if (segments.length == 0) return read.apply(itemKey);
        int hash = hash(itemKey);
        Segment segment = segmentOf(hash);
        long writes;
        synchronized (segment) {
            int way = segment.find(itemKey, hash);
            if (way >= 0) return segment.valueAt(way, itemKey, hash);
            writes = segment.writes;
        }
        byte[] stored = read.apply(itemKey); // a fresh array: the caller's
        synchronized (segment) {
            // a write to the segment meanwhile may have been to this key, after the read above
            if (segment.writes == writes) segment.put(itemKey, hash, stored);
        }
        return stored;
    }

    /** Records what the store now holds under {@code itemKey}: {@code encoding}, or null after a delete. */
    void written(byte[] itemKey, byte[] encoding) {
        if (segments.length == 0) return;
        int hash = hash(itemKey);
        Segment segment = segmentOf(hash);
        synchronized (segment) {
            segment.put(itemKey, hash, encoding);
            segment.writes++;
        }
    }

    /** Forgets every entry whose key starts with {@code prefix} (a dropped table's). */
    void forget(byte[] prefix) {
        for (Segment segment : segments) {
            synchronized (segment) {
                segment.forget(prefix);
                segment.writes++;
            }
        }
    }

    private Segment segmentOf(int hash) {
        return segments[(hash >>> 16) & (segments.length - 1)];
    }

    private static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    /**
     * One ring of entries and the table that finds them; guarded by its own monitor. An entry
     * at absolute position {@code p} (ring offset {@code p % ring.length}) is intact while
     * {@code head <= p + ring.length}: appends only move forward, so the first to wrap over it
     * moves the head past that.
     */
    private static final class Segment {
        private final byte[] ring;
        private final long[] positions; // -1: empty
        private final int[] hashes;
        private final int bucketMask;
        private long head;
        /** Writes (and forgets) so far: a miss keeps what it read only if none came meanwhile. */
        long writes;

        Segment(long bytes) {
            // an eighth for the table, 12 bytes a way, rounded down to a power of two of buckets
            int buckets = Integer.highestOneBit((int) Math.max(1, bytes / 8 / 12 / WAYS));
            this.positions = new long[buckets * WAYS];
            this.hashes = new int[buckets * WAYS];
            this.ring = new byte[(int) (bytes - bytes / 8)];
            this.bucketMask = buckets - 1;
            Arrays.fill(positions, -1);
        }

        /** The way holding {@code key}'s intact entry, or -1. */
        int find(byte[] key, int hash) {
            int first = (hash & bucketMask) * WAYS;
            for (int way = first; way < first + WAYS; way++) {
                long position = positions[way];
                if (position < 0 || hashes[way] != hash || !intact(position)) continue;
                int at = offset(position);
                if (readInt(at) == key.length && Arrays.equals(ring, at + ENTRY_HEADER, at + ENTRY_HEADER + key.length, key, 0, key.length)) {
                    return way;
                }
            }
            return -1;
        }

        /** The value of the entry at {@code way} (null: no item), appended again if the ring is about to reach it. */
        byte[] valueAt(int way, byte[] key, int hash) {
            int at = offset(positions[way]);
            int length = readInt(at + 4);
            int from = at + ENTRY_HEADER + key.length;
            byte[] value = length < 0 ? null : Arrays.copyOfRange(ring, from, from + length);
            if (head - positions[way] > ring.length / 2) append(key, hash, value, way);
            return value;
        }

        /**
         * Makes {@code value} (null: no item) the key's entry: in place if it fits the entry's room
         * (so rewriting a hot item moves nothing), else appended; a key whose entry would not fit
         * in the ring loses its entry.
         */
        void put(byte[] key, int hash, byte[] value) {
            int way = find(key, hash);
            int length = value == null ? -1 : value.length;
            if (way >= 0) {
                int at = offset(positions[way]);
                if (Math.max(length, 0) <= readInt(at + 8)) {
                    writeInt(at + 4, length);
                    if (value != null) System.arraycopy(value, 0, ring, at + ENTRY_HEADER + key.length, length);
                    return;
                }
            }
            append(key, hash, value, way);
        }

        /** Appends the key's entry at the head, into {@code way} (-1: a victim of its bucket). */
        private void append(byte[] key, int hash, byte[] value, int way) {
            int room = value == null ? 0 : value.length;
            int size = ENTRY_HEADER + key.length + room;
            if (size > ring.length / 4) {
                if (way >= 0) positions[way] = -1;
                return;
            }
            if (way < 0) way = victim(hash);
            if (offset(head) + size > ring.length) head += ring.length - offset(head); // to the ring's start
            int at = offset(head);
            writeInt(at, key.length);
            writeInt(at + 4, value == null ? -1 : value.length);
            writeInt(at + 8, room);
            System.arraycopy(key, 0, ring, at + ENTRY_HEADER, key.length);
            if (value != null) System.arraycopy(value, 0, ring, at + ENTRY_HEADER + key.length, value.length);
            positions[way] = head;
            hashes[way] = hash;
            head += size;
        }

        /** An empty or overwritten way of the key's bucket, else its oldest entry's. */
        private int victim(int hash) {
            int first = (hash & bucketMask) * WAYS;
            int oldest = first;
            for (int way = first; way < first + WAYS; way++) {
                if (positions[way] < 0 || !intact(positions[way])) return way;
                if (positions[way] < positions[oldest]) oldest = way;
            }
            return oldest;
        }

        void forget(byte[] prefix) {
            for (int way = 0; way < positions.length; way++) {
                if (positions[way] < 0 || !intact(positions[way])) continue;
                int at = offset(positions[way]);
                int keyLength = readInt(at);
                if (keyLength >= prefix.length
                        && Arrays.equals(ring, at + ENTRY_HEADER, at + ENTRY_HEADER + prefix.length, prefix, 0, prefix.length)) {
                    positions[way] = -1;
                }
            }
        }

        private boolean intact(long position) {
            return head - position <= ring.length;
        }

        private int offset(long position) {
            return (int) (position % ring.length);
        }

        private int readInt(int at) {
            return (int) INT.get(ring, at);
        }

        private void writeInt(int at, int value) {
            INT.set(ring, at, value);
        }
    }
}
