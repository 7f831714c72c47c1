package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void readersLearnTheLowestSequenceNumberAndAreWokenByTheNextAppend() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(0, store.lowestSequenceNr("r"));
            CompletableFuture<Void> next = store.nextAppend();
            assertTrue(!next.isDone());
            store.append(List.of(event("r", 1), event("r", 2), event("r", 3))).get();
            assertTrue(next.isDone(), "completed by the durable write");
            assertTrue(!store.nextAppend().isDone(), "a new one waits for the write after");
            store.deleteTo("r", 1).get();
            assertEquals(2, store.lowestSequenceNr("r"));
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
            store.deleteToInChunks("c", 1000, 256, () -> false).get();
            assertEquals(1001, store.lowestSequenceNr("c"));
            assertEquals(1000, store.eventsDeleted());
            assertEquals(syncs + 4, store.syncs(), "1,000 events in chunks of 256: four batches");

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
    void aJournalFromBeforeTheSyncLogOpensAsItWas() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(events("a", 3)).get();
        }
        // What a journal written before the sync log looks like: no sync log, no marks of syncs.
        java.nio.file.Files.delete(dir.resolve(JournalStore.SYNC_LOG_FILE));
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            index.delete(JournalKeys.INDEX_SYNCED_TO);
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            store.append(List.of(event("a", 4))).get();
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L, 4L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            assertEquals(4, store.highestSequenceNr("a"));
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

    @Test
    void compactingTheDeletedPositionsGivesTheirSpaceBack() throws Exception {
        java.util.Random random = new java.util.Random(7);
        try (JournalStore store = JournalStore.open(dir, 1000)) {
            for (int batch = 0; batch < 40; batch++) {
                List<JournalStore.Event> events = new ArrayList<>();
                for (int i = 1; i <= 1000; i++) {
                    byte[] kilobyte = new byte[1024];
                    random.nextBytes(kilobyte); // incompressible, so the files' size is the data's
                    events.add(new JournalStore.Event("old", batch * 1000L + i, kilobyte));
                    if (i % 100 == 0) events.add(event("kept", batch * 10L + i / 100));
                }
                store.append(events).get();
            }
            store.compactDeleted(); // nothing deleted yet: nothing to do
            long full = tableBytes(dir.resolve("log"));
            assertTrue(full > 30 << 20, "40 MB written: " + full);
            for (long to = 4000; to <= 40_000; to += 4000) store.deleteTo("old", to).get();
            store.compactDeleted();
            long compacted = tableBytes(dir.resolve("log"));
            assertTrue(compacted < full / 10, "deleted events' files dropped: " + full + " -> " + compacted);
            assertEquals(40_000, store.eventsDeleted());
            assertEquals(400, replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE).size(), "interleaved events stay");
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(40_000, store.highestSequenceNr("old"));
            assertEquals(0, store.lowestSequenceNr("old"));
            assertEquals(400, replayed(store, "kept", 1, Long.MAX_VALUE, Long.MAX_VALUE).size());
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

    /**
     * Leaves the journal as a machine crash may: LevelDB kept what it had synced, up to the
     * checkpoint, and lost the unsynced entries after it (and the index their entries); the sync
     * log is as it was.
     */
    private void loseUnsyncedTail(long checkpoint, long lastPosition, List<JournalStore.Event> lost, Map<String, Long> highest)
            throws Exception {
        try (DB log = JniDBFactory.factory.open(dir.resolve("log").toFile(), new Options())) {
            for (long position = checkpoint + 1; position <= lastPosition; position++) log.delete(JournalKeys.longBytes(position));
        }
        try (DB index = JniDBFactory.factory.open(dir.toFile(), new Options())) {
            for (JournalStore.Event event : lost) index.delete(JournalKeys.indexKey(event.persistenceId(), event.sequenceNr()));
            highest.forEach((id, seqNr) -> index.put(JournalKeys.highestKey(id), JournalKeys.longBytes(seqNr)));
            index.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(checkpoint));
        }
    }

    /** The positions in the sync log's current cycle. */
    private List<Long> syncLogCycle() throws Exception {
        List<Long> positions = new ArrayList<>();
        try (SyncLog log = SyncLog.open(dir.resolve(JournalStore.SYNC_LOG_FILE), 1 << 20)) {
            log.recover(-1, (position, value) -> positions.add(position));
        }
        return positions;
    }

    @Test
    void appendsTheLogDatabaseLostUnsyncedAreRestoredFromTheSyncLog() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("a", 1), event("b", 1))).get();
            store.append(List.of(event("a", 2))).get();
            store.append(List.of(event("a", 3))).get();
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), syncLogCycle());
        loseUnsyncedTail(1, 4, List.of(event("b", 1), event("a", 2), event("a", 3)), Map.of("a", 1L));
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(1L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
            assertEquals(3, store.highestSequenceNr("a"));
            store.append(List.of(event("a", 4))).get();
            assertEquals(List.of(1L, 2L, 3L, 4L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L, 4L), replayed(store, "a", 1, Long.MAX_VALUE, 10), "restored once, not twice");
        }
    }

    @Test
    void aFullSyncLogStartsOverOnceLevelDbHasSyncedEverythingBefore() throws Exception {
        // Room for a cycle's header and four of these entries: the 5th and the 10th are checkpoints,
        // 11 and 12 the last cycle.
        try (JournalStore store = JournalStore.open(dir, 100, 136)) {
            for (long seqNr = 1; seqNr <= 12; seqNr++) store.append(List.of(event("a", seqNr))).get();
        }
        List<Long> cycle = syncLogCycle();
        assertTrue(!cycle.isEmpty() && cycle.get(0) > 1 && cycle.get(cycle.size() - 1) == 12, "the last cycle: " + cycle);
        long checkpoint = cycle.get(0) - 1;
        List<JournalStore.Event> lost = new ArrayList<>();
        for (long seqNr = checkpoint + 1; seqNr <= 12; seqNr++) lost.add(event("a", seqNr));
        loseUnsyncedTail(checkpoint, 12, lost, Map.of("a", checkpoint));
        try (JournalStore store = JournalStore.open(dir, 100, 136)) {
            assertEquals(events("a", 12).stream().map(JournalStore.Event::sequenceNr).toList(),
                    replayed(store, "a", 1, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(12, store.highestSequenceNr("a"));
        }
    }

    @Test
    void aDeletionIsSyncedInLevelDbSoTheSyncLogCannotBringBackWhatItDeleted() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(events("a", 3)).get();
            store.deleteTo("a", 2).get();
            store.append(List.of(event("a", 4))).get();
        }
        assertEquals(List.of(4L), syncLogCycle(), "the deletion started a new cycle");
        loseUnsyncedTail(3, 4, List.of(event("a", 4)), Map.of("a", 3L));
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(3L, 4L), replayed(store, "a", 0, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        try (DB log = JniDBFactory.factory.open(dir.resolve("log").toFile(), new Options())) {
            assertNull(log.get(JournalKeys.longBytes(1)));
            assertNull(log.get(JournalKeys.longBytes(2)));
        }
    }

    @Test
    void aDeletionOfEventsOlderThanTheSyncLogsCycleLeavesTheCycleAsItIs() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(events("a", 3)).get();
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("b", 1))).get();
            store.deleteTo("a", 2).get();
            store.append(List.of(event("b", 2))).get();
        }
        assertEquals(List.of(4L, 5L), syncLogCycle(), "the cycle begun at the open goes on");
        loseUnsyncedTail(4, 5, List.of(event("b", 2)), Map.of("b", 1L));
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(3L), replayed(store, "a", 0, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void theLogDatabaseHoldsNothingButPositionsSoItsTableFilesNeverOverlap() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100, 136)) {
            for (long seqNr = 1; seqNr <= 12; seqNr++) store.append(List.of(event("a", seqNr))).get();
            store.deleteTo("a", 3).get();
            store.append(List.of(event("a", 13))).get();
        }
        List<Long> positions = new ArrayList<>();
        try (DB log = JniDBFactory.factory.open(dir.resolve("log").toFile(), new Options());
             var it = log.iterator()) {
            for (it.seekToFirst(); it.hasNext(); ) {
                byte[] key = it.next().getKey();
                assertEquals(8, key.length, "only positions: checkpoints live in the sync log's cycle headers");
                positions.add(JournalKeys.longOf(key));
            }
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(4, 13).boxed().toList(), positions);
    }

    @Test
    void aJournalWithTheCheckpointKeyOfTheSyncLogsFirstVersionRestoresItsCycleAndDropsTheKey() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 100)) {
            store.append(List.of(event("a", 1))).get();
            store.append(List.of(event("a", 2), event("b", 1))).get();
        }
        // That version kept the checkpoint under [0x00] in the log database and began each cycle
        // of the sync log at offset 0 with a record. Here: checkpoint 1, positions 2 and 3 lost.
        java.nio.file.Files.delete(dir.resolve(JournalStore.SYNC_LOG_FILE));
        try (SyncLog legacy = SyncLog.open(dir.resolve(JournalStore.SYNC_LOG_FILE), 1 << 20)) {
            legacy.begin();
            legacy.add(1, JournalKeys.logValue(event("a", 1)));
            legacy.add(2, JournalKeys.logValue(event("a", 2)));
            legacy.add(3, JournalKeys.logValue(event("b", 1)));
            legacy.commit();
        }
        loseUnsyncedTail(1, 3, List.of(event("a", 2), event("b", 1)), Map.of("a", 1L));
        try (DB log = JniDBFactory.factory.open(dir.resolve("log").toFile(), new Options())) {
            log.put(JournalKeys.LEGACY_LOG_CHECKPOINT, JournalKeys.longBytes(1));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
            assertEquals(List.of(1L), replayed(store, "b", 1, Long.MAX_VALUE, 10));
            store.append(List.of(event("a", 3))).get();
        }
        assertEquals(List.of(4L), syncLogCycle(), "a cycle with a header began at the open");
        try (DB log = JniDBFactory.factory.open(dir.resolve("log").toFile(), new Options())) {
            assertNull(log.get(JournalKeys.LEGACY_LOG_CHECKPOINT));
        }
        try (JournalStore store = JournalStore.open(dir, 100)) {
            assertEquals(List.of(1L, 2L, 3L), replayed(store, "a", 1, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void onlyOverlappingOrAdjacentDeletedSpansAreCompactedTogether() {
        List<long[]> merged = JournalStore.overlapsMerged(List.of(new long[] {900, 1000}, new long[] {10, 20},
                new long[] {15, 30}, new long[] {31, 40}, new long[] {500, 600}, new long[] {950, 960}));
        assertEquals(List.of("10-40", "500-600", "900-1000"), merged.stream().map(span -> span[0] + "-" + span[1]).toList());
    }

    /** The size of a LevelDB's table files, plus its write-ahead log. */
    private static long tableBytes(Path db) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(db)) {
            return files.filter(f -> f.toString().endsWith(".sst") || f.toString().endsWith(".ldb") || f.toString().endsWith(".log"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
