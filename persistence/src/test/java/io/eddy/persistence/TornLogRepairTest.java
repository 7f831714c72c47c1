package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.model.AttributeValue;

/**
 * What a machine crash can leave of the item store's log (pages lost in the middle or at the end,
 * zeros where LevelDB had preallocated) and what the store holds when opened over it: the state
 * after one batch, with every item of the batches before and none after.
 */
class TornLogRepairTest {
    private static final UUID TABLE = UUID.fromString("44444444-4444-4444-4444-444444444444");
    private static final String PARTITION = "torn#0";
    private static final int BATCHES = 3000;
    private static final int PAGE = 4096;

    @Test
    void aCleanlyClosedStoreKeepsItsWholeLog(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        long size = Files.size(log);

        assertEquals(List.of(), TornLogRepair.cutToIntactPrefix(dir));
        assertEquals(size, Files.size(log));
        assertHoldsBatchesUpTo(dir, BATCHES);
    }

    @Test
    void aPageLostInTheMiddleTakesEveryLaterBatchWithIt(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        long page = Files.size(log) / 2 / PAGE * PAGE;
        overwrite(log, page, new byte[PAGE]);

        List<TornLogRepair.Cut> cuts = TornLogRepair.cutToIntactPrefix(dir);
        assertEquals(1, cuts.size());
        assertTrue(cuts.get(0).from() <= page && cuts.get(0).from() > page - 1024, () -> "cut at " + cuts.get(0).from());
        assertFalse(cuts.get(0).zerosOnly());
        long applied = appliedSeqNr(dir);
        assertTrue(applied > BATCHES / 4 && applied < BATCHES * 3 / 4, "applied " + applied);
        assertHoldsBatchesUpTo(dir, applied);
    }

    @Test
    void theStoreOpensOverAPageOfGarbageAsTheStateAfterOneBatch(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        byte[] garbage = new byte[PAGE];
        new Random(7).nextBytes(garbage);
        long page = Files.size(log) / 3 / PAGE * PAGE;
        overwrite(log, page, garbage);

        // Opened straight away: the store cuts its own log.
        long applied = appliedSeqNr(dir);
        assertTrue(applied > 0 && applied < BATCHES / 2, "applied " + applied);
        assertHoldsBatchesUpTo(dir, applied);
    }

    @Test
    void preallocatedZerosAtTheEndAreCutAndNothingElse(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        long size = Files.size(log);
        overwrite(log, size, new byte[100_000]);

        List<TornLogRepair.Cut> cuts = TornLogRepair.cutToIntactPrefix(dir);
        assertEquals(List.of(new TornLogRepair.Cut(log, size, size + 100_000, true)), cuts);
        assertHoldsBatchesUpTo(dir, BATCHES);
    }

    @Test
    void aBatchTornAcrossBlocksIsCutFromItsFirstFragment(@TempDir Path dir) throws IOException {
        writeBatches(dir);
        try (ItemStore store = ItemStore.open(dir)) {
            store.apply(PARTITION, new PartitionMeta(BATCHES + 1, BATCHES + 1, 0),
                    List.of(ItemStoreTest.put(ItemStoreTest.key(TABLE, "k", BATCHES + 1), "x".repeat(100_000))));
        }
        Path log = liveLog(dir);
        long size = Files.size(log);
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(size - 40_000); // the batch's last fragments never reached the disk
        }

