package io.eddy.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * An append-only event log per persistence id in LevelDB, with group commit: every append waits
 * in a queue, and one writer thread takes everything queued, writes it as one batch with one
 * fsync, and only then completes the appends. Concurrent writers from many partitions so share
 * one fsync, and an append is durable when its future completes.
 *
 * <p>Events go to a log database in write order and an index database finds them by persistence
 * id ({@link JournalKeys} has the layout and why). The fsync is the {@link SyncLog}'s: a batch goes
 * to the log database unsynced and to the sync log synced, and on open whatever the log database
 * lost of the sync log's current cycle is written to it again. The index is written after the log
 * without sync, and on open every log entry past the last indexed position is indexed again, so an
 * index that lost its tail in a machine crash is rebuilt from the durable log.
 *
 * <p>Besides replay for recovery, the store is read by change-stream consumers: {@link #replay}
 * from any sequence number, {@link #lowestSequenceNr}, and {@link #nextAppend()} to learn that
 * new events were written without polling the database.
 */
public final class JournalStore implements AutoCloseable {

    /** One event to append. */
    public record Event(String persistenceId, long sequenceNr, byte[] payload) {}

    /** Appends that must be durable together: an atomic write of one persistent actor. */
    private record Request(List<Event> events, List<Deletion> deletions, CompletableFuture<Void> done) {}

    /** The id's events up to {@code toSequenceNr} to delete; with {@code forget}, all of them and the id, if its last is that. */
    private record Deletion(String persistenceId, long toSequenceNr, boolean forget) {}

    private static final Request STOP = new Request(List.of(), List.of(), null);
    private static final WriteOptions UNSYNCED = new WriteOptions().sync(false);
    private static final WriteOptions SYNCED = new WriteOptions().sync(true);
    /** Table files of the log are never rewritten, so larger ones cost nothing and mean fewer files. */
    private static final int LOG_WRITE_BUFFER_BYTES = 16 << 20;
    /**
     * Log positions compacted at once by {@link #compactDeleted}: each step also flushes the log's
     * memtable, so not too few; and close waits for a running step, so not too many (a few
     * hundred MB of 1 KB events, a few seconds).
     */
    static final long COMPACTION_STEP = 1 << 18;
    /** The sync log's size: how much of the log's tail LevelDB may hold unsynced. */
    public static final long DEFAULT_SYNC_LOG_BYTES = 64L << 20;
    static final String SYNC_LOG_FILE = "journal.sync";

    private final DB log;
    private final DB index;
    private final SyncLog syncLog;
    private final int maxBatchEvents;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong eventsDeleted = new AtomicLong();
    /**
     * The log positions deleted since the last {@link #compactDeleted}, as the span [lowest,
     * highest] of each deletion: LevelDB only drops deleted entries when a compaction meets them,
     * and the log's old table files lie in its deepest level, which nothing else compacts again.
     * Spans, not one range: deletions below stream retention (a day old) and right behind the
     * writes must not make every compaction rewrite the day of events between them.
     */
    private final List<long[]> deletedSpans = new ArrayList<>();
    /** The log position of the next event; only the writer thread moves it. */
    private long nextPosition;
    /** Completed (and replaced) after every durable write, for readers waiting for new events. */
    private final AtomicReference<CompletableFuture<Void>> nextAppend = new AtomicReference<>(new CompletableFuture<>());
    /**
     * Read-held by every read, write-held by close: a native call on a closed LevelDB handle
     * would crash the JVM rather than throw, and readers run on other threads than the writer.
     */
    private final StampedLock lifecycle = new StampedLock();
    private volatile boolean closed;

    private JournalStore(DB log, DB index, SyncLog syncLog, int maxBatchEvents) throws IOException {
        this.log = log;
        this.index = index;
        this.syncLog = syncLog;
        this.maxBatchEvents = maxBatchEvents;
        recoverSyncLog();
        this.nextPosition = indexLogTail() + 1;
        syncLog.restart(nextPosition - 1);
        this.writer = new Thread(this::writeLoop, "eddy-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public static JournalStore open(Path dir, int maxBatchEvents) throws IOException {
        return open(dir, maxBatchEvents, DEFAULT_SYNC_LOG_BYTES);
    }

    public static JournalStore open(Path dir, int maxBatchEvents, long syncLogBytes) throws IOException {
        Files.createDirectories(dir);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            // Neither database is paranoid: both are written unsynced between checkpoints, so a
            // machine crash may tear LevelDB's own log of either, and LevelDB must drop a torn
            // record rather than refuse to open. What the log drops past its checkpoint the sync
            // log restores, and what the index drops past its last sync is indexed again.
            DB index = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true).paranoidChecks(false)
                    .cacheSize(16L << 20).maxOpenFiles(OpenFileBudget.journalIndex()));
            opened.add(index);
            DB log = JniDBFactory.factory.open(dir.resolve("log").toFile(), new Options().createIfMissing(true)
                    .paranoidChecks(false).cacheSize(16L << 20).writeBufferSize(LOG_WRITE_BUFFER_BYTES)
                    .maxOpenFiles(OpenFileBudget.journalLog()));
            opened.add(log);
            SyncLog syncLog = SyncLog.open(dir.resolve(SYNC_LOG_FILE), syncLogBytes);
            opened.add(syncLog);
            return new JournalStore(log, index, syncLog, maxBatchEvents);
        } catch (IOException | RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Writes to the log database, synced, the entries of the sync log's current cycle that it
     * lacks: those a machine crash may have cost LevelDB's unsynced tail. After a crash of the
     * process alone LevelDB lacks none of them. The write is synced even when it restores nothing,
     * because the next cycle begins on the strength of it.
     */
    private void recoverSyncLog() throws IOException {
        byte[] legacy = log.get(JournalKeys.LEGACY_LOG_CHECKPOINT);
        try (WriteBatch batch = log.createWriteBatch()) {
            // A sync log without cycle headers began its cycle after that key's checkpoint, or at
            // the first position if it had none yet.
            syncLog.recover(legacy == null ? 0 : JournalKeys.longOf(legacy), (position, value) -> {
                byte[] key = JournalKeys.longBytes(position);
                if (!Arrays.equals(log.get(key), value)) batch.put(key, value);
            });
            // Deleted once, when the journal first opens with cycle headers (see JournalKeys).
            if (legacy != null) batch.delete(JournalKeys.LEGACY_LOG_CHECKPOINT);
            log.write(batch, SYNCED);
        }
    }

    /**
     * Indexes again the log entries written after the index's last synced write and returns the
     * log's last position. Past that write a machine crash may have cost the index any of its
     * unsynced writes, not only the last ones: LevelDB drops the records of its own log that were
     * torn and keeps the ones after them.
     */
    private long indexLogTail() throws IOException {
        byte[] indexed = index.get(JournalKeys.INDEXED_TO);
        byte[] synced = index.get(JournalKeys.INDEX_SYNCED_TO);
        long last = indexed == null ? 0 : JournalKeys.longOf(indexed);
        long from = synced == null ? last : Math.min(last, JournalKeys.longOf(synced));
        try (DBIterator it = log.iterator(); WriteBatch batch = index.createWriteBatch()) {
            it.seek(JournalKeys.longBytes(from + 1));
            Map<String, Long> highest = new HashMap<>();
            while (it.hasNext()) {
                var entry = it.next();
                last = Math.max(last, JournalKeys.longOf(entry.getKey()));
                Event event = JournalKeys.eventOf(entry.getValue());
                batch.put(JournalKeys.indexKey(event.persistenceId(), event.sequenceNr()), entry.getKey());
                highest.merge(event.persistenceId(), event.sequenceNr(), Math::max);
            }
            putHighest(batch, highest);
            batch.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(last));
            batch.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(last));
            index.write(batch, SYNCED);
        }
        return last;
    }

    /** Appends the events atomically; completes once they are on disk (fsync). */
    public CompletableFuture<Void> append(List<Event> events) {
        return enqueue(new Request(List.copyOf(events), List.of(), new CompletableFuture<>()));
    }

    /**
     * Deletes the id's events up to {@code toSequenceNr}, ordered after every earlier append, in
     * one batch on the writer thread: callers deleting many events do it a range at a time. The
     * highest sequence number stays as it was.
     */
    public CompletableFuture<Void> deleteTo(String persistenceId, long toSequenceNr) {
        return enqueue(new Request(List.of(), List.of(new Deletion(persistenceId, toSequenceNr, false)), new CompletableFuture<>()));
    }

    /**
     * Deletes the id's events up to {@code toSequenceNr} from the lowest stored one on, {@code chunk}
     * events per journal batch, each batch queued once the one before is written, so that appends
     * never wait behind more than one chunk. Completes normally, early, once {@code stop} says so.
     */
    public CompletableFuture<Void> deleteToInChunks(String persistenceId, long toSequenceNr, int chunk, BooleanSupplier stop) {
        long lowest = lowestSequenceNr(persistenceId);
        return lowest == 0 ? CompletableFuture.completedFuture(null) : deleteChunks(persistenceId, lowest, toSequenceNr, chunk, stop);
    }

    private CompletableFuture<Void> deleteChunks(String persistenceId, long from, long toSequenceNr, int chunk, BooleanSupplier stop) {
        if (from > toSequenceNr || stop.getAsBoolean()) return CompletableFuture.completedFuture(null);
        long last = Math.min(toSequenceNr, from + chunk - 1);
        // Continues on the writer thread, which only queues the next chunk.
        return deleteTo(persistenceId, last).thenCompose(done -> deleteChunks(persistenceId, last + 1, toSequenceNr, chunk, stop));
    }

    /**
     * Deletes every event of each id and forgets the id itself (its highest sequence number, so it
     * is no longer listed), provided that its highest sequence number is still the one given when
     * the deletion runs; otherwise leaves that id alone. For ids whose events nothing will read
     * again and that are not kept by their sequence numbers: a persistent actor recovered
     * afterwards starts from sequence number 1. One journal batch for all of them.
     */
    public CompletableFuture<Void> forget(Map<String, Long> highestSequenceNrs) {
        List<Deletion> deletions = new ArrayList<>();
        highestSequenceNrs.forEach((id, highest) -> deletions.add(new Deletion(id, highest, true)));
        return enqueue(new Request(List.of(), deletions, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueue(Request request) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("journal is closed"));
        queue.add(request);
        return request.done();
    }

    /** Calls {@code consumer} with each stored event of the id in [from, to], at most {@code max}. */
    public void replay(String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<Event> consumer) {
        if (max <= 0 || fromSequenceNr > toSequenceNr) return;
        long stamp = enter();
        try {
            fromSequenceNr = Math.max(fromSequenceNr, deletedTo(persistenceId) + 1);
            // Events from before the log (older journals) come first: their sequence numbers are lower.
            long legacy = forEachSequenced(JournalKeys.idPrefix(JournalKeys.LEGACY_EVENT_SPACE, persistenceId),
                    fromSequenceNr, toSequenceNr, max, (seqNr, payload) -> {
                        consumer.accept(new Event(persistenceId, seqNr, payload));
                        return true;
                    });
            forEachSequenced(JournalKeys.idPrefix(JournalKeys.INDEX_SPACE, persistenceId),
                    fromSequenceNr, toSequenceNr, max - legacy, (seqNr, position) -> {
                        byte[] value = log.get(position);
                        // Deleted from the (synced) log while its index entry's deletion was not yet written.
                        if (value == null) return false;
                        consumer.accept(new Event(persistenceId, seqNr, JournalKeys.eventOf(value).payload()));
                        return true;
                    });
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /** An entry of the index database; answers whether it was taken. */
    private interface SequencedEntry {
        boolean take(long sequenceNr, byte[] value) throws IOException;
    }

    /**
     * Offers the index database's entries of {@code prefix} with a sequence number in [from, to]
     * until {@code max} were taken; returns how many were.
     */
    private long forEachSequenced(byte[] prefix, long fromSequenceNr, long toSequenceNr, long max, SequencedEntry action) {
        long taken = 0;
        if (max <= 0) return taken;
        try (DBIterator it = index.iterator()) {
            it.seek(JournalKeys.sequenced(prefix, Math.max(fromSequenceNr, 0)));
            while (it.hasNext() && taken < max) {
                var entry = it.next();
                long seqNr = JournalKeys.sequenceNrOf(entry.getKey(), prefix);
                if (seqNr < 0 || seqNr > toSequenceNr) break;
                if (action.take(seqNr, entry.getValue())) taken++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return taken;
    }

    /** The highest sequence number ever appended for the id, 0 if none. */
    public long highestSequenceNr(String persistenceId) {
        long stamp = enter();
        try {
            return readHighest(persistenceId);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /** Every event of the id up to this sequence number is deleted; 0 if none ever was. */
    private long deletedTo(String persistenceId) {
        byte[] value = index.get(JournalKeys.deletedToKey(persistenceId));
        return value == null ? 0 : JournalKeys.longOf(value);
    }

    private long readHighest(String persistenceId) {
        byte[] value = index.get(JournalKeys.highestKey(persistenceId));
        return value == null ? 0 : JournalKeys.longOf(value);
    }

    /**
     * Every persistence id starting with {@code prefix} that ever had an event, in key order
     * (deleting events does not remove an id; {@link #forget} does).
     */
    public List<String> persistenceIds(String prefix) {
        List<String> ids = new ArrayList<>();
        long stamp = enter();
        try (DBIterator it = index.iterator()) {
            for (it.seek(JournalKeys.highestKey(prefix)); it.hasNext(); ) {
                String id = JournalKeys.persistenceIdOfHighestKey(it.next().getKey());
                if (id == null || !id.startsWith(prefix)) break;
                ids.add(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
        return ids;
    }

    /**
     * Compacts the log over the positions deleted since the last call, so that the disk space of
     * deleted events is given back; a step of {@link #COMPACTION_STEP} positions at a time, and
     * none once the store is closing. Blocks for as long as the compaction takes: call it from a
     * thread that may wait.
     */
    public void compactDeleted() {
        List<long[]> spans;
        synchronized (deletedSpans) {
            spans = new ArrayList<>(deletedSpans);
            deletedSpans.clear();
        }
        for (long[] span : overlapsMerged(spans)) {
            for (long start = span[0]; start <= span[1] && !closed; start += COMPACTION_STEP) {
                long end = Math.min(span[1], start + COMPACTION_STEP - 1);
                long stamp = enter();
                try {
                    log.compactRange(JournalKeys.longBytes(start), JournalKeys.longBytes(end));
                } finally {
                    lifecycle.unlockRead(stamp);
                }
            }
        }
    }

    /** The spans, sorted, with overlapping and adjacent ones merged. */
    static List<long[]> overlapsMerged(List<long[]> spans) {
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort(java.util.Comparator.comparingLong(span -> span[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] span : sorted) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && span[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], span[1]);
            } else {
                merged.add(new long[] {span[0], span[1]});
            }
        }
        return merged;
    }

    /** The lowest sequence number of the id's stored events, 0 if it has none. */
    public long lowestSequenceNr(String persistenceId) {
        long[] lowest = {0};
        replay(persistenceId, 0, Long.MAX_VALUE, 1, event -> lowest[0] = event.sequenceNr());
        return lowest[0];
    }

    /**
     * Completes after the next durable write (of any persistence id), on the writer thread: callers
     * must continue elsewhere ({@code thenRunAsync}). Readers re-read after it completes.
     */
    public CompletableFuture<Void> nextAppend() {
        return nextAppend.get();
    }

    /** Events appended since open. With group commit this exceeds {@link #syncs()}. */
    public long eventsWritten() {
        return eventsWritten.get();
    }

    /** Events deleted since open. */
    public long eventsDeleted() {
        return eventsDeleted.get();
    }

    /** Synced batches written since open. */
    public long syncs() {
        return syncs.get();
    }

    private void writeLoop() {
        List<Request> batch = new ArrayList<>();
        Request carried = null;
        boolean stopping = false;
        while (true) {
            batch.clear();
            Request first = carried;
            carried = null;
            try {
                if (first == null) first = stopping ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) return; // stopping, and everything queued before the stop is written
            batch.add(first);
            int events = first.events().size();
            // A deletion reads the index (its entries and the id's deleted-to mark), which shows
            // this batch's writes only once the batch is written: a deletion has a batch of its own.
            while (first.deletions().isEmpty() && events < maxBatchEvents) {
                Request next = queue.poll();
                if (next == null) break;
                if (!next.deletions().isEmpty()) {
                    carried = next;
                    break;
                }
                batch.add(next);
                events += next.events().size();
            }
            if (batch.remove(STOP)) stopping = true;
            if (!batch.isEmpty()) write(batch, events);
        }
    }

    private void write(List<Request> batch, int events) {
        syncLog.begin();
        try (WriteBatch logBatch = log.createWriteBatch(); WriteBatch indexBatch = index.createWriteBatch()) {
            Map<String, Long> highest = new HashMap<>();
            long position = nextPosition;
            boolean deletes = false;
            long lastDeleted = 0;
            for (Request request : batch) {
                for (Event event : request.events()) {
                    byte[] positionKey = JournalKeys.longBytes(position);
                    byte[] value = JournalKeys.logValue(event);
                    logBatch.put(positionKey, value);
                    syncLog.add(position++, value);
                    indexBatch.put(JournalKeys.indexKey(event.persistenceId(), event.sequenceNr()), positionKey);
                    highest.merge(event.persistenceId(), event.sequenceNr(), Math::max);
                }
                for (Deletion deletion : request.deletions()) {
                    lastDeleted = Math.max(lastDeleted, deleteRange(logBatch, indexBatch, deletion));
                    deletes = true;
                }
            }
            putHighest(indexBatch, highest);
            if (position > nextPosition) indexBatch.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(position - 1));
            long started = System.nanoTime();
            boolean checkpoint = deletes || !syncLog.fits();
            byte[] lastPosition = JournalKeys.longBytes(position - 1);
            if (deletes) {
                // Nothing a deletion removes may be left in the sync log for a crash to restore: a
                // cycle holding any of it ends first (a deletion's batch appends nothing). Trimming
                // deletes older events than a cycle holds, as a rule.
                if (syncLog.holdsUpTo(lastDeleted)) {
                    syncLevelDb();
                    syncLog.restart(nextPosition - 1);
                }
                log.write(logBatch, SYNCED);
            } else if (checkpoint) {
                // LevelDB syncs this batch and with it every unsynced one before it.
                log.write(logBatch, SYNCED);
                syncLog.restart(position - 1);
            } else {
                log.write(logBatch, UNSYNCED);
                syncLog.commit();
            }
            nextPosition = position;
            // Not synced but at a checkpoint: on open the log past the index's last sync is indexed
            // again (indexLogTail). A deletion is a checkpoint, so the index's deletions are
            // synced too: the log no longer holds what lost index entries would be rebuilt from.
            if (checkpoint) indexBatch.put(JournalKeys.INDEX_SYNCED_TO, lastPosition);
            index.write(indexBatch, checkpoint ? SYNCED : UNSYNCED);
            syncs.incrementAndGet();
            JournalMetrics.batchSynced(this, events, System.nanoTime() - started);
            eventsWritten.addAndGet(events);
            // Readers are woken before the writers hear back, so that whoever learns that a write
            // is durable also finds the readers' wake-up already given.
            nextAppend.getAndSet(new CompletableFuture<>()).complete(null);
            for (Request request : batch) request.done().complete(null);
        } catch (RuntimeException | IOException e) {
            for (Request request : batch) request.done().completeExceptionally(e);
        }
    }

    /** Makes every earlier write to the log database durable: an empty batch, synced. */
    private void syncLevelDb() throws IOException {
        try (WriteBatch nothing = log.createWriteBatch()) {
            log.write(nothing, SYNCED);
        }
    }

    /** Raises the stored highest sequence numbers to {@code highest} where it is higher. */
    private void putHighest(WriteBatch indexBatch, Map<String, Long> highest) {
        for (var entry : highest.entrySet()) {
            if (entry.getValue() > readHighest(entry.getKey())) {
                indexBatch.put(JournalKeys.highestKey(entry.getKey()), JournalKeys.longBytes(entry.getValue()));
            }
        }
    }

    /**
     * Deletes the id's stored events up to {@code toSequenceNr}, starting after its deleted-to mark,
     * and raises the mark to the last one deleted: LevelDB keeps a deleted key as a tombstone until
     * a compaction drops it, and an iterator steps over every tombstone after the key it seeks, so
     * seeking from sequence number 0 would step over every event ever deleted. Returns the highest
     * log position deleted, or 0.
     */
    private long deleteRange(WriteBatch logBatch, WriteBatch indexBatch, Deletion deletion) {
        String persistenceId = deletion.persistenceId();
        long toSequenceNr = deletion.toSequenceNr();
        boolean forget = deletion.forget();
        // The deletion has a batch of its own, so the stored highest is the id's last appended.
        if (forget && readHighest(persistenceId) != toSequenceNr) return 0;
        long from = deletedTo(persistenceId) + 1;
        long[] last = {0};
        byte[] legacy = JournalKeys.idPrefix(JournalKeys.LEGACY_EVENT_SPACE, persistenceId);
        long deleted = forEachSequenced(legacy, from, toSequenceNr, Long.MAX_VALUE, (seqNr, payload) -> {
            indexBatch.delete(JournalKeys.sequenced(legacy, seqNr));
            last[0] = seqNr;
            return true;
        });
        byte[] prefix = JournalKeys.idPrefix(JournalKeys.INDEX_SPACE, persistenceId);
        long[] positions = {Long.MAX_VALUE, Long.MIN_VALUE};
        deleted += forEachSequenced(prefix, from, toSequenceNr, Long.MAX_VALUE, (seqNr, position) -> {
            indexBatch.delete(JournalKeys.sequenced(prefix, seqNr));
            logBatch.delete(position);
            long at = JournalKeys.longOf(position);
            positions[0] = Math.min(positions[0], at);
            positions[1] = Math.max(positions[1], at);
            last[0] = seqNr;
            return true;
        });
        if (forget) {
            indexBatch.delete(JournalKeys.highestKey(persistenceId));
            indexBatch.delete(JournalKeys.deletedToKey(persistenceId));
        } else if (last[0] > 0) {
            indexBatch.put(JournalKeys.deletedToKey(persistenceId), JournalKeys.longBytes(last[0]));
        }
        eventsDeleted.addAndGet(deleted);
        if (positions[0] > positions[1]) return 0;
        synchronized (deletedSpans) {
            deletedSpans.add(positions);
        }
        return positions[1];
    }

    private long enter() {
        long stamp = lifecycle.readLock();
        if (closed) {
            lifecycle.unlockRead(stamp);
            throw new IllegalStateException("journal is closed");
        }
        return stamp;
    }

    /** Writes whatever is queued, stops the writer, waits for running reads, closes the database. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        queue.add(STOP);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long stamp;
        try {
            stamp = lifecycle.tryWriteLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stamp = 0;
        }
        if (stamp == 0) throw new IllegalStateException("journal still being read; not closed");
        try (DB closingIndex = index; DB closingLog = log; SyncLog closingSyncLog = syncLog) {
            // Everything written is synced in LevelDB: the next open has nothing to restore or index.
            syncLevelDb();
            byte[] indexed = index.get(JournalKeys.INDEXED_TO);
            if (indexed != null) index.put(JournalKeys.INDEX_SYNCED_TO, indexed, SYNCED);
        } finally {
            lifecycle.unlockWrite(stamp);
        }
    }
}
