package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncLogTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("sync");
    }

    private static byte[] value(long position) {
        return ("value " + position).getBytes(StandardCharsets.UTF_8);
    }

    /** Commits one batch of the given positions. */
    private static void commit(SyncLog log, long... positions) throws IOException {
        log.begin();
        for (long position : positions) log.add(position, value(position));
        log.commit();
    }

    /** The positions {@link SyncLog#recover} hands back, each checked against its value. */
    private List<Long> recovered(long legacyCheckpoint) throws IOException {
        List<Long> positions = new ArrayList<>();
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(legacyCheckpoint, (position, value) -> {
                assertEquals(new String(value(position), StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                positions.add(position);
            });
        }
        return positions;
    }

    private List<Long> recovered() throws IOException {
        return recovered(-1);
    }

    /** Opens the file as the journal does: recovery, then a new cycle after {@code lastSynced}. */
    private SyncLog started(long capacity, long lastSynced) throws IOException {
        SyncLog log = SyncLog.open(file(), capacity);
        log.recover(-1, (position, value) -> { });
        log.restart(lastSynced);
        return log;
    }

    @Test
    void theCycleEntriesComeBack() throws Exception {
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(-1, (position, value) -> { throw new AssertionError("a new file has no entries"); });
            log.restart(0);
            assertTrue(log.isEmpty());
            commit(log, 1, 2);
            commit(log, 3);
            assertFalse(log.isEmpty());
        }
        assertEquals(List.of(1L, 2L, 3L), recovered());
        assertEquals(List.of(1L, 2L, 3L), recovered(2), "a header makes a legacy checkpoint irrelevant");
    }

    @Test
    void aNewCycleEndsWhereItsPositionsStopFollowingOneAnother() throws Exception {
        try (SyncLog log = started(1 << 20, 0)) {
            commit(log, 1, 2, 3, 4, 5);
            log.restart(5);
            commit(log, 6, 7);
        }
        // Entries 6 and 7 overwrote 1 and 2; 3 to 5 are still there but belong to the cycle before.
        assertEquals(List.of(6L, 7L), recovered());
    }

    @Test
    void aCycleStartedWithNoEntriesYetHandsBackNothing() throws Exception {
        try (SyncLog log = started(1 << 20, 0)) {
            commit(log, 1, 2, 3);
            log.restart(3);
        }
        assertEquals(List.of(), recovered(), "the entries after the header are the cycle before's");
        try (SyncLog log = started(1 << 20, 10)) {
            commit(log, 11);
        }
        assertEquals(List.of(11L), recovered());
    }

    @Test
    void aTornHeaderHandsBackNothing() throws Exception {
        try (SyncLog log = started(1 << 20, 0)) {
            commit(log, 1, 2);
        }
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x7F}), SyncLog.HEADER_BYTES - 1);
        }
        // A header is written only once LevelDB holds everything synced: a torn one leaves nothing to restore.
        assertEquals(List.of(), recovered());
    }

    @Test
    void recoveryStopsAtATornOrTruncatedRecord() throws Exception {
        try (SyncLog log = started(1 << 20, 0)) {
            commit(log, 1);
            commit(log, 2);
            commit(log, 3);
        }
        long recordBytes = SyncLog.HEADER_BYTES + value(1).length;
        long first = SyncLog.HEADER_BYTES;
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            // One flipped byte in the payload of entry 2.
            channel.write(ByteBuffer.wrap(new byte[] {'#'}), first + recordBytes + SyncLog.HEADER_BYTES + 2);
        }
        assertEquals(List.of(1L), recovered());
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.truncate(first + recordBytes + 5);
        }
        assertEquals(List.of(1L), recovered(), "a record's head cut short");
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.truncate(first + recordBytes - 1);
        }
        assertEquals(List.of(), recovered(), "a payload cut short");
    }

    @Test
    void aBatchFitsWhileTheCycleHasRoomForIt() throws Exception {
        int recordBytes = SyncLog.HEADER_BYTES + value(1).length;
        // The cycle's header and three records.
        try (SyncLog log = started(SyncLog.HEADER_BYTES + 3L * recordBytes, 0)) {
            log.begin();
            log.add(1, value(1));
            log.add(2, value(2));
            assertTrue(log.fits());
            log.commit();
            log.begin();
            log.add(3, value(3));
            assertTrue(log.fits(), "exactly full");
            log.add(4, value(4));
            assertFalse(log.fits());
            log.restart(2);
            log.begin();
            log.add(3, value(3));
            log.add(4, value(4));
            assertTrue(log.fits(), "a new cycle starts at the beginning");
            log.commit();
        }
        assertEquals(List.of(3L, 4L), recovered());
    }

    @Test
    void anAbandonedBatchLeavesNothingBehind() throws Exception {
        try (SyncLog log = started(1 << 20, 0)) {
            commit(log, 1);
            log.begin();
            log.add(2, value(2));
            // The writer failed before committing; the same position is written again.
            log.begin();
            log.add(2, value(2));
            log.add(3, value(3));
            log.commit();
        }
        assertEquals(List.of(1L, 2L, 3L), recovered());
    }

    @Test
    void largeEntriesGrowTheBatch() throws Exception {
        byte[] large = new byte[300_000];
        try (SyncLog log = started(1 << 20, 0)) {
            log.begin();
            log.add(1, large);
            log.add(2, large);
            log.commit();
        }
        List<Integer> sizes = new ArrayList<>();
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(-1, (position, value) -> sizes.add(value.length));
        }
        assertEquals(List.of(300_000, 300_000), sizes);
    }

    @Test
    void aFileFromBeforeCycleHeadersStartsAtTheLegacyCheckpoint() throws Exception {
        // Such a file's cycles start at offset 0 with a record; the checkpoint was a LevelDB key.
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            commit(log, 1, 2, 3, 4, 5);
        }
        assertEquals(List.of(), recovered(), "without the checkpoint there is no telling where the cycle starts");
        assertEquals(List.of(3L, 4L, 5L), recovered(2));
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            commit(log, 6, 7); // a cycle begun after the checkpoint at 5
        }
        assertEquals(List.of(6L, 7L), recovered(5));
        assertEquals(List.of(), recovered(7), "the rest of the cycle before");
    }
}
