package io.eddy.persistence;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eddy.model.AttributeValue;

/**
 * The materialised state of all partitions of a node: items and per-partition metadata in one
 * LevelDB database (key layout in {@link StorageKeys}). Thread-safe; all partitions share it.
 *
 * <p>Writes are not synced: the journal is the durable source of truth and the store is
 * rebuilt from it. What the store guarantees is that each {@link #apply} is atomic, so that a
 * partition's applied sequence number always matches its items, even after a crash: after a
 * machine crash its log is first cut back to its intact prefix ({@link TornLogRepair}).
 *
 * <p>Open one ItemStore per directory per process: a second open is refused.
 */
public final class ItemStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ItemStore.class);
    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    /**
     * Overwrites of hot items meet in the memtable, and each flush starts a compaction that
     * decompresses and recompresses what it merges: a larger memtable flushes (and compacts) less
     * often, and a small table is read from it alone. LevelDB's default is 4 MB, which lowered
     * PutItem's p99 at 64 connections (~15 to ~12 ms) but slowed Query on a small table by about a
     * fifth and a million-item load by ~13% (docs/benchmarks.md, "The item store's memtable: 4 MB
     * against 32 MB").
     */
    private static final int WRITE_BUFFER_BYTES = 32 << 20;
    /**
     * Table files of 16 MB rather than LevelDB's 2 MB: a 10 GB store is ~700 files rather than
     * ~5,000, each open in the table cache with its index (within {@link OpenFileBudget}), and reads
     * start fewer seek compactions. The Bloom filter (10 bits a key, ~1% false positives) lets a
     * GetItem, or a write's read of the old image, pass over the levels that do not hold its key
     * instead of searching a block of each. No file is memory-mapped (LevelDB 1.23 would map up to
     * 1,000): all are read with {@code pread} through the block cache. On this machine's virtual
     * machine, once random reads had touched gigabytes of mapped tables the server's threads waited
     * up to tens of milliseconds for a core, even with 2 GB mapped (docs/benchmarks.md, "Mapped
     * table files").
     */
    private static final TableFileOptions TABLES = new TableFileOptions(16L << 20, 10, 0);
    /** The row cache's size when the caller names none (the node's is {@code eddy.item-cache-size}). */
    private static final long DEFAULT_CACHE_BYTES = 64L << 20;
    private static final int DROP_BATCH_SIZE = 1000;
    private static final long CLOSE_WAIT_SECONDS = 30;

    /**
     * The directories of the stores open in this process. A second open of one would cut its live
     * log ({@link TornLogRepair} cannot see this process's own LevelDB lock) before LevelDB refused it.
     */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final DB db;
    private final Path dir;
    /** {@code dir}'s real path, this store's entry in {@link #OPEN}. */
    private final Path key;
    private final ItemCache cache;
    /** Frees the files LevelDB drops outside its lock; null where it could not start. */
    private final LevelDbFileReaper reaper;
    private final WriteOptions writeOptions = new WriteOptions().sync(false);
    /**
     * Read-held by every operation and open iterator, write-held by close: a native call on a
     * closed LevelDB handle would crash the JVM rather than throw. Stamps (unlike a
     * ReentrantReadWriteLock) may be released by another thread, as iterators may be.
     */
    private final StampedLock lifecycle = new StampedLock();
    private volatile boolean closed;

    private ItemStore(DB db, Path dir, Path key, long cacheBytes, LevelDbFileReaper reaper) {
        this.db = db;
        this.dir = dir;
        this.key = key;
        this.cache = new ItemCache(cacheBytes);
        this.reaper = reaper;
    }

    /** Opens the store in {@code dir}, creating the directory and database if missing. */
    public static ItemStore open(Path dir) throws IOException {
        return open(dir, DEFAULT_CACHE_BYTES);
    }

    /** As {@link #open(Path)}, with a row cache of items ({@link ItemCache}) of up to {@code cacheBytes} (0: none). */
    public static ItemStore open(Path dir, long cacheBytes) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        // In LevelDB's own words for a lock this process holds, which the server's start explains.
        if (!OPEN.add(key)) throw new IOException("IO error: lock " + dir.resolve("LOCK") + ": already held by process");
        try {
            return open(dir, key, cacheBytes);
        } catch (IOException | RuntimeException e) {
            OPEN.remove(key);
            throw e;
        }
    }

    private static ItemStore open(Path dir, Path key, long cacheBytes) throws IOException {
        for (TornLogRepair.Cut cut : TornLogRepair.cutToIntactPrefix(dir)) {
            if (cut.zerosOnly()) continue; // a log's preallocated tail: nothing was lost
            log.warn("The item store's log {} was torn by a crash: cut its last {} bytes, from {}; "
                    + "the journal replays what they held", cut.log().getFileName(), cut.to() - cut.from(), cut.from());
        }
        Options options = new Options()
                .createIfMissing(true)
                .paranoidChecks(false)
                .cacheSize(BLOCK_CACHE_BYTES)
                .writeBufferSize(WRITE_BUFFER_BYTES)
                .maxOpenFiles(OpenFileBudget.itemStore());
        DB db = LevelDb.open(dir, options, TABLES);
        return new ItemStore(db, dir, key, cacheBytes, LevelDbFileReaper.start(dir, "eddy-items-reaper"));
    }

    public Optional<Map<String, AttributeValue>> get(byte[] itemKey) {
        byte[] encoded;
        long stamp = enter();
        try {
            encoded = cache.get(itemKey, db::get);
        } finally {
            lifecycle.unlockRead(stamp);
        }
        return encoded == null ? Optional.empty() : Optional.of(ItemCodec.decodeLazily(encoded));
    }

    /** The version of the item with this item key (of a global table); {@link ItemVersion#NONE} if none was recorded. */
    public ItemVersion version(byte[] itemKey) {
        byte[] encoded;
        long stamp = enter();
        try {
            encoded = db.get(StorageKeys.versionKey(itemKey));
        } finally {
            lifecycle.unlockRead(stamp);
        }
        return encoded == null ? ItemVersion.NONE : ItemVersion.decode(encoded);
    }

    /** The partition's metadata, {@link PartitionMeta#EMPTY} if nothing was ever applied. */
    public PartitionMeta meta(String partitionId) {
        byte[] encoded;
        long stamp = enter();
        try {
            encoded = db.get(StorageKeys.metaKey(partitionId));
        } finally {
            lifecycle.unlockRead(stamp);
        }
        return encoded == null ? PartitionMeta.EMPTY : PartitionMeta.decode(encoded);
    }

    /** The counters kept under a {@link StorageKeys#metaKey} or {@link StorageKeys#collectionKey}; EMPTY if none. */
    public PartitionMeta metaAt(byte[] key) {
        byte[] encoded;
        long stamp = enter();
        try {
            encoded = db.get(key);
        } finally {
            lifecycle.unlockRead(stamp);
        }
        return encoded == null ? PartitionMeta.EMPTY : PartitionMeta.decode(encoded);
    }

    /** Applies the mutations and records {@code newMeta}, all in one atomic write. */
    public void apply(String partitionId, PartitionMeta newMeta, List<ItemMutation> mutations) {
        apply(partitionId, newMeta, mutations, List.of());
    }

    /** Applies the item mutations and the record changes, in order, and records {@code newMeta}, all in one atomic write. */
    public void apply(String partitionId, PartitionMeta newMeta, List<ItemMutation> mutations, List<PartitionRecord> records) {
        long stamp = enter();
        WriteBatch batch = db.createWriteBatch();
        try {
            byte[][] encodings = new byte[mutations.size()][]; // the puts', for the cache below
            for (int i = 0; i < mutations.size(); i++) {
                ItemMutation mutation = mutations.get(i);
                if (mutation instanceof ItemMutation.Put put) {
                    encodings[i] = ItemCodec.encoding(put.item());
                    batch.put(put.key(), encodings[i]);
                } else if (mutation instanceof ItemMutation.SetVersion version) {
                    batch.put(StorageKeys.versionKey(version.key()), version.version().encode());
                } else if (mutation instanceof ItemMutation.SetMeta counters) {
                    // A counter back at zero (an emptied item collection) leaves no record behind.
                    if (counters.meta().itemCount() == 0 && counters.meta().sizeBytes() == 0) batch.delete(counters.key());
                    else batch.put(counters.key(), counters.meta().encode());
                } else {
                    batch.delete(mutation.key());
                }
            }
            for (PartitionRecord record : records) {
                byte[] key = StorageKeys.recordKey(partitionId, record.name());
                if (record.value().isPresent()) batch.put(key, record.value().get());
                else batch.delete(key);
            }
            batch.put(StorageKeys.metaKey(partitionId), newMeta.encode());
            db.write(batch, writeOptions);
            // only once the store holds them (see ItemCache); a delete's encoding is null
            for (int i = 0; i < mutations.size(); i++) {
                byte[] key = mutations.get(i).key();
                if (StorageKeys.isItemKey(key) && !(mutations.get(i) instanceof ItemMutation.SetVersion)) cache.written(key, encodings[i]);
            }
        } finally {
            closeNative(batch);
            lifecycle.unlockRead(stamp);
        }
    }

    /** The partition's records by name, in name order. */
    public SortedMap<String, byte[]> records(String partitionId) {
        SortedMap<String, byte[]> records = new TreeMap<>();
        scan(StorageKeys.recordPrefix(partitionId), (key, value) -> records.put(StorageKeys.nameOfRecord(key), value));
        return records;
    }

    /** The ids of the partitions that have at least one record. */
    public SortedSet<String> partitionsWithRecords() {
        SortedSet<String> partitions = new TreeSet<>();
        scan(new byte[] {StorageKeys.RECORD_SPACE}, (key, value) -> partitions.add(StorageKeys.partitionOfRecord(key)));
        return partitions;
    }

    /** The ids under which metadata is stored (partitions' and their indexes'). */
    public SortedSet<String> metaIds() {
        SortedSet<String> ids = new TreeSet<>();
        scan(new byte[] {StorageKeys.META_SPACE}, (key, value) -> ids.add(StorageKeys.idOfMetaKey(key)));
        return ids;
    }

    /**
     * The ids of the tables that have items, index entries or item collections stored. One seek
     * per table and key space, so it costs what the number of tables costs, not their size.
     */
    public Set<UUID> storedTableIds() {
        Set<UUID> ids = new HashSet<>();
        withCursor(cursor -> {
            for (byte space : new byte[] {StorageKeys.ITEM_SPACE, StorageKeys.INDEX_SPACE, StorageKeys.COLLECTION_SPACE}) {
                cursor.seek(new byte[] {space});
                while (cursor.hasNext()) {
                    byte[] key = cursor.peekNext().getKey();
                    if (key[0] != space || key.length < StorageKeys.TABLE_PREFIX_LENGTH) break;
                    ids.add(StorageKeys.tableIdOf(key));
                    // past every key of this table in this space
                    cursor.seek(StorageKeys.prefixEnd(Arrays.copyOf(key, StorageKeys.TABLE_PREFIX_LENGTH)));
                }
            }
        });
        return ids;
    }

    private void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
        byte[] end = StorageKeys.prefixEnd(prefix);
        withCursor(cursor -> {
            for (cursor.seek(prefix); cursor.hasNext(); ) {
                Map.Entry<byte[], byte[]> entry = cursor.next();
                if (Arrays.compareUnsigned(entry.getKey(), end) >= 0) break;
                visitor.accept(entry.getKey(), entry.getValue());
            }
        });
    }

    /** Reads through a fresh cursor, closed afterwards, with the store kept open meanwhile. */
    private void withCursor(Consumer<DBIterator> reading) {
        long stamp = enter();
        try {
            DBIterator cursor = db.iterator();
            try {
                reading.accept(cursor);
            } finally {
                closeNative(cursor);
            }
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /**
     * Makes every write applied so far durable, with one synced (empty) write: the store's writes
     * are not synced, so whoever deletes journal events below a sequence number read from it must
     * first know that a machine crash cannot take the store back below it.
     *
     * <p>Every other write of the store waits behind a synced one, and with seconds of unsynced
     * log to flush that took 4-21 ms under load (docs/benchmarks.md). So LevelDB's log files are
     * flushed first through a descriptor of this store's own, which holds no write up, and the
     * synced write is left only what was written since.
     */
    public void sync() {
        LevelDb.flushLogFiles(dir);
        long stamp = enter();
        WriteBatch batch = db.createWriteBatch();
        try {
            db.write(batch, new WriteOptions().sync(true));
        } finally {
            closeNative(batch);
            lifecycle.unlockRead(stamp);
        }
    }

    /**
     * Deletes every item, index entry, item collection record and item version of the table, then the given
     * partitions' records and metadata (and their indexes'). Not atomic as a whole (a big table
     * takes many batches); after a crash in the middle, calling it again finishes. Answers false,
     * with the metadata still there, if {@link #close} began before it finished: it stops between
     * batches rather than hold the shutdown for minutes.
     */
    public boolean dropTable(UUID tableId, Collection<String> partitionIds) {
        return dropTable(tableId, partitionIds, () -> false);
    }

    /** As {@link #dropTable(UUID, Collection)}, stopping early also once {@code stop} says so. */
    boolean dropTable(UUID tableId, Collection<String> partitionIds, BooleanSupplier stop) {
        List<byte[]> recordKeys = new ArrayList<>();
        for (String partitionId : partitionIds) {
            records(partitionId).keySet().forEach(name -> recordKeys.add(StorageKeys.recordKey(partitionId, name)));
        }
        byte[] items = StorageKeys.tablePrefix(tableId);
        boolean dropped = dropRanges(List.of(items, StorageKeys.indexesPrefix(tableId),
                StorageKeys.collectionsPrefix(tableId), StorageKeys.versionsPrefix(tableId)), partitionIds, recordKeys, stop);
        // A dropped table's id is never used again: this only gives its entries' room back.
        cache.forget(items);
        return dropped;
    }

    /** Deletes every entry of one index of the table, then the given metadata; as {@link #dropTable}, not atomic, and false if stopped by {@link #close}. */
    public boolean dropIndex(UUID tableId, UUID indexId, Collection<String> metaIds) {
        return dropRanges(List.of(StorageKeys.indexPrefix(tableId, indexId)), metaIds, List.of(), () -> false);
    }

    /** Deletes the ranges batch by batch, then the metadata and records: false if stopped before the end. */
    private boolean dropRanges(List<byte[]> prefixes, Collection<String> partitionIds, List<byte[]> recordKeys,
                               BooleanSupplier stop) {
        long stamp = enter();
        try {
            for (byte[] start : prefixes) {
                byte[] end = StorageKeys.prefixEnd(start);
                DBIterator cursor = db.iterator();
                try {
                    cursor.seek(start);
                    int deleted;
                    do {
                        if (closed || stop.getAsBoolean()) return false;
                        deleted = deleteBatch(cursor, end); // the cursor reads a snapshot: deleting behind it is safe
                    } while (deleted == DROP_BATCH_SIZE);
                } finally {
                    closeNative(cursor);
                }
            }
            WriteBatch batch = db.createWriteBatch();
            try {
                for (byte[] recordKey : recordKeys) batch.delete(recordKey);
                for (String partitionId : partitionIds) batch.delete(StorageKeys.metaKey(partitionId));
                db.write(batch, writeOptions);
            } finally {
                closeNative(batch);
            }
            return true;
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    private int deleteBatch(DBIterator cursor, byte[] end) {
        WriteBatch batch = db.createWriteBatch();
        try {
            int n = 0;
            while (n < DROP_BATCH_SIZE && cursor.hasNext()) {
                byte[] key = cursor.next().getKey();
                if (Arrays.compareUnsigned(key, end) >= 0) break;
                batch.delete(key);
                n++;
            }
            if (n > 0) db.write(batch, writeOptions);
            return n;
        } finally {
            closeNative(batch);
        }
    }

    /**
     * The items with keys in [fromInclusive, toExclusive), ascending or (reverse) descending.
     * Close the iterator: an open one holds native resources and keeps {@link #close} waiting.
     */
    public ItemIterator range(byte[] fromInclusive, byte[] toExclusive, boolean reverse) {
        Objects.requireNonNull(fromInclusive, "fromInclusive");
        Objects.requireNonNull(toExclusive, "toExclusive");
        long stamp = enter();
        DBIterator cursor;
        try {
            cursor = db.iterator();
        } catch (RuntimeException e) {
            lifecycle.unlockRead(stamp);
            throw e;
        }
        // from here the iterator owns the cursor and the stamp, and releases both on close
        return new ItemIterator(cursor, fromInclusive, toExclusive, reverse, () -> lifecycle.unlockRead(stamp));
    }

    /**
     * A partition's metadata and a range of its items as of one moment (one LevelDB snapshot), so
     * the items are exactly those the metadata's applied sequence number says: a consistent point
     * to build from and then follow the partition's changes after it. Close the iterator.
     */
    public SnapshotRange snapshotRange(String partitionId, byte[] fromInclusive, byte[] toExclusive) {
        long stamp = enter();
        Snapshot snapshot = null;
        try {
            snapshot = db.getSnapshot();
            ReadOptions options = new ReadOptions().snapshot(snapshot);
            byte[] meta = db.get(StorageKeys.metaKey(partitionId), options);
            DBIterator cursor = db.iterator(options);
            Snapshot held = snapshot;
            java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
            // from here the iterator owns the cursor, the snapshot and the stamp, and releases them on close
            ItemIterator items = new ItemIterator(cursor, fromInclusive, toExclusive, false, () -> {
                released.set(true);
                closeNative(held);
                lifecycle.unlockRead(stamp);
            });
            java.util.function.Function<byte[], ItemVersion> versions = itemKey -> {
                // The native snapshot is freed with the iterator: reading it after would read freed memory.
                if (released.get()) throw new IllegalStateException("the snapshot's items are closed");
                byte[] version = db.get(StorageKeys.versionKey(itemKey), options);
                return version == null ? ItemVersion.NONE : ItemVersion.decode(version);
            };
            return new SnapshotRange(meta == null ? PartitionMeta.EMPTY : PartitionMeta.decode(meta), items, versions);
        } catch (RuntimeException e) {
            if (snapshot != null) closeNative(snapshot);
            lifecycle.unlockRead(stamp);
            throw e;
        }
    }

    /**
     * What {@link #snapshotRange} reads: the partition's metadata and its items at that moment, and
     * (while the items are open) the versions of a global table's items at that same moment.
     */
    public record SnapshotRange(PartitionMeta meta, ItemIterator items, java.util.function.Function<byte[], ItemVersion> versionAt) {
        /** The version the item with this item key had at the snapshot; {@link ItemVersion#NONE} if none. */
        public ItemVersion version(byte[] itemKey) {
            return versionAt.apply(itemKey);
        }
    }

    /** Closes the database, after waiting for running operations and open iterators to finish. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        long stamp;
        try {
            stamp = lifecycle.tryWriteLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stamp = 0;
        }
        if (stamp == 0) {
            closed = false;
            throw new IllegalStateException("item store still in use (an iterator left open?); not closed");
        }
        try {
            closeNative(db);
        } finally {
            lifecycle.unlockWrite(stamp);
            if (reaper != null) reaper.close();
            OPEN.remove(key);
        }
    }

    private long enter() {
        long stamp = lifecycle.readLock();
        if (closed) {
            lifecycle.unlockRead(stamp);
            throw new IllegalStateException("item store closed");
        }
        return stamp;
    }

    private static void closeNative(Closeable resource) {
        try {
            resource.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
