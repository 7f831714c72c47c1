package io.eddy.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * An append-only event log per persistence id in LevelDB, with group commit: every append waits
 * in a queue, and one writer thread takes everything queued, writes it as one LevelDB batch with
 * fsync, and only then completes the appends. Concurrent writers from many partitions so share
 * one fsync, and an append is durable when its future completes.
 *
 * <p>Key layout: events {@code [0x01][2-byte id length][persistence id][8-byte seqNr]}, and the
 * highest sequence number ever written per id {@code [0x02][persistence id]}, kept apart so that
 * deleting events never lowers it.
 *
 * <p>Besides replay for recovery, the store is read by change-stream consumers: {@link #replay}
 * from any sequence number, {@link #lowestSequenceNr}, and {@link #nextAppend()} to learn that
 * new events were written without polling the database.
 */
public final class JournalStore implements AutoCloseable {

    private static final byte EVENT_SPACE = 0x01;
    private static final byte HIGHEST_SPACE = 0x02;

    /** One event to append. */
    public record Event(String persistenceId, long sequenceNr, byte[] payload) {}

    /** Appends that must be durable together: an atomic write of one persistent actor. */
    private record Request(List<Event> events, String deleteId, long deleteTo, CompletableFuture<Void> done) {}

    private static final Request STOP = new Request(List.of(), null, 0, null);

    private final DB db;
    private final int maxBatchEvents;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    /** Completed (and replaced) after every durable write, for readers waiting for new events. */
    private final AtomicReference<CompletableFuture<Void>> nextAppend = new AtomicReference<>(new CompletableFuture<>());
    /**
     * Read-held by every read, write-held by close: a native call on a closed LevelDB handle
     * would crash the JVM rather than throw, and readers run on other threads than the writer.
     */
    private final StampedLock lifecycle = new StampedLock();
    private volatile boolean closed;

    private JournalStore(DB db, int maxBatchEvents) {
        this.db = db;
        this.maxBatchEvents = maxBatchEvents;
        this.writer = new Thread(this::writeLoop, "eddy-journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public static JournalStore open(Path dir, int maxBatchEvents) throws IOException {
        Files.createDirectories(dir);
        Options options = new Options().createIfMissing(true).paranoidChecks(true).cacheSize(16L << 20);
        return new JournalStore(JniDBFactory.factory.open(dir.toFile(), options), maxBatchEvents);
    }

    /** Appends the events atomically; completes once they are on disk (fsync). */
    public CompletableFuture<Void> append(List<Event> events) {
        return enqueue(new Request(List.copyOf(events), null, 0, new CompletableFuture<>()));
    }

    /** Deletes the id's events up to {@code toSequenceNr}, ordered after every earlier append. */
    public CompletableFuture<Void> deleteTo(String persistenceId, long toSequenceNr) {
        return enqueue(new Request(List.of(), persistenceId, toSequenceNr, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueue(Request request) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("journal is closed"));
        queue.add(request);
        return request.done();
    }

    /** Calls {@code consumer} with each stored event of the id in [from, to], at most {@code max}. */
    public void replay(String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<Event> consumer) {
        if (max <= 0 || fromSequenceNr > toSequenceNr) return;
        byte[] prefix = eventPrefix(persistenceId);
        long count = 0;
        long stamp = enter();
        try (DBIterator it = db.iterator()) {
            it.seek(eventKey(prefix, Math.max(fromSequenceNr, 0)));
            while (it.hasNext() && count < max) {
                var entry = it.next();
                byte[] key = entry.getKey();
                if (!startsWith(key, prefix) || key.length != prefix.length + 8) break;
                long seqNr = ByteBuffer.wrap(key, prefix.length, 8).getLong();
                if (seqNr > toSequenceNr) break;
                consumer.accept(new Event(persistenceId, seqNr, entry.getValue()));
                count++;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
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

    private long readHighest(String persistenceId) {
        byte[] value = db.get(highestKey(persistenceId));
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
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

    /** Synced LevelDB batches written since open. */
    public long syncs() {
        return syncs.get();
    }

    private void writeLoop() {
        List<Request> batch = new ArrayList<>();
        WriteOptions synced = new WriteOptions().sync(true);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int events = batch.get(0).events().size();
            while (events < maxBatchEvents) {
                Request next = queue.poll();
                if (next == null) break;
                batch.add(next);
                events += next.events().size();
            }
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) write(batch, events, synced);
            if (stop) {
                List<Request> rest = new ArrayList<>();
                queue.drainTo(rest);
                rest.remove(STOP);
                if (!rest.isEmpty()) write(rest, rest.stream().mapToInt(r -> r.events().size()).sum(), synced);
                return;
            }
        }
    }

    private void write(List<Request> batch, int events, WriteOptions synced) {
        try (WriteBatch writeBatch = db.createWriteBatch()) {
            java.util.Map<String, Long> highest = new java.util.HashMap<>();
            for (Request request : batch) {
                for (Event event : request.events()) {
                    writeBatch.put(eventKey(eventPrefix(event.persistenceId()), event.sequenceNr()), event.payload());
                    highest.merge(event.persistenceId(), event.sequenceNr(), Math::max);
                }
                if (request.deleteId() != null) deleteRange(writeBatch, request.deleteId(), request.deleteTo());
            }
            for (var entry : highest.entrySet()) {
                if (entry.getValue() > readHighest(entry.getKey())) {
                    writeBatch.put(highestKey(entry.getKey()), ByteBuffer.allocate(8).putLong(entry.getValue()).array());
                }
            }
            db.write(writeBatch, synced);
            syncs.incrementAndGet();
            JournalMetrics.batchSynced(this, events);
            eventsWritten.addAndGet(events);
            // Readers are woken before the writers hear back, so that whoever learns that a write
            // is durable also finds the readers' wake-up already given.
            nextAppend.getAndSet(new CompletableFuture<>()).complete(null);
            for (Request request : batch) request.done().complete(null);
        } catch (RuntimeException | IOException e) {
            for (Request request : batch) request.done().completeExceptionally(e);
        }
    }

    private void deleteRange(WriteBatch writeBatch, String persistenceId, long toSequenceNr) throws IOException {
        byte[] prefix = eventPrefix(persistenceId);
        try (DBIterator it = db.iterator()) {
            it.seek(eventKey(prefix, 0));
            while (it.hasNext()) {
                byte[] key = it.next().getKey();
                if (!startsWith(key, prefix) || key.length != prefix.length + 8) break;
                if (ByteBuffer.wrap(key, prefix.length, 8).getLong() > toSequenceNr) break;
                writeBatch.delete(key);
            }
        }
    }

    private static byte[] eventPrefix(String persistenceId) {
        byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) throw new IllegalArgumentException("persistence id too long");
        return ByteBuffer.allocate(3 + id.length).put(EVENT_SPACE).putShort((short) id.length).put(id).array();
    }

    private static byte[] eventKey(byte[] prefix, long sequenceNr) {
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(sequenceNr).array();
    }

    private static byte[] highestKey(String persistenceId) {
        byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + id.length).put(HIGHEST_SPACE).put(id).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
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
        try {
            db.close();
        } finally {
            lifecycle.unlockWrite(stamp);
        }
    }
}
