package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentsTest {

    private static final int SEGMENT_BYTES = 4096;

    @TempDir
    Path dir;

    /** 100 bytes naming the position: records of one size. */
    private static byte[] value(long position) {
        byte[] value = new byte[100];
        byte[] name = ("value " + position).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, value, 0, name.length);
        return value;
    }

    private static List<byte[]> values(long... positions) {
        List<byte[]> values = new ArrayList<>();
        for (long position : positions) values.add(value(position));
        return values;
    }

    private List<Long> scanned(LogSegments segments) throws Exception {
        List<Long> positions = new ArrayList<>();
        segments.scan(0, (position, offset, value) -> {
            assertArrayEquals(value(position), value);
            positions.add(position);
        });
        return positions;
    }

    private boolean hasSpare() throws Exception {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("spare-"));
        }
    }

    private Path onlySegment() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
    }

    @Test
    void valuesShorterAndLongerThanTheFirstReadAreReadWhole() throws Exception {
        // A read takes 4 KB first: the header (16 bytes) and up to 4,080 bytes of the value.
        int[] sizes = {0, 1, 4079, 4080, 4081, 4096, 100_000};
        List<byte[]> values = new ArrayList<>();
        for (int size : sizes) {
            byte[] value = new byte[size];
            for (int i = 0; i < size; i++) value[i] = (byte) (i * 31 + size);
            values.add(value);
        }
        try (LogSegments segments = LogSegments.open(dir, 1 << 20, 1)) {
            int[] offsets = segments.append(values);
            for (int i = 0; i < sizes.length; i++) {
                assertArrayEquals(values.get(i), segments.read(1 + i, offsets[i]), sizes[i] + " bytes");
            }
            // The last record ends the file: its first read comes back short.
            int[] last = segments.append(List.of(new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, segments.read(1 + sizes.length, last[0]));
            assertNull(segments.read(2 + sizes.length, last[0] + 19), "past the end");
        }
    }

    @Test
    void appendedRecordsAreReadBackAndTheNextOpenGoesOnAfterTheLast() throws Exception {
        int[] offsets;
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 7)) {
            segments.append(values(7));
            offsets = segments.append(values(8, 9));
            assertArrayEquals(value(9), segments.read(9, offsets[1]));
            assertNull(segments.read(9, offsets[0]), "the record there is another position's");
        }
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(10, segments.nextPosition());
            assertArrayEquals(value(8), segments.read(8, offsets[0]));
            assertEquals(List.of(7L, 8L, 9L), scanned(segments));
        }
    }

    @Test
    void aValueThatWritesOtherThanItsLengthFailsTheAppendAndEveryLaterOne() throws Exception {
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            LogSegments.Value lying = new LogSegments.Value() {
                @Override
                public int length() {
                    return 4;
                }

                @Override
                public void writeTo(ByteBuffer out) {
                    out.putShort((short) 1);
                }
            };
            assertThrows(IllegalStateException.class, () -> segments.appendValues(List.of(lying)));
            assertThrows(java.io.IOException.class, () -> segments.append(values(1)));
        }
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(1, segments.nextPosition(), "nothing of the failed batch was written");
        }
    }

    @Test
    void aScanReadsRecordsAcrossItsChunksAndRecordsLargerThanAChunk() throws Exception {
        // Sizes that straddle the scan's 1 MB chunks, and one record larger than a chunk.
        java.util.Random random = new java.util.Random(5);
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] value = new byte[i == 31 ? (3 << 19) : 1 + random.nextInt(90_000)];
            random.nextBytes(value);
            written.add(value);
        }
        try (LogSegments segments = LogSegments.open(dir, 64L << 20, 1)) {
            for (int i = 0; i < written.size(); i += 3) segments.append(written.subList(i, i + 3));
            List<byte[]> read = new ArrayList<>();
            segments.scan(0, (position, offset, value) -> {
                assertEquals(read.size() + 1, position);
                assertArrayEquals(segments.read(position, offset), value);
                read.add(value);
            });
            assertEquals(written.size(), read.size());
            for (int i = 0; i < written.size(); i++) assertArrayEquals(written.get(i), read.get(i), "record " + (i + 1));
            List<Long> even = new ArrayList<>();
            segments.scanSegment(segments.last(), position -> position % 2 == 0, (position, offset, value) -> {
                assertArrayEquals(written.get((int) position - 1), value);
                even.add(position);
            });
            assertEquals(30, even.size(), "only the records wanted are handed over");
        }
    }

    @Test
    void openingAgainWithNothingWrittenEmptiesTheLastSegmentInsteadOfStartingAnother() throws Exception {
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 5)) {
            assertEquals(5, segments.nextPosition());
        }
        // A batch torn before its end: position 5 without the batch's last record.
        ByteBuffer torn = ByteBuffer.allocate(LogSegments.HEADER_BYTES + 100).putInt(100).putInt(0).putLong(5);
        try (FileChannel channel = FileChannel.open(onlySegment(), StandardOpenOption.WRITE)) {
            channel.write(torn.flip(), 0);
        }
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(5, segments.nextPosition());
            assertEquals(0, Files.size(onlySegment()), "emptied");
            segments.append(values(5));
        }
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(List.of(5L), scanned(segments));
        }
    }

    @Test
    void aBatchWithoutRoomStartsASegmentAndADroppedOneIsReusedWithoutItsRecords() throws Exception {
        int perSegment = SEGMENT_BYTES / (LogSegments.HEADER_BYTES + 100); // 35
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            for (long position = 1; position <= perSegment + 1; position++) segments.append(values(position));
            assertEquals(2, segments.segments().size());
            LogSegments.Segment first = segments.segments().get(0);
            assertEquals(perSegment + 1, segments.segments().get(1).first);
            segments.drop(first);
            assertNull(segments.read(1, 0));
            for (int wait = 0; wait < 500 && !hasSpare(); wait++) Thread.sleep(10); // the file is renamed on the file thread
            for (long position = perSegment + 2; position <= 2L * perSegment + 1; position++) segments.append(values(position));
            assertEquals(2, segments.segments().size(), "the third segment is the first one's file");
        }
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            List<Long> expected = new ArrayList<>();
            for (long position = perSegment + 1; position <= 2L * perSegment + 1; position++) expected.add(position);
            assertEquals(expected, scanned(segments), "nothing of the file's first use");
            assertEquals(2L * perSegment + 2, segments.nextPosition());
        }
    }

    private static final int RECORD_BYTES = LogSegments.HEADER_BYTES + 100;

    /** Appends a batch of 1 and one of 2 and 3, then writes {@code bytes} over the segment at {@code at}, as a crash may leave it. */
    private void twoBatchesThenOverwritten(long at, ByteBuffer bytes) throws Exception {
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            segments.append(values(1));
            segments.append(values(2, 3));
        }
        try (FileChannel channel = FileChannel.open(onlySegment(), StandardOpenOption.WRITE)) {
            channel.write(bytes, at);
        }
    }

    @Test
    void aTornBatchGoesWholeAndWhatItLeftCannotComeBackBehindLaterRecords() throws Exception {
        // The crash tore record 2; record 3, which ends the batch, reached the disk.
        twoBatchesThenOverwritten(RECORD_BYTES + LogSegments.HEADER_BYTES + 50, ByteBuffer.wrap(new byte[] {0x55}));
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(List.of(1L), scanned(segments));
            assertEquals(2, segments.nextPosition());
            // Same size as the torn record: without the torn batch's rest gone, record 3 would follow it.
            segments.append(values(2));
        }
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(List.of(1L, 2L), scanned(segments));
            assertEquals(3, segments.nextPosition());
        }
    }

    @Test
    void aBatchWhoseLastRecordNeverReachedTheDiskGoesWhole() throws Exception {
        twoBatchesThenOverwritten(2L * RECORD_BYTES, ByteBuffer.allocate(RECORD_BYTES));
        try (LogSegments segments = LogSegments.open(dir, SEGMENT_BYTES, 1)) {
            assertEquals(List.of(1L), scanned(segments));
            assertEquals(2, segments.nextPosition());
        }
    }
}
