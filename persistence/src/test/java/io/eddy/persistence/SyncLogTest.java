package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** The positions {@link SyncLog#recover} hands back, each checked against its value. */
    private List<Long> recovered(long legacyCheckpoint) throws IOException {
        List<Long> positions = new ArrayList<>();
        try (SyncLog log = SyncLog.open(file())) {
            log.recover(legacyCheckpoint, (position, value) -> {
                assertEquals(new String(value(position), StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                positions.add(position);
            });
        }
        return positions;
    }

    @Test
    void theCycleEntriesAfterItsHeaderComeBack() throws Exception {
        new LegacySyncLogFile().header(4).record(5, value(5)).record(6, value(6)).writeTo(file());
        assertEquals(List.of(5L, 6L), recovered(-1));
    }

    @Test
    void aCycleEndsWhereItsPositionsStopFollowingOneAnother() throws Exception {
        // A shorter new cycle written over a longer old one: the old one's rest is not the new one's.
        new LegacySyncLogFile().header(0).record(1, value(1)).record(2, value(2)).record(3, value(3)).writeTo(file());
        new LegacySyncLogFile().header(8).record(9, value(9)).writeTo(file());
        assertEquals(List.of(9L), recovered(-1));
    }

    @Test
    void aTornHeaderHandsBackNothing() throws Exception {
        new LegacySyncLogFile().header(4).record(5, value(5)).writeTo(file());
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x55}), 13);
        }
        assertEquals(List.of(), recovered(-1));
    }

    @Test
    void recoveryStopsAtATornRecord() throws Exception {
        LegacySyncLogFile log = new LegacySyncLogFile().header(0).record(1, value(1));
        int torn = log.size() + SyncLog.HEADER_BYTES;
        log.record(2, value(2)).record(3, value(3)).writeTo(file());
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x55}), torn);
        }
        assertEquals(List.of(1L), recovered(-1));
    }

    @Test
    void aFileFromBeforeCycleHeadersStartsAfterTheLegacyCheckpoint() throws Exception {
        new LegacySyncLogFile().record(3, value(3)).record(4, value(4)).record(5, value(5)).writeTo(file());
        assertEquals(List.of(4L, 5L), recovered(3));
        assertEquals(List.of(), recovered(-1), "without a checkpoint, such a file is not read");
    }
}
