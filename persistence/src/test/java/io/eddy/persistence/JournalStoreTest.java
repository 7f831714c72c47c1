package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest {

    @TempDir
    Path dir;

    /** The id's events 1 to {@code count}. */
    static List<JournalStore.Event> events(String id, long count) {
        List<JournalStore.Event> events = new ArrayList<>();
        for (long i = 1; i <= count; i++) events.add(event(id, i));
        return events;
    }

    static JournalStore.Event event(String id, long seqNr) {
        return new JournalStore.Event(id, seqNr, (id + ":" + seqNr).getBytes(StandardCharsets.UTF_8));
    }

    static List<Long> replayed(JournalStore store, String id, long from, long to, long max) {
        List<Long> seqNrs = new ArrayList<>();
        store.replay(id, from, to, max, e -> {
            assertEquals(id, e.persistenceId());
            assertArrayEquals((id + ":" + e.sequenceNr()).getBytes(StandardCharsets.UTF_8), e.payload());
            seqNrs.add(e.sequenceNr());
        });
        return seqNrs;
    }

    @Test
    void appendReplayAndHighest() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(0, store.highestSequenceNr("a"));
            store.append(List.of(event("a", 1), event("a", 2))).get();
            store.append(List.of(event("a", 3))).get();
            store.append(List.of(event("ab", 1))).get();
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(List.of(2L, 3L), replayed(store, "a", 2, 3, 10));
            assertEquals(List.of(1L, 2L), replayed(store, "a", 0, Long.MAX_VALUE, 2));
            assertEquals(List.of(), replayed(store, "a", 4, Long.MAX_VALUE, 10));
            assertEquals(List.of(1L), replayed(store, "ab", 1, Long.MAX_VALUE, 10), "ids that prefix each other stay apart");
            assertEquals(3, store.highestSequenceNr("a"));
            assertEquals(1, store.highestSequenceNr("ab"));
        }
    }

    @Test
    void readsStopAtTheIdsLastEventBesideANeighbourWithDeletedEvents() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 1000)) {
            store.append(events("p-0", 5)).get();
            store.append(events("p-1", 600)).get();
            store.deleteTo("p-1", 590).get();
            assertEquals(List.of(3L, 4L, 5L), replayed(store, "p-0", 3, Long.MAX_VALUE, 10));
            assertEquals(List.of(5L), replayed(store, "p-0", 5, Long.MAX_VALUE, 1));
            assertEquals(List.of(), replayed(store, "p-0", 6, Long.MAX_VALUE, 10), "past the last event");
            assertEquals(List.of(591L, 592L), replayed(store, "p-1", 1, Long.MAX_VALUE, 2));
            assertEquals(List.of(599L, 600L), replayed(store, "p-1", 599, 1000, 10));
            store.append(List.of(event("p-0", 6))).get();
            assertEquals(List.of(6L), replayed(store, "p-0", 6, Long.MAX_VALUE, 10), "an event appended after a read that found none");
        }
    }

    @Test
    void readersLearnTheLowestSequenceNumberAndAreWokenByTheNextAppend() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(0, store.lowestSequenceNr("r"));
            CompletableFuture<List<JournalStore.Event>> next = store.nextAppend("r");
            assertTrue(!next.isDone());
            store.append(List.of(event("r", 1), event("r", 2), event("r", 3))).get();
            assertTrue(next.isDone(), "completed by the durable write");
            List<JournalStore.Event> read = new ArrayList<>();
            store.replay("r", 1, Long.MAX_VALUE, 10, read::add);
            assertEquals(3, next.get().size(), "with the write's events");
            for (int i = 0; i < 3; i++) {
                assertEquals(read.get(i).sequenceNr(), next.get().get(i).sequenceNr());
                assertArrayEquals(read.get(i).payload(), next.get().get(i).payload(), "as a read gives them");
            }
            assertTrue(!store.nextAppend("r").isDone(), "a new one waits for the write after");
            store.deleteTo("r", 1).get();
            assertEquals(2, store.lowestSequenceNr("r"));
        }
    }

    @Test
    void aReaderOfOneIdIsWokenByItsWritesAloneAndByItsBeingForgotten() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            CompletableFuture<List<JournalStore.Event>> ofA = store.nextAppend("a");
            assertTrue(ofA == store.nextAppend("a"), "readers of one id share the wait");
            store.append(List.of(event("b", 1))).get();
            store.deleteTo("b", 1).get();
            assertFalse(ofA.isDone(), "another id's writes leave it waiting");
            store.append(List.of(event("b", 2), event("a", 1), event("b", 3), event("a", 2))).get();
            assertTrue(ofA.isDone(), "completed by a durable write holding one of its events");
            assertEquals(List.of("a:1", "a:2"), ofA.get().stream().map(e -> e.persistenceId() + ":" + e.sequenceNr()).toList(),
                    "with that write's events of the id alone");
            CompletableFuture<List<JournalStore.Event>> next = store.nextAppend("a");
            assertFalse(next.isDone(), "a new one waits for the id's write after");
            store.forget(Map.of("a", 2L)).get();
            assertTrue(next.isDone(), "forgetting the id wakes its readers, which then find nothing");
            assertEquals(List.of(), next.get());
        }
    }

    @Test
    void closedStoreRefusesReads() throws Exception {
        JournalStore store = JournalStore.open(dir, 100);
        store.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> store.highestSequenceNr("x"));
    }

    @Test
    void deleteKeepsTheHighestSequenceNumber() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("p", 1), event("p", 2), event("p", 3))).get();
            store.deleteTo("p", 2).get();
            assertEquals(List.of(3L), replayed(store, "p", 1, Long.MAX_VALUE, 10));
            store.deleteTo("p", 3).get();
            assertEquals(List.of(), replayed(store, "p", 1, Long.MAX_VALUE, 10));
            assertEquals(3, store.highestSequenceNr("p"));
        }
    }

    @Test
    void deletionInChunksTakesOneBatchPerChunkAndStopsWhenAsked() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(events("c", 1300)).get();
            long syncs = store.syncs();
            int[] chunks = {0};
            store.deleteToInChunks("c", 1000, 256, () -> chunks[0]++ < 0).get();
            assertEquals(1001, store.lowestSequenceNr("c"));
            assertEquals(1000, store.eventsDeleted());
            assertEquals(4, chunks[0], "1,000 events in chunks of 256: four batches");
            assertEquals(syncs, store.syncs(), "deletions that empty no segment are not synced");

            int[] asked = {0};
            store.deleteToInChunks("c", 1300, 100, () -> asked[0]++ >= 1).get();
            assertEquals(1101, store.lowestSequenceNr("c"), "one chunk, then it stopped");
            store.deleteToInChunks("none", 10, 100, () -> false).get(); // an id without events: nothing to do
        }
    }

    @Test
    void everythingSurvivesReopen() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            for (long i = 1; i <= 50; i++) store.append(List.of(event("r", i)));
            // close() writes what is still queued before it returns
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(50, store.highestSequenceNr("r"));
            assertEquals(50, replayed(store, "r", 1, Long.MAX_VALUE, Long.MAX_VALUE).size());
        }
    }

    @Test
    void concurrentAppendsShareSyncsAndKeepPerIdOrder() throws Exception {
        int writers = 16;
        int perWriter = 300;
        try (JournalStore store = JournalStore.open(dir, 4096)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < writers; w++) {
                String id = "w" + w;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        List<CompletableFuture<Void>> pending = new ArrayList<>();
                        for (long i = 1; i <= perWriter; i++) {
                            pending.add(store.append(List.of(event(id, i))));
                            if (pending.size() == 8) { // a few writes in flight per writer, like a busy partition
                                pending.remove(0).get();
                            }
                        }
                        for (CompletableFuture<Void> f : pending) f.get();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (Thread t : threads) t.join();
            assertEquals(List.of(), failures);
            assertEquals((long) writers * perWriter, store.eventsWritten());
            assertTrue(store.syncs() < store.eventsWritten() / 2,
                    "group commit folds appends: " + store.syncs() + " syncs for " + store.eventsWritten() + " events");
            for (int w = 0; w < writers; w++) {
                List<Long> seqNrs = replayed(store, "w" + w, 1, Long.MAX_VALUE, Long.MAX_VALUE);
                assertEquals(perWriter, seqNrs.size());
                for (int i = 0; i < perWriter; i++) assertEquals(i + 1, seqNrs.get(i));
                assertEquals(perWriter, store.highestSequenceNr("w" + w));
            }
        }
    }

    @Test
    void appendsAfterCloseFail() throws Exception {
        JournalStore store = JournalStore.open(dir, 100);
        store.close();
        assertTrue(store.append(List.of(event("x", 1))).isCompletedExceptionally());
        assertThrows(java.util.concurrent.CompletionException.class, store::relocateSparseSegments, "fails, does not wait");
    }

    @Test
    void eventsOfJournalsFromBeforeTheLogAreStillReadAndDeleted() throws Exception {
        // A journal written by the earlier layout: events keyed by id and sequence number in the main database.
        try (DB old = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true))) {
            for (long i = 1; i <= 3; i++) {
                old.put(JournalKeys.sequenced(JournalKeys.idPrefix(JournalKeys.LEGACY_EVENT_SPACE, "p"), i), event("p", i).payload());
            }
            old.put(JournalKeys.highestKey("p"), JournalKeys.longBytes(3));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(3, store.highestSequenceNr("p"));
            store.append(List.of(event("p", 4), event("p", 5))).get();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), replayed(store, "p", 1, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(List.of(3L, 4L), replayed(store, "p", 3, Long.MAX_VALUE, 2), "max spans both layouts");
            store.deleteTo("p", 4).get();
            assertEquals(List.of(5L), replayed(store, "p", 0, Long.MAX_VALUE, 10));
            assertEquals(5, store.lowestSequenceNr("p"));
        }
    }

    @Test
    void anIndexThatLostItsTailIsRebuiltFromTheLogOnOpen() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("a", 1), event("b", 1))).get();
            store.append(List.of(event("a", 2))).get();
        }
        // The index is written without sync: a machine crash can lose what the synced log holds.
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            index.delete(JournalKeys.indexKey("a", 2));
            index.delete(JournalKeys.indexKey("b", 1));
            index.put(JournalKeys.highestKey("a"), JournalKeys.longBytes(1));
            index.delete(JournalKeys.highestKey("b"));
            index.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(1));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(1L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
            assertEquals(2, store.highestSequenceNr("a"));
            assertEquals(1, store.highestSequenceNr("b"));
            store.append(List.of(event("a", 3))).get();
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10), "new positions follow the log's last");
        }
    }

    @Test
    void anIndexThatLostWritesBeforeItsLastOneIsRebuiltFromItsLastSync() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("a", 1))).get();
            store.append(List.of(event("b", 1))).get();
            store.append(List.of(event("a", 2))).get();
        }
        // A machine crash tore the index's unsynced writes in the middle: the second batch is gone,
        // the third (and with it the last indexed position) is still there.
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            assertEquals(3, JournalKeys.longOf(index.get(JournalKeys.INDEX_SYNCED_TO)), "a clean close syncs the index");
            index.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(1));
            index.delete(JournalKeys.indexKey("b", 1));
            index.delete(JournalKeys.highestKey("b"));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
            assertEquals(1, store.highestSequenceNr("b"));
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            store.append(List.of(event("a", 3))).get();
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10), "new positions follow the log's last");
        }
    }

    @Test
    void listsTheIdsOfAPrefixThatHadEventsEvenOnceTheyAreDeleted() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(), store.persistenceIds(""));
            store.append(List.of(event("p-b", 1), event("p-a", 1), event("p-a\u00e9", 1), event("q-a", 1), event("p", 1))).get();
            store.deleteTo("p-b", 1).get();
            assertEquals(List.of("p-a", "p-a\u00e9", "p-b"), store.persistenceIds("p-"));
            assertEquals(List.of("p", "p-a", "p-a\u00e9", "p-b", "q-a"), store.persistenceIds(""));
            assertEquals(1, store.eventsDeleted());
        }
    }

    @Test
    void aForgottenIdLosesItsEventsAndItsHighestUnlessItWroteMeanwhile() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("t-1", 1), event("t-1", 2), event("t-2", 1))).get();
            store.forget(java.util.Map.of("t-1", 1L)).get(); // its highest is 2 by now: nothing happens
            assertEquals(List.of(1L, 2L), replayed(store, "t-1", 0, Long.MAX_VALUE, 10));
            store.forget(java.util.Map.of("t-1", 2L)).get();
            assertEquals(List.of(), replayed(store, "t-1", 0, Long.MAX_VALUE, 10));
            assertEquals(0, store.highestSequenceNr("t-1"));
            assertEquals(List.of("t-2"), store.persistenceIds("t-"));
            store.append(List.of(event("t-1", 1))).get(); // a new life starts at 1 and is seen whole
            assertEquals(List.of(1L), replayed(store, "t-1", 0, Long.MAX_VALUE, 10));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(1, store.highestSequenceNr("t-1"));
            assertEquals(List.of("t-1", "t-2"), store.persistenceIds("t-"));
        }
    }

    /** Batch {@code batch} of 100 1 KB events of "old", with two small ones of "kept" among them (after the 50th and the 100th). */
    private static List<JournalStore.Event> oldAndKept(int batch) {
        List<JournalStore.Event> events = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            events.add(new JournalStore.Event("old", batch * 100L + i, new byte[1024]));
            if (i % 50 == 0) events.add(event("kept", batch * 2L + i / 50));
        }
        return events;
    }

    @Test
    void segmentsWhoseEventsAreDeletedGoAndSparseOnesHaveTheirFewEventsAppendedAgain() throws Exception {
        long segmentBytes = 256 << 10;
        try (JournalStore store = JournalStore.open(dir, 1000, segmentBytes)) {
            for (int batch = 0; batch < 40; batch++) store.append(oldAndKept(batch)).get();
            assertEquals(20, segmentNames(".seg").size());
            store.deleteTo("old", 4000).get();
            store.relocateSparseSegments();
            // Two batches (about 106 KB each) to a segment: 20 segments, each with 4 kept events,
            // of which those in the last one, being written, stay where they are.
            assertEquals(76, store.eventsRelocated());
            assertEquals(80, replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE).size(), "interleaved events stay");
            store.append(List.of(event("kept", 81))).get();
        }
        assertEquals(1, segmentNames(".seg").size(), "all but the last segment went");
        assertEquals(4, segmentNames("").size() - 1, "four kept as spares: " + segmentNames(""));
        try (JournalStore store = JournalStore.open(dir, 100, segmentBytes)) {
            assertEquals(4000, store.highestSequenceNr("old"));
            assertEquals(0, store.lowestSequenceNr("old"));
            assertEquals(81, replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE).size());
        }
    }

    @Test
    void aSparseSegmentWhoseScanStopsAtADamagedRecordIsKeptWithTheEventsPastIt() throws Exception {
        long segmentBytes = 256 << 10;
        List<JournalStore.Event> firstBatch = new ArrayList<>();
        try (JournalStore store = JournalStore.open(dir, 1000, segmentBytes)) {
            for (int batch = 0; batch < 4; batch++) {
                List<JournalStore.Event> events = oldAndKept(batch);
                if (batch == 0) firstBatch.addAll(events);
                store.append(events).get();
            }
            store.deleteTo("old", 400).get();
        }
        // A byte of old 51's payload flipped: it follows kept 1, and kept 2 to 4 follow it in the same segment.
        long offset = 0;
        for (JournalStore.Event event : firstBatch) {
            if (event.persistenceId().equals("old") && event.sequenceNr() == 51) break;
            offset += LogSegments.HEADER_BYTES + logValue(event).length;
        }
        Path firstSegment = dir.resolve(JournalStore.SEGMENTS_DIR).resolve(segmentNames(".seg").get(0));
        try (var channel = java.nio.channels.FileChannel.open(firstSegment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x55}), offset + LogSegments.HEADER_BYTES + 40);
        }
        try (JournalStore store = JournalStore.open(dir, 1000, segmentBytes)) {
            store.relocateSparseSegments();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        assertTrue(java.nio.file.Files.exists(firstSegment), "the damaged segment is kept");
        try (JournalStore store = JournalStore.open(dir, 1000, segmentBytes)) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void readersRunningWhileSegmentsAreRelocatedAndDroppedMissNoEvent() throws Exception {
        long segmentBytes = 64 << 10;
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong replays = new java.util.concurrent.atomic.AtomicLong();
        try (JournalStore store = JournalStore.open(dir, 1000, segmentBytes)) {
            Runnable reader = () -> {
                long seen = 0;
                try {
                    while (writing.get()) {
                        // Appended before the replay starts: each of them must be there.
                        long appended = store.highestSequenceNr("kept");
                        List<Long> kept = replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE);
                        for (int i = 0; i < kept.size(); i++) assertEquals(i + 1, kept.get(i), "no gaps");
                        assertTrue(kept.size() >= appended && kept.size() >= seen, "none missing: " + kept.size() + " < " + appended);
                        seen = kept.size();
                        replays.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            };
            List<Thread> readers = List.of(new Thread(reader), new Thread(reader));
            readers.forEach(Thread::start);
            long old = 0;
            for (int round = 1; round <= 300 && failure.get() == null; round++) {
                List<JournalStore.Event> events = new ArrayList<>();
                for (int i = 0; i < 20; i++) events.add(new JournalStore.Event("old", ++old, new byte[1024]));
                events.add(event("kept", round));
                store.append(events).get();
                if (round % 10 == 0) {
                    store.deleteTo("old", old).get();
                    store.relocateSparseSegments();
                }
            }
            writing.set(false);
            for (Thread thread : readers) thread.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertTrue(replays.get() > 10, "the readers ran: " + replays.get());
            assertTrue(store.eventsRelocated() > 0);
            assertEquals(300, replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE).size());
        }
        // 143 segments were written; those left hold kept events at a sixteenth of their positions or more.
        assertTrue(segmentNames(".seg").size() <= 20, "emptied segments went: " + segmentNames(".seg"));
    }

    /** The names of the files in the segments' directory that end with {@code suffix}. */
    private List<String> segmentNames(String suffix) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir.resolve(JournalStore.SEGMENTS_DIR))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void aDeletionCoversTheAppendsQueuedBeforeItAndHidesNothingAppendedAfter() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long i = 1; i <= 20; i++) writes.add(store.append(List.of(event("q", i))));
            CompletableFuture<Void> deleted = store.deleteTo("q", Long.MAX_VALUE); // queued behind the appends, not awaited
            writes.add(store.append(List.of(event("q", 21))));
            deleted.get();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();
            assertEquals(List.of(21L), replayed(store, "q", 0, Long.MAX_VALUE, 10));
            assertEquals(20, store.eventsDeleted());
            store.append(List.of(event("q", 22))).get();
            assertEquals(List.of(21L, 22L), replayed(store, "q", 0, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void eventsDeletedAfterTheIndexsLastSyncAreNotIndexedAgainOnOpen() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(events("d", 10)).get();
            store.deleteTo("d", 10).get();
        }
        // Killed after the deletion, which the index kept, but before any sync after it.
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            index.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(0));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(), replayed(store, "d", 0, Long.MAX_VALUE, 10));
            assertEquals(10, store.highestSequenceNr("d"));
        }
        assertEquals(1, segmentNames(".seg").size(), "the first segment, emptied, went on open");
    }

    @Test
    void deletingARangeAtATimeStartsWhereTheLastEnded() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 1000)) {
            store.append(events("r", 1000)).get();
            for (long to = 100; to <= 900; to += 100) {
                store.deleteTo("r", to).get();
                assertEquals(to + 1, store.lowestSequenceNr("r"));
                assertEquals(to, store.eventsDeleted(), "each event counted once");
            }
            store.deleteTo("r", 500).get(); // below the mark: nothing left to delete
            assertEquals(900, store.eventsDeleted());
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(901, store.lowestSequenceNr("r"));
            assertEquals(100, replayed(store, "r", 0, Long.MAX_VALUE, Long.MAX_VALUE).size());
            assertEquals(1000, store.highestSequenceNr("r"));
        }
    }

    /** Writes a journal as it was before log segments: the events' positions in the index, their values in a log database. */
    private void legacyJournal(Map<Long, JournalStore.Event> logged, List<JournalStore.Event> indexed, long indexedTo,
                               Long checkpointKey) throws Exception {
        try (DB log = JniDBFactory.factory.open(dir.resolve(LegacyLog.LOG_DIR).toFile(), new Options().createIfMissing(true))) {
            logged.forEach((position, event) -> log.put(JournalKeys.longBytes(position), logValue(event)));
            if (checkpointKey != null) log.put(JournalKeys.LEGACY_LOG_CHECKPOINT, JournalKeys.longBytes(checkpointKey));
        }
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true))) {
            Map<String, Long> highest = new java.util.HashMap<>();
            logged.forEach((position, event) -> {
                if (indexed.contains(event)) {
                    index.put(JournalKeys.indexKey(event.persistenceId(), event.sequenceNr()), JournalKeys.longBytes(position));
                    highest.merge(event.persistenceId(), event.sequenceNr(), Math::max);
                }
            });
            highest.forEach((id, seqNr) -> index.put(JournalKeys.highestKey(id), JournalKeys.longBytes(seqNr)));
            index.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(indexedTo));
            index.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(indexedTo));
        }
    }

    @Test
    void aJournalWithALogDatabaseIsCarriedOverToSegmentsWithWhatItsSyncLogHeld() throws Exception {
        // Positions 1 and 2 synced in the log database; 3 and 4 lost there, and from the index,
        // by a machine crash, but in the sync log's cycle; 5 was deleted (and its index entry too).
        legacyJournal(Map.of(1L, event("a", 1), 2L, event("b", 1)), List.of(event("a", 1), event("b", 1)), 2, null);
        new LegacySyncLogFile().header(2).record(3, logValue(event("a", 2))).record(4, logValue(event("b", 2)))
                .writeTo(dir.resolve(LegacyLog.SYNC_LOG_FILE));
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            index.put(JournalKeys.indexKey("c", 1), JournalKeys.longBytes(5));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(1L, 2L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(), replayed(store, "c", 1, Long.MAX_VALUE, 10));
            assertEquals(2, store.highestSequenceNr("b"));
            store.append(List.of(event("a", 3))).get();
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve(LegacyLog.LOG_DIR)));
        assertFalse(java.nio.file.Files.exists(dir.resolve(LegacyLog.SYNC_LOG_FILE)));
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            assertEquals(5, JournalKeys.positionOf(index.get(JournalKeys.indexKey("a", 3))), "positions go on after the carried-over events");
            assertNull(index.get(JournalKeys.indexKey("c", 1)), "an entry that found no event is gone");
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            store.deleteTo("a", 2).get();
            assertEquals(List.of(3L), replayed(store, "a", 0, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void aJournalWithTheCheckpointKeyOfTheSyncLogsFirstVersionIsCarriedOverToo() throws Exception {
        // That version kept the checkpoint under [0x00] in the log database and began each cycle
        // of the sync log at offset 0 with a record. Here: checkpoint 1, positions 2 and 3 lost.
        legacyJournal(Map.of(1L, event("a", 1)), List.of(event("a", 1)), 1, 1L);
        new LegacySyncLogFile().record(1, logValue(event("a", 1))).record(2, logValue(event("a", 2)))
                .record(3, logValue(event("b", 1))).writeTo(dir.resolve(LegacyLog.SYNC_LOG_FILE));
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(1L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void aCarryOverThatACrashInterruptedStartsAgain() throws Exception {
        legacyJournal(Map.of(1L, event("a", 1), 2L, event("a", 2)), List.of(event("a", 1), event("a", 2)), 2, null);
        // What an interrupted carry-over may leave: a segment, and an index entry pointing into it.
        try (LogSegments segments = LogSegments.open(dir.resolve(JournalStore.SEGMENTS_DIR), 1 << 20, 1)) {
            int[] offsets = segments.append(List.of(logValue(event("a", 1))));
            try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
                index.put(JournalKeys.indexKey("a", 1), JournalKeys.indexValue(1, offsets[0]));
            }
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            store.append(List.of(event("a", 3))).get();
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void aBatchTornByACrashIsDroppedWholeAndItsAtomicWritesWithIt() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("a", 1))).get();
            store.append(List.of(event("a", 2), event("a", 3))).get();
        }
        // The second batch's last record torn, and the index as a crash before its write left it.
        Path segment;
        try (var files = java.nio.file.Files.list(dir.resolve(JournalStore.SEGMENTS_DIR))) {
            segment = files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        int recordBytes = LogSegments.HEADER_BYTES + logValue(event("a", 1)).length;
        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x55}), 2L * recordBytes + LogSegments.HEADER_BYTES);
        }
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            index.delete(JournalKeys.indexKey("a", 2));
            index.delete(JournalKeys.indexKey("a", 3));
            index.put(JournalKeys.highestKey("a"), JournalKeys.longBytes(1));
            index.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(1));
            index.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(1));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L), replayed(store, "a", 1, Long.MAX_VALUE, 10), "a 2 without its 3 is not kept");
            assertEquals(1, store.highestSequenceNr("a"));
            store.append(List.of(event("a", 2))).get();
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
        }
    }

    /** An event's log record as an array of its own, as an older journal's log held it. */
    private static byte[] logValue(JournalStore.Event event) {
        LogSegments.Value record = JournalKeys.logRecord(event);
        java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(record.length());
        record.writeTo(value);
        return value.array();
    }
}