        List<TornLogRepair.Cut> cuts = TornLogRepair.cutToIntactPrefix(dir);
        assertEquals(1, cuts.size());
        assertTrue(size - cuts.get(0).from() > 100_000, "cut from " + cuts.get(0).from() + " of " + size);
        assertHoldsBatchesUpTo(dir, BATCHES);
        try (ItemStore store = ItemStore.open(dir)) {
            assertEquals(Optional.empty(), store.get(ItemStoreTest.key(TABLE, "k", BATCHES + 1)));
        }
    }

    @Test
    void aLaterLiveLogGoesWholeWhenAnEarlierOneIsCut(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        long number = logNumber(log);
        Path later = dir.resolve(String.format("%06d.log", number + 1));
        Files.copy(log, later);
        long size = Files.size(log);
        long page = Files.size(log) / 2 / PAGE * PAGE;
        overwrite(log, page, new byte[PAGE]);

        List<TornLogRepair.Cut> cuts = TornLogRepair.cutToIntactPrefix(dir);
        assertEquals(2, cuts.size());
        assertEquals(log, cuts.get(0).log());
        assertEquals(new TornLogRepair.Cut(later, 0, size, false), cuts.get(1));
        assertEquals(0, Files.size(later));
    }

    @Test
    void aRepairThatACrashInterruptedIsFinishedByTheNextOpen(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        Path later = dir.resolve(String.format("%06d.log", logNumber(log) + 1));
        Files.copy(log, later);
        long page = Files.size(log) / 2 / PAGE * PAGE;
        overwrite(log, page, new byte[PAGE]);
        // The repair empties the later log first; here the crash came before it cut the earlier one.
        try (FileChannel channel = FileChannel.open(later, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }

        List<TornLogRepair.Cut> cuts = TornLogRepair.cutToIntactPrefix(dir);
        assertEquals(1, cuts.size());
        assertEquals(log, cuts.get(0).log());
        assertTrue(cuts.get(0).from() <= page, () -> "cut at " + cuts.get(0).from());
        assertEquals(cuts.get(0).from(), Files.size(log));
    }

    @Test
    void recordsEndingAnywhereNearABlocksEndAreAllKept(@TempDir Path dir) throws IOException {
        // Batches sized so that records end 0 to 9 bytes before a block's end (a trailer of zeros,
        // or room for an empty first fragment only), then batches spanning several blocks.
        long offset = 0;
        int keys = 0;
        try (DB db = LevelDb.open(dir, new Options().createIfMissing(true))) {
            for (int left = 0; left <= 9; left++) {
                int room = TornLogRepair.BLOCK_SIZE - (int) (offset % TornLogRepair.BLOCK_SIZE);
                int value = valueLengthFor(room + TornLogRepair.BLOCK_SIZE - left);
                db.put(key(keys++), new byte[value]);
                offset = recordEnd(offset, batchLength(value));
                assertEquals(left, (TornLogRepair.BLOCK_SIZE - offset % TornLogRepair.BLOCK_SIZE) % TornLogRepair.BLOCK_SIZE,
                        "bytes left in the block");
                db.put(key(keys++), new byte[10]);
                offset = recordEnd(offset, batchLength(10));
            }
            for (int value : new int[] {3 * TornLogRepair.BLOCK_SIZE, 70_000, 0, 1}) {
                db.put(key(keys++), new byte[value]);
                offset = recordEnd(offset, batchLength(value));
            }
        }
        Path log = liveLog(dir);
        assertEquals(offset, Files.size(log), "the log as LevelDB's writer lays it out");
        assertEquals(offset, TornLogRepair.readRecords(log, null));
        assertEquals(List.of(), TornLogRepair.cutToIntactPrefix(dir));
        try (DB db = LevelDb.open(dir, new Options())) {
            for (int k = 0; k < keys; k++) assertTrue(db.get(key(k)) != null, "key " + k);
        }
    }

    private static byte[] key(int k) {
        return new byte[] {(byte) k};
    }

    /** A write batch of one put of a 1-byte key: its header (sequence, count), the put's tag, lengths and bytes. */
    private static int batchLength(int value) {
        return 12 + 1 + 1 + 1 + varintLength(value) + value;
    }

    /** The value length whose batch, in two fragments with a 7-byte header each, spans {@code spanned} bytes of the log. */
    private static int valueLengthFor(int spanned) {
        // Two fragments: the record's two headers and its batch fill the span.
        for (int value = 0; ; value++) {
            if (batchLength(value) + 2 * TornLogRepair.HEADER_SIZE == spanned) return value;
        }
    }

    private static int varintLength(int value) {
        int length = 1;
        while (value >= 0x80) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    /** Where a record of {@code bytes} starting at {@code offset} ends, as LevelDB's log writer lays out fragments. */
    private static long recordEnd(long offset, int bytes) {
        int left = bytes;
        boolean first = true;
        while (first || left > 0) {
            int room = TornLogRepair.BLOCK_SIZE - (int) (offset % TornLogRepair.BLOCK_SIZE);
            if (room < TornLogRepair.HEADER_SIZE) {
                offset += room; // the block's trailer of zeros
                room = TornLogRepair.BLOCK_SIZE;
            }
            int fragment = Math.min(left, room - TornLogRepair.HEADER_SIZE);
            offset += TornLogRepair.HEADER_SIZE + fragment;
            left -= fragment;
            first = false;
        }
        return offset;
    }

    @Test
    void aLogLevelDbNoLongerRecoversIsLeftAlone(@TempDir Path dir) throws IOException {
        Path log = writeBatches(dir);
        Path obsolete = dir.resolve(String.format("%06d.log", logNumber(log) - 1));
        byte[] garbage = new byte[10_000];
        new Random(11).nextBytes(garbage);
        Files.write(obsolete, garbage); // compacted into a table before the crash, then torn

        assertEquals(List.of(), TornLogRepair.cutToIntactPrefix(dir));
        assertArrayEquals(garbage, Files.readAllBytes(obsolete));
        assertHoldsBatchesUpTo(dir, BATCHES);
    }

    @Test
    void aDatabaseAnotherProcessHasOpenIsLeftAlone(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("items"); // where LevelDbTest.StoreOpener opens it
        writeBatches(store);
        Process opener = ChildJvm.startReady(LevelDbTest.StoreOpener.class, dir, List.of(), List.of());
        byte[] torn = new byte[100];
        new Random(5).nextBytes(torn);
        try {
            // Its live log ends in what a repair would cut (as a log LevelDB 1.8 preallocates ends in zeros).
            Files.write(liveLog(store), torn, StandardOpenOption.APPEND);
            assertEquals(List.of(), TornLogRepair.cutToIntactPrefix(store));
            assertTrue(opener.isAlive());
        } finally {
            opener.destroyForcibly();
            assertTrue(opener.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(TornLogRepair.cutToIntactPrefix(store).isEmpty(), "once it is gone, the torn tail is cut");
        assertHoldsBatchesUpTo(store, BATCHES);
    }

    @Test
    void aStoreOpenInThisProcessIsNotOpenedAgain(@TempDir Path dir) throws IOException {
        writeBatches(dir);
        try (ItemStore store = ItemStore.open(dir)) {
            IOException refused = assertThrows(IOException.class, () -> ItemStore.open(dir.resolve(".")));
            assertTrue(refused.getMessage().endsWith("/LOCK: already held by process"), refused.getMessage());
            assertEquals(BATCHES, store.meta(PARTITION).appliedSeqNr());
        }
        assertHoldsBatchesUpTo(dir, BATCHES);
    }

    @Test
    void aDirectoryWithoutADatabaseIsLeftAlone(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("000003.log"), new byte[] {1, 2, 3});
        assertEquals(List.of(), TornLogRepair.cutToIntactPrefix(dir));
        assertEquals(3, Files.size(dir.resolve("000003.log")));
    }

    /** Batch {@code i} puts item {@code i} and records applied sequence number {@code i}; the store is then closed, its log kept. */
    private static Path writeBatches(Path dir) throws IOException {
        try (ItemStore store = ItemStore.open(dir)) {
            for (long seq = 1; seq <= BATCHES; seq++) {
                store.apply(PARTITION, new PartitionMeta(seq, seq, 0),
                        List.of(ItemStoreTest.put(ItemStoreTest.key(TABLE, "k", seq), value(seq))));
            }
        }
        return liveLog(dir);
    }

    private static String value(long seq) {
        return "v".repeat(200) + seq;
    }

    private static long appliedSeqNr(Path dir) throws IOException {
        try (ItemStore store = ItemStore.open(dir)) {
            return store.meta(PARTITION).appliedSeqNr();
        }
    }

    /** The store's meta says {@code applied}, and it holds exactly the items of batches 1 to that. */
    private static void assertHoldsBatchesUpTo(Path dir, long applied) throws IOException {
        try (ItemStore store = ItemStore.open(dir)) {
            long meta = store.meta(PARTITION).appliedSeqNr();
            assertEquals(applied, meta);
            for (long seq = 1; seq <= BATCHES; seq++) {
                Optional<Map<String, AttributeValue>> item = store.get(ItemStoreTest.key(TABLE, "k", seq));
                if (seq <= meta) {
                    long s = seq;
                    assertEquals(Optional.of(new AttributeValue.StringValue(value(seq))), item.map(i -> i.get("v")),
                            () -> "item " + s + " of a batch the meta (" + meta + ") counts");
                } else {
                    long s = seq;
                    assertEquals(Optional.empty(), item, () -> "item " + s + " past the meta (" + meta + ")");
                }
            }
        }
    }

    private static Path liveLog(Path dir) throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path file : files) logs.put(logNumber(file), file);
        }
        return logs.lastEntry().getValue();
    }

    private static long logNumber(Path log) {
        String name = log.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".log".length()));
    }

    private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer, at + buffer.position());
        }
    }
}
