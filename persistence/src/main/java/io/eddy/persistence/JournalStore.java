package io.eddy.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only event log per persistence id, with group commit: every append waits in a queue,
 * and one writer thread takes everything queued, writes it as one batch with one fsync, and only
 * then completes the appends. Concurrent writers from many partitions so share one fsync, and an
 * append is durable when its future completes.
 *
 * <p>Events go to {@link LogSegments} in write order, and an index database in LevelDB finds them
 * by persistence id ({@link JournalKeys} has the layout). The segments are synced with every
 * batch; the index is written after them without sync, except at checkpoints (a new segment, a
 * segment dropped, a relocation, an id forgotten), and on open every record past the index's
 * last sync is indexed again, so an index that lost its tail in a machine crash is rebuilt from
 * the durable segments.
 *
 * <p>Deleting events deletes their index entries, without a sync of its own: a deletion lost
 * in a machine crash only leaves the events to be deleted again (the id's deleted-to mark goes
 * with them), and re-indexing on open skips what a surviving mark covers. A segment none of
 * whose events is indexed any more is dropped whole, after a sync, so that no lost deletion can
 * bring back an entry into a segment that is gone. One with only a few left has them appended
 * again at the head first, so that a partition's last event, kept for weeks, does not keep a
 * whole segment.
 *
 * <p>Besides replay for recovery, the store is read by change-stream consumers: {@link #replay}
 * from any sequence number, {@link #lowestSequenceNr}, and {@link #nextAppend(String)} to learn
 * that an id's new events were written without polling the database.
 */
public final class JournalStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalStore.class);

    /** One event to append. */
    public record Event(String persistenceId, long sequenceNr, byte[] payload) {}

    /** Appends that must be durable together: an atomic write of one persistent actor. */
    private record Request(List<Event> events, List<Deletion> deletions, WriterTask task, CompletableFuture<Void> done) {
        /**
         * A deletion reads the index (its entries and the id's deleted-to mark), which shows a
         * batch's writes only once the batch is written, and a task reads what the segments
         * hold: either has a batch of its own.
         */
        boolean alone() {
            return !deletions.isEmpty() || task != null;
        }
    }

    /** Work on the segments that only the writer thread may do, in a batch of its own. */
    private interface WriterTask {
        void run() throws IOException;
    }

    /** An event found in a sparse segment at {@code position}, to append again if it is still indexed there. */
    private record Found(long position, Event event) {}

    /** The id's events up to {@code toSequenceNr} to delete; with {@code forget}, all of them and the id, if its last is that. */
    private record Deletion(String persistenceId, long toSequenceNr, boolean forget) {}

    private static final Request STOP = new Request(List.of(), List.of(), null, null);
    private static final WriteOptions UNSYNCED = new WriteOptions().sync(false);
    private static final WriteOptions SYNCED = new WriteOptions().sync(true);
    /** The size of a log segment. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    static final String SEGMENTS_DIR = "segments";
    /**
     * A segment (not the last) whose indexed events are fewer than this fraction of the positions
     * it spans has them appended again, so that it can be dropped: what is copied is at most a
     * sixteenth of what is given back.
     */
    static final int SPARSE_FRACTION = 16;

    private final DB index;
    /** The index database's directory, whose older LevelDB logs a synced write must flush ({@link #writeSynced}). */
    private final Path indexDir;
    private final LogSegments segments;
    /** Frees the files the index's LevelDB drops outside its lock; null where it could not start. */
    private final LevelDbFileReaper reaper;
    private final int maxBatchEvents;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong eventsDeleted = new AtomicLong();
    private final AtomicLong eventsRelocated = new AtomicLong();
    /** Segments whose scan stopped at a damaged record before events still indexed (writer thread only). */
    private final java.util.Set<LogSegments.Segment> damaged = new java.util.HashSet<>();
    /**
     * Whether the index database held events of the format before segments when opened. None are
     * written since, so without them their key space is never read: a seek there lands on the
     * first id's highest-sequence-number key, and stepping past it steps over one version of it
     * per journal batch still in LevelDB's memtable (0.85 ms of each trimming batch's 1.6 ms).
     */
    private final boolean legacyEvents;
    /** Readers waiting for one id's next durable write ({@link #nextAppend(String)}); the writer removes and completes them. */
    private final ConcurrentHashMap<String, CompletableFuture<List<Event>>> nextAppendOf = new ConcurrentHashMap<>();
    /**
     * Read-held by every read, write-held by close: a native call on a closed LevelDB handle
     * would crash the JVM rather than throw, and readers run on other threads than the writer.
     */
    private final StampedLock lifecycle = new StampedLock();
    private volatile boolean closed;

    private JournalStore(DB index, Path indexDir, LogSegments segments, LevelDbFileReaper reaper, int maxBatchEvents)
            throws IOException {
        this.index = index;
        this.indexDir = indexDir;
        this.segments = segments;
        this.reaper = reaper;
        this.maxBatchEvents = maxBatchEvents;
        this.legacyEvents = holdsLegacyEvents(index);
        indexLogTail();
        countIndexedEvents();
        this.writer = new Thread(this::writeLoop, "eddy-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public static JournalStore open(Path dir, int maxBatchEvents) throws IOException {
        return open(dir, maxBatchEvents, DEFAULT_SEGMENT_BYTES);
    }

    public static JournalStore open(Path dir, int maxBatchEvents, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            // Not paranoid: written unsynced between checkpoints, so a machine crash may tear
            // LevelDB's own log, and LevelDB must drop a torn record rather than refuse to open.
            // What the index drops past its last sync is indexed again.
            // Not compressed: its entries are short-lived positions, which compactions merge with
            // their deletions seconds later; snappy was a fifth of those compactions' CPU.
            DB index = LevelDb.open(dir, new Options().createIfMissing(true).paranoidChecks(false)
                    .compressionType(CompressionType.NONE)
                    .cacheSize(16L << 20).maxOpenFiles(OpenFileBudget.journalIndex()));
            opened.add(index);
            LevelDbFileReaper reaper = LevelDbFileReaper.start(dir, "eddy-journal-reaper");
            if (reaper != null) opened.add(reaper);
            Path segmentsDir = dir.resolve(SEGMENTS_DIR);
            LegacyLog.carryOver(dir, index, segmentsDir, segmentBytes);
            LogSegments segments = LogSegments.open(segmentsDir, segmentBytes, indexedTo(index) + 1);
            opened.add(segments);
            return new JournalStore(index, dir, segments, reaper, maxBatchEvents);
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

    private static boolean holdsLegacyEvents(DB index) throws IOException {
        try (DBIterator it = index.iterator()) {
            it.seek(new byte[] {JournalKeys.LEGACY_EVENT_SPACE});
            return it.hasNext() && it.peekNext().getKey()[0] == JournalKeys.LEGACY_EVENT_SPACE;
        }
    }

    /**
     * A synced write of the index, which its re-indexing on open trusts for everything before it.
     * LevelDB syncs only its current log, so an older one whose memtable is not yet in a table
     * (LevelDB switched logs since) is flushed first: a machine crash could otherwise tear it and
     * take writes from before the checkpoint.
     */
    private void writeSynced(WriteBatch batch) {
        LevelDb.flushLogFiles(indexDir);
        index.write(batch, SYNCED);
    }

    private void putSynced(byte[] key, byte[] value) {
        LevelDb.flushLogFiles(indexDir);
        index.put(key, value, SYNCED);
    }

    /** The last position the index holds, 0 if none. */
    static long indexedTo(DB index) {
        byte[] indexed = index.get(JournalKeys.INDEXED_TO);
        return indexed == null ? 0 : JournalKeys.longOf(indexed);
    }

    /**
     * Indexes again the records written after the index's last synced write. Past that write a
     * machine crash may have cost the index any of its unsynced writes, not only the last ones:
     * LevelDB drops the records of its own log that were torn and keeps the ones after them.
     */
    private void indexLogTail() throws IOException {
        byte[] synced = index.get(JournalKeys.INDEX_SYNCED_TO);
        long last = indexedTo(index);
        long from = synced == null ? last : Math.min(last, JournalKeys.longOf(synced));
        try (WriteBatch batch = index.createWriteBatch()) {
            Map<String, Long> highest = new HashMap<>();
            long[] lastPosition = {last};
            Map<String, Long> deletedTo = new HashMap<>();
            segments.scan(from + 1, (position, offset, value) -> {
                lastPosition[0] = Math.max(lastPosition[0], position);
                Event event = JournalKeys.eventOf(value);
                highest.merge(event.persistenceId(), event.sequenceNr(), Math::max);
                // Deleted after the last sync, and the deletion kept: not indexed again.
                if (event.sequenceNr() > deletedTo.computeIfAbsent(event.persistenceId(), this::deletedTo)) {
                    batch.put(JournalKeys.indexKey(event.persistenceId(), event.sequenceNr()), JournalKeys.indexValue(position, offset));
                }
            });
            putHighest(index, batch, highest);
            batch.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(lastPosition[0]));
            batch.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(lastPosition[0]));
            writeSynced(batch);
        }
    }

    /**
     * Counts each segment's indexed events, drops the segments that have none, and deletes the
     * index entries that find no event: those of an older journal's log whose events it no longer had.
     */
    private void countIndexedEvents() throws IOException {
        try (DBIterator it = index.iterator(); WriteBatch dangling = index.createWriteBatch()) {
            for (it.seek(new byte[] {JournalKeys.INDEX_SPACE}); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getKey()[0] != JournalKeys.INDEX_SPACE) break;
                LogSegments.Segment segment = JournalKeys.isIndexValue(entry.getValue())
                        ? segments.segmentOf(JournalKeys.positionOf(entry.getValue())) : null;
                if (segment == null) {
                    dangling.delete(entry.getKey());
                } else {
                    segment.indexed(JournalKeys.positionOf(entry.getValue()));
                }
            }
            writeSynced(dangling);
        }
        for (LogSegments.Segment segment : segments.segments()) {
            if (segment.isEmpty() && !segments.isLast(segment)) segments.drop(segment);
        }
    }

    /** Appends the events atomically; completes once they are on disk (fsync). */
    public CompletableFuture<Void> append(List<Event> events) {
        return enqueue(new Request(List.copyOf(events), List.of(), null, new CompletableFuture<>()));
    }

    /**
     * Deletes the id's events up to {@code toSequenceNr}, ordered after every earlier append, in
     * one batch on the writer thread: callers deleting many events do it a range at a time. The
     * highest sequence number stays as it was.
     */
    public CompletableFuture<Void> deleteTo(String persistenceId, long toSequenceNr) {
        return enqueue(new Request(List.of(), List.of(new Deletion(persistenceId, toSequenceNr, false)), null, new CompletableFuture<>()));
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
        return enqueue(new Request(List.of(), deletions, null, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueue(Request request) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("journal is closed"));
        queue.add(request);
        // Closed meanwhile, the writer may have stopped before this one came: never left waiting.
        if (closed && queue.remove(request)) request.done().completeExceptionally(new IllegalStateException("journal is closed"));
        return request.done();
    }

    /** Calls {@code consumer} with each stored event of the id in [from, to], at most {@code max}. */
    public void replay(String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<Event> consumer) {
        if (max <= 0 || fromSequenceNr > toSequenceNr) return;
        long stamp = enter();
        try {
            fromSequenceNr = Math.max(fromSequenceNr, deletedTo(persistenceId) + 1);
            // Events from before the log (older journals) come first: their sequence numbers are lower.
            long legacy = forEachLegacy(persistenceId, fromSequenceNr, toSequenceNr, max, (seqNr, payload) -> {
                consumer.accept(new Event(persistenceId, seqNr, payload));
                return true;
            });
            // Bounded by the id's last event: a read past it would seek into the next id's keys (see forEachSequenced).
            forEachSequenced(JournalKeys.idPrefix(JournalKeys.INDEX_SPACE, persistenceId),
                    fromSequenceNr, Math.min(toSequenceNr, readHighest(persistenceId)), max - legacy, (seqNr, indexValue) -> {
                        byte[] value = read(persistenceId, seqNr, indexValue);
                        if (value == null) return false;
                        consumer.accept(new Event(persistenceId, seqNr, JournalKeys.eventOf(value).payload()));
                        return true;
                    });
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /**
     * The record an index entry found, or null if the event is gone. A reader's iterator sees the
     * index as it was when it began, and the segment it names may have gone since: dropped, after
     * its events were deleted or appended again elsewhere. So a record not found sends the reader
     * to the index as it is now: an entry that moved is read where it went.
     */
    private byte[] read(String persistenceId, long seqNr, byte[] indexValue) {
        byte[] key = null;
        for (byte[] entry = indexValue; entry != null && JournalKeys.isIndexValue(entry); ) {
            byte[] value = segments.read(JournalKeys.positionOf(entry), JournalKeys.offsetOf(entry));
            if (value != null) return value;
            if (key == null) key = JournalKeys.indexKey(persistenceId, seqNr);
            byte[] now = index.get(key);
            // Unchanged: deleted meanwhile, or an entry an older journal left without its event.
            entry = Arrays.equals(now, entry) ? null : now;
        }
        return null;
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
        if (max <= 0 || fromSequenceNr > toSequenceNr) return taken;
        try (DBIterator it = index.iterator()) {
            it.seek(JournalKeys.sequenced(prefix, Math.max(fromSequenceNr, 0)));
            // Peeked, and stepped past only when more is wanted: a step past the range's last entry
            // lands in the next id's keys, whose first ones are often the deletion markers of its
            // trimmed events, and LevelDB steps over every one of them (the index feeds, which read
            // a partition after every journal write, spent more time there than in their writes).
            while (it.hasNext()) {
                var entry = it.peekNext();
                long seqNr = JournalKeys.sequenceNrOf(entry.getKey(), prefix);
                if (seqNr < 0 || seqNr > toSequenceNr) break;
                if (action.take(seqNr, entry.getValue())) taken++;
                if (seqNr == toSequenceNr || taken == max) break;
                it.next();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return taken;
    }

    /** {@link #forEachSequenced} over the id's events from before the segments; none if the journal held none when opened. */
    private long forEachLegacy(String persistenceId, long fromSequenceNr, long toSequenceNr, long max, SequencedEntry action) {
        if (!legacyEvents) return 0;
        return forEachSequenced(JournalKeys.idPrefix(JournalKeys.LEGACY_EVENT_SPACE, persistenceId), fromSequenceNr, toSequenceNr, max, action);
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

    /** Every event of the id up to this sequence number is deleted (reads skip them at once); 0 if none ever was. */
    public long deletedUpTo(String persistenceId) {
        long stamp = enter();
        try {
            return deletedTo(persistenceId);
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

    /** The lowest sequence number of the id's stored events, 0 if it has none. */
    public long lowestSequenceNr(String persistenceId) {
        long[] lowest = {0};
        replay(persistenceId, 0, Long.MAX_VALUE, 1, event -> lowest[0] = event.sequenceNr());
        return lowest[0];
    }

    /**
     * Completes after the next durable write of an event of {@code persistenceId} (or of the id's
     * being forgotten), on the writer thread: callers must continue elsewhere ({@code
     * thenRunAsync}). A write of other ids leaves it waiting: woken by every write, each of a
     * node's readers (an index feed a partition) would read its id after every write of any.
     * It gives the id's events of the write that completed it, in order (none when forgotten),
     * so that a reader whose next event is the first of them need not read them back; those of
     * any later write it must read.
     */
    public CompletableFuture<List<Event>> nextAppend(String persistenceId) {
        return nextAppendOf.computeIfAbsent(persistenceId, id -> new CompletableFuture<>());
    }

    /** Completes the futures of readers waiting for the ids the batch appended to or forgot. */
    private void wakeReadersOf(List<Event> appended, List<Request> batch) {
        if (nextAppendOf.isEmpty()) return;
        Map<String, List<Event>> awaited = null;
        for (Event event : appended) {
            if (!nextAppendOf.containsKey(event.persistenceId())) continue;
            if (awaited == null) awaited = new HashMap<>();
            awaited.computeIfAbsent(event.persistenceId(), id -> new ArrayList<>()).add(event);
        }
        if (awaited != null) awaited.forEach((id, events) -> wakeReadersOf(id, Collections.unmodifiableList(events)));
        for (Request request : batch) {
            for (Deletion deletion : request.deletions()) if (deletion.forget()) wakeReadersOf(deletion.persistenceId(), List.of());
        }
    }

    private void wakeReadersOf(String persistenceId, List<Event> events) {
        CompletableFuture<List<Event>> waiting = nextAppendOf.remove(persistenceId);
        if (waiting != null) waiting.complete(events);
    }

    /** Events appended since open. With group commit this exceeds {@link #syncs()}. */
    public long eventsWritten() {
        return eventsWritten.get();
    }

    /** Events deleted since open. */
    public long eventsDeleted() {
        return eventsDeleted.get();
    }

    /** Events appended again since open, so that the segments they were in could be dropped. */
    public long eventsRelocated() {
        return eventsRelocated.get();
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
            while (!first.alone() && events < maxBatchEvents) {
                Request next = queue.poll();
                if (next == null) break;
                if (next.alone()) {
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
        if (batch.get(0).task() != null) {
            try {
                batch.get(0).task().run();
                batch.get(0).done().complete(null);
            } catch (RuntimeException | IOException e) {
                batch.get(0).done().completeExceptionally(e);
            }
            return;
        }
        boolean logged = false;
        try (WriteBatch indexBatch = index.createWriteBatch()) {
            long started = System.nanoTime();
            List<Event> appended = new ArrayList<>(events);
            for (Request request : batch) appended.addAll(request.events());
            LogSegments.Segment before = segments.last();
            long first = segments.nextPosition();
            int[] offsets = appendToSegments(appended);
            logged = !appended.isEmpty();
            putIndexEntries(index, indexBatch, appended, first, offsets);
            List<Long> unindexed = new ArrayList<>();
            for (Request request : batch) {
                for (Deletion deletion : request.deletions()) deleteRange(indexBatch, deletion, unindexed);
            }
            // A new segment is a checkpoint, so that on open at most about a segment is indexed
            // again. So is forgetting an id: re-indexing would bring back its highest sequence
            // number, which its deleted-to mark, gone with it, cannot hide.
            boolean deletes = batch.stream().anyMatch(request -> !request.deletions().isEmpty());
            boolean forgets = batch.stream().anyMatch(request -> request.deletions().stream().anyMatch(Deletion::forget));
            boolean checkpoint = forgets || segments.last() != before;
            if (checkpoint) {
                indexBatch.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(segments.nextPosition() - 1));
                writeSynced(indexBatch);
            } else {
                index.write(indexBatch, UNSYNCED);
            }
            logged = false; // indexed: what follows cannot leave records unindexed
            // Readers can read it now: woken at once, so that nothing failing below leaves them
            // waiting, and before the writers hear back, so that whoever learns that a write is
            // durable also finds the readers' wake-up already given.
            wakeReadersOf(appended, batch);
            // Only what the index holds counts: a segment goes once none of its events is indexed.
            markIndexed(appended, first);
            for (long position : unindexed) {
                LogSegments.Segment segment = segments.segmentOf(position);
                if (segment != null) segment.unindexed(position);
            }
            if (!appended.isEmpty()) {
                syncs.incrementAndGet();
                JournalMetrics.batchSynced(this, events, System.nanoTime() - started);
                eventsWritten.addAndGet(events);
            }
            // Only deletions empty segments. Inside the batch, so that a failed drop (its index
            // sync) fails the deletion, which trimming tries again, rather than the writer thread.
            if (deletes) reclaimSegments();
            for (Request request : batch) request.done().complete(null);
        } catch (RuntimeException | IOException e) {
            if (logged) failAfterLogged(e);
            for (Request request : batch) request.done().completeExceptionally(e);
        }
    }

    /** Records appended to the log and then not indexed: nothing more may be appended (see {@link LogSegments#fail}). */
    private void failAfterLogged(Exception e) {
        segments.fail(e instanceof IOException io ? io : new IOException(e));
    }

    /** Appends the events' records to the segments, synced; returns their offsets. */
    private int[] appendToSegments(List<Event> events) throws IOException {
        List<LogSegments.Value> records = new ArrayList<>(events.size());
        for (Event event : events) records.add(JournalKeys.logRecord(event));
        return segments.appendValues(records);
    }

    /**
     * Puts the index entries of events appended from position {@code first} on at the offsets
     * given, raises their ids' highest sequence numbers and the last position indexed.
     */
    static void putIndexEntries(DB index, WriteBatch indexBatch, List<Event> events, long first, int[] offsets) {
        if (events.isEmpty()) return;
        Map<String, Long> highest = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            indexBatch.put(JournalKeys.indexKey(event.persistenceId(), event.sequenceNr()), JournalKeys.indexValue(first + i, offsets[i]));
            highest.merge(event.persistenceId(), event.sequenceNr(), Math::max);
        }
        putHighest(index, indexBatch, highest);
        indexBatch.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(first + events.size() - 1));
    }

    /** Notes, once the index holds them, that the events appended from {@code first} on are indexed. */
    private void markIndexed(List<Event> events, long first) {
        if (events.isEmpty()) return;
        LogSegments.Segment segment = segments.segmentOf(first);
        for (int i = 0; i < events.size(); i++) segment.indexed(first + i);
    }

    /**
     * Drops the segments (not the last) with no indexed event. A read that still finds one of
     * them in the index as it was goes on to the index as it is ({@link #read}).
     */
    private void reclaimSegments() {
        List<LogSegments.Segment> empty = new ArrayList<>();
        for (LogSegments.Segment segment : segments.segments()) {
            if (!segments.isLast(segment) && segment.isEmpty()) empty.add(segment);
        }
        if (empty.isEmpty()) return;
        // The deletions that emptied them are synced first: a machine crash must not undo one
        // and leave its entry pointing into a segment that is gone.
        putSynced(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(segments.nextPosition() - 1));
        for (LogSegments.Segment segment : empty) {
            damaged.remove(segment);
            segments.drop(segment);
        }
    }

    /**
     * Appends again the events still indexed in the segments (not the last) that hold few, so
     * that those can be dropped: a partition's last event, which trimming keeps for as long as the
     * partition has no new one, would otherwise keep a whole segment. What is copied is at most
     * 1/{@value #SPARSE_FRACTION} of what is given back. The segments are read on the calling
     * thread, which waits: journal trimming calls it after each pass.
     */
    public void relocateSparseSegments() {
        record Sparse(LogSegments.Segment segment, java.util.BitSet indexed) {}
        List<Sparse> sparse = new ArrayList<>();
        onWriter(() -> {
            for (LogSegments.Segment segment : segments.segments()) {
                if (!segments.isLast(segment) && !segment.isEmpty() && !damaged.contains(segment)
                        && segment.count() * SPARSE_FRACTION < segments.span(segment)) {
                    sparse.add(new Sparse(segment, segment.indexedCopy()));
                }
            }
        }).join();
        for (Sparse candidate : sparse) {
            List<Found> found = new ArrayList<>();
            long stamp = enter();
            try {
                segments.scanSegment(candidate.segment(), position -> candidate.indexed().get(candidate.segment().bit(position)),
                        (position, offset, value) -> found.add(new Found(position, JournalKeys.eventOf(value))));
            } catch (IOException e) {
                // Dropped meanwhile, as its last events were deleted: nothing to append again.
                if (segments.contains(candidate.segment())) throw new UncheckedIOException(e);
                continue;
            } finally {
                lifecycle.unlockRead(stamp);
            }
            onWriter(() -> relocate(candidate.segment(), found)).join();
        }
    }

    private CompletableFuture<Void> onWriter(WriterTask task) {
        return enqueue(new Request(List.of(), List.of(), task, new CompletableFuture<>()));
    }

    /**
     * Appends again the events found that are still indexed in the segment, indexes them there,
     * synced, and drops the segment, unless it still has events indexed that the scan did not
     * find: a damaged record ends a scan, and what follows it would be lost with the segment.
     */
    private void relocate(LogSegments.Segment segment, List<Found> found) throws IOException {
        if (!segments.contains(segment)) return;
        List<Event> kept = new ArrayList<>();
        for (Found event : found) {
            byte[] indexed = index.get(JournalKeys.indexKey(event.event().persistenceId(), event.event().sequenceNr()));
            if (segment.holds(event.position()) && indexed != null && JournalKeys.isIndexValue(indexed)
                    && JournalKeys.positionOf(indexed) == event.position()) {
                kept.add(event.event());
            }
        }
        if (!kept.isEmpty()) {
            try (WriteBatch indexBatch = index.createWriteBatch()) {
                long first = segments.nextPosition();
                int[] offsets = appendToSegments(kept);
                try {
                    putIndexEntries(index, indexBatch, kept, first, offsets);
                    indexBatch.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(segments.nextPosition() - 1));
                    writeSynced(indexBatch);
                } catch (RuntimeException e) {
                    failAfterLogged(e);
                    throw e;
                }
                markIndexed(kept, first);
            }
            eventsRelocated.addAndGet(kept.size());
        }
        for (Found event : found) {
            if (segment.holds(event.position())) segment.unindexed(event.position());
        }
        if (!segment.isEmpty()) {
            // The scan stopped short of events still indexed here (a damaged record before them):
            // dropping the segment would lose them, so it stays, and they are read where they are.
            // Not scanned again: it goes once trimming has deleted them.
            damaged.add(segment);
            log.error("journal segment {} has {} indexed events its scan did not reach (a damaged record?); it is kept",
                    segment.path, segment.count());
            return;
        }
        reclaimSegments();
    }

    /** Raises the index's highest sequence numbers to {@code highest} where it is higher. */
    static void putHighest(DB index, WriteBatch indexBatch, Map<String, Long> highest) {
        for (var entry : highest.entrySet()) {
            byte[] stored = index.get(JournalKeys.highestKey(entry.getKey()));
            if (stored == null || entry.getValue() > JournalKeys.longOf(stored)) {
                indexBatch.put(JournalKeys.highestKey(entry.getKey()), JournalKeys.longBytes(entry.getValue()));
            }
        }
    }

    /**
     * Deletes the id's stored events up to {@code toSequenceNr}, starting after its deleted-to mark,
     * and raises the mark to the last one deleted: LevelDB keeps a deleted key as a tombstone until
     * a compaction drops it, and an iterator steps over every tombstone after the key it seeks, so
     * seeking from sequence number 0 would step over every event ever deleted. Adds the log
     * positions of the index entries it deletes to {@code unindexed}.
     */
    private void deleteRange(WriteBatch indexBatch, Deletion deletion, List<Long> unindexed) {
        String persistenceId = deletion.persistenceId();
        long toSequenceNr = deletion.toSequenceNr();
        boolean forget = deletion.forget();
        // The deletion has a batch of its own, so the stored highest is the id's last appended.
        if (forget && readHighest(persistenceId) != toSequenceNr) return;
        long from = deletedTo(persistenceId) + 1;
        long[] last = {0};
        byte[] legacy = JournalKeys.idPrefix(JournalKeys.LEGACY_EVENT_SPACE, persistenceId);
        long deleted = forEachLegacy(persistenceId, from, toSequenceNr, Long.MAX_VALUE, (seqNr, payload) -> {
            indexBatch.delete(JournalKeys.sequenced(legacy, seqNr));
            last[0] = seqNr;
            return true;
        });
        byte[] prefix = JournalKeys.idPrefix(JournalKeys.INDEX_SPACE, persistenceId);
        deleted += forEachSequenced(prefix, from, toSequenceNr, Long.MAX_VALUE, (seqNr, indexValue) -> {
            indexBatch.delete(JournalKeys.sequenced(prefix, seqNr));
            if (JournalKeys.isIndexValue(indexValue)) unindexed.add(JournalKeys.positionOf(indexValue));
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
        for (Request late; (late = queue.poll()) != null; ) {
            if (late.done() != null) late.done().completeExceptionally(new IllegalStateException("journal is closed"));
        }
        long stamp;
        try {
            stamp = lifecycle.tryWriteLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stamp = 0;
        }
        if (stamp == 0) throw new IllegalStateException("journal still being read; not closed");
        try (DB closingIndex = index; LogSegments closingSegments = segments) {
            // The index is synced: the next open has nothing to index again.
            byte[] indexed = index.get(JournalKeys.INDEXED_TO);
            if (indexed != null) putSynced(JournalKeys.INDEX_SYNCED_TO, indexed);
        } finally {
            lifecycle.unlockWrite(stamp);
            if (reaper != null) reaper.close();
        }
    }
}
