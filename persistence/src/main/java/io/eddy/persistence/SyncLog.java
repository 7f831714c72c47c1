package io.eddy.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The file that made appends durable in journals from before {@link LogSegments}: each batch of
 * log entries was written here and fsynced before it was acknowledged, while the same entries went
 * to a LevelDB log database without a sync. {@link LegacyLog} reads it once, to restore what that
 * database lost, before it carries the journal over to segments.
 *
 * <p>The file was written from its start in cycles. A cycle begins with a header naming the last
 * position LevelDB held synced when it began: {@code [-1][CRC32C of the position][position]}. A
 * record is {@code [payload length][CRC32C of position and payload][position][payload]}. Within
 * a cycle positions are consecutive from the header's on, so recovery stops at the first record
 * that is torn (bad length or checksum) or that does not follow the one before: the rest of a
 * longer, older cycle, every entry of which LevelDB holds synced. A torn header means a cycle was
 * being started, which happened only once LevelDB had synced everything: nothing to recover.
 * Files written before the header existed start with a record, and their cycle's start is the
 * checkpoint the journal kept in LevelDB ({@code legacyCheckpoint}).
 */
final class SyncLog implements AutoCloseable {

    /** What {@link #recover} hands back: one entry of the current cycle. */
    interface Entry {
        void accept(long position, byte[] value) throws IOException;
    }

    static final int HEADER_BYTES = 4 + 4 + 8;
    /** In place of a record's length: a cycle's header. */
    private static final int CYCLE_MARK = -1;
    private static final byte[] NO_BYTES = {};

    private final FileChannel file;
    private final CRC32C crc = new CRC32C();

    private SyncLog(FileChannel file) {
        this.file = file;
    }

    /** Opens the file, for {@link #recover}. */
    static SyncLog open(Path path) throws IOException {
        return new SyncLog(FileChannel.open(path, StandardOpenOption.READ));
    }

    /**
     * Hands over, in order, the current cycle's entries. {@code legacyCheckpoint} is the cycle's
     * start for a file from before cycle headers, or -1.
     */
    void recover(long legacyCheckpoint, Entry entry) throws IOException {
        long size = file.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        long at = 0;
        long checkpoint;
        // The position the next record must follow; -1: a legacy cycle's first may have any.
        long previous;
        if (!readHeader(header, 0, size)) return;
        if (header.getInt(0) == CYCLE_MARK) {
            if (header.getInt(4) != checksum(header.getLong(8), NO_BYTES, 0)) return;
            checkpoint = previous = header.getLong(8);
            at = HEADER_BYTES;
        } else if (legacyCheckpoint >= 0) {
            checkpoint = legacyCheckpoint;
            previous = -1;
        } else {
            return;
        }
        while (readHeader(header, at, size)) {
            int length = header.getInt();
            int checksum = header.getInt();
            long position = header.getLong();
            if (length < 0 || at + HEADER_BYTES + length > size) break;
            if (previous >= 0 && position != previous + 1) break;
            ByteBuffer value = ByteBuffer.allocate(length);
            readFully(value, at + HEADER_BYTES);
            if (checksum != checksum(position, value.array(), length)) break;
            if (position > checkpoint) entry.accept(position, value.array());
            previous = position;
            at += HEADER_BYTES + length;
        }
    }

    private boolean readHeader(ByteBuffer header, long at, long size) throws IOException {
        if (at + HEADER_BYTES > size) return false;
        header.clear();
        readFully(header, at);
        header.flip();
        return true;
    }

    private int checksum(long position, byte[] value, int length) {
        crc.reset();
        for (int shift = 56; shift >= 0; shift -= 8) crc.update((int) (position >>> shift));
        crc.update(value, 0, length);
        return (int) crc.getValue();
    }

    private void readFully(ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            int read = file.read(buffer, at);
            if (read < 0) throw new IOException("sync log ends inside a record");
            at += read;
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
