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

    /** The positions {@link SyncLog#recover} hands back past {@code checkpoint}, each checked against its value. */
    private List<Long> recovered(long checkpoint) throws IOException {
        List<Long> positions = new ArrayList<>();
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(checkpoint, (position, value) -> {
                assertEquals(new String(value(position), StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                positions.add(position);
            });
        }
        return positions;
    }

    @Test
    void committedEntriesComeBackPastTheCheckpoint() throws Exception {
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(0, (position, value) -> { throw new AssertionError("a new file has no entries"); });
            commit(log, 1, 2);
            commit(log, 3);
        }
        assertEquals(List.of(1L, 2L, 3L), recovered(0));
        assertEquals(List.of(3L), recovered(2));
        assertEquals(List.of(), recovered(3));
    }

    @Test
    void aNewCycleEndsWhereItsPositionsStopFollowingOneAnother() throws Exception {
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(0, (position, value) -> { });
            commit(log, 1, 2, 3, 4, 5);
            log.restart();
            commit(log, 6, 7);
        }
        // Entries 6 and 7 overwrote 1 and 2; 3 to 5 are still there but belong to the cycle before.
        assertEquals(List.of(6L, 7L), recovered(0));
        assertEquals(List.of(7L), recovered(6));
    }

    @Test
    void recoveryStopsAtATornOrTruncatedRecord() throws Exception {
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(0, (position, value) -> { });
            commit(log, 1);
            commit(log, 2);
            commit(log, 3);
        }
        long recordBytes = SyncLog.HEADER_BYTES + value(1).length;
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            // One flipped byte in the payload of entry 2.
            channel.write(ByteBuffer.wrap(new byte[] {'#'}), recordBytes + SyncLog.HEADER_BYTES + 2);
        }
        assertEquals(List.of(1L), recovered(0));
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.truncate(recordBytes + 5);
        }
        assertEquals(List.of(1L), recovered(0), "a header cut short");
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.truncate(recordBytes - 1);
        }
        assertEquals(List.of(), recovered(0), "a payload cut short");
    }

    @Test
    void aBatchFitsWhileTheCycleHasRoomForIt() throws Exception {
        int recordBytes = SyncLog.HEADER_BYTES + value(1).length;
        try (SyncLog log = SyncLog.open(file(), 3L * recordBytes)) {
            log.recover(0, (position, value) -> { });
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
            log.restart();
            log.begin();
            log.add(3, value(3));
            log.add(4, value(4));
            assertTrue(log.fits(), "a new cycle starts at the beginning");
            log.commit();
        }
        assertEquals(List.of(3L, 4L), recovered(0));
    }

    @Test
    void anAbandonedBatchLeavesNothingBehind() throws Exception {
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(0, (position, value) -> { });
            commit(log, 1);
            log.begin();
            log.add(2, value(2));
            // The writer failed before committing; the same position is written again.
            log.begin();
            log.add(2, value(2));
            log.add(3, value(3));
            log.commit();
        }
        assertEquals(List.of(1L, 2L, 3L), recovered(0));
    }

    @Test
    void largeEntriesGrowTheBatch() throws Exception {
        byte[] large = new byte[300_000];
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(0, (position, value) -> { });
            log.begin();
            log.add(1, large);
            log.add(2, large);
            log.commit();
        }
        List<Integer> sizes = new ArrayList<>();
        try (SyncLog log = SyncLog.open(file(), 1 << 20)) {
            log.recover(0, (position, value) -> sizes.add(value.length));
        }
        assertEquals(List.of(300_000, 300_000), sizes);
    }
}
