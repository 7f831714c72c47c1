package io.eddy.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The file that makes the journal's appends durable: each batch of log entries is written here
 * and fsynced ({@code fdatasync}) before it is acknowledged, while the same entries go to the
 * journal's LevelDB log database without a sync.
 *
 * <p>Why not a synced LevelDB write: leveldbjni 1.8's LevelDB writes its own log through a memory
 * map and syncs it with {@code msync}, which cleans and write-protects the mapped pages so that
 * the next append faults them back in. Measured on the same 1.3 KB entries, a synced LevelDB
 * batch cost 2–4x the CPU and wall time of a write and {@code fdatasync} of a plain file that
 * does not grow (docs/benchmarks.md).
 *
 * <p>The file is written from its start in cycles. When a batch no longer fits, the journal
 * writes that batch to LevelDB synced instead, which makes every earlier entry durable there
 * too, records that position as the log's checkpoint, and starts the next cycle at offset 0:
 * after the first cycle the file keeps its size, and an {@code fdatasync} has no metadata to
 * write. On open, the entries of the current cycle past the checkpoint are written to LevelDB
 * again ({@link #recover}): those are the ones a machine crash may have cost it.
 *
 * <p>A record is {@code [payload length][CRC32C of position and payload][position][payload]}.
 * Within a cycle positions are consecutive, so recovery stops at the first record that is torn
 * (bad length or checksum) or that does not follow the one before: the rest of a longer, older
 * cycle, every entry of which lies at or below the checkpoint.
 *
 * <p>Used by the journal's one writer thread only.
 */
final class SyncLog implements AutoCloseable {

    /** What {@link #recover} hands back: one entry of the current cycle. */
    interface Entry {
        void accept(long position, byte[] value) throws IOException;
    }

    static final int HEADER_BYTES = 4 + 4 + 8;

    private final FileChannel file;
    private final long capacity;
    /** Where the next record goes: the end of the current cycle. */
    private long offset;
    private ByteBuffer pending = ByteBuffer.allocate(64 << 10);
    private final CRC32C crc = new CRC32C();

    private SyncLog(FileChannel file, long capacity) {
        this.file = file;
        this.capacity = capacity;
    }

    /** Opens (or creates) the file; records are written from its start once {@link #recover} has run. */
    static SyncLog open(Path path, long capacity) throws IOException {
        boolean created = !Files.exists(path);
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            // The new file's name must be durable before anything relies on its contents.
            try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        }
        return new SyncLog(file, capacity);
    }

    /**
     * Hands over, in order, the current cycle's entries with a position above {@code checkpoint};
     * the next cycle then starts at offset 0.
     */
    void recover(long checkpoint, Entry entry) throws IOException {
        long at = 0;
        long size = file.size();
        long previous = -1;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (at + HEADER_BYTES <= size) {
            header.clear();
            readFully(header, at);
            header.flip();
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
        offset = 0;
    }

    /** Starts a new batch, dropping whatever a failed one left. */
    void begin() {
        discard();
    }

    /** Adds an entry to the batch being built. */
    void add(long position, byte[] value) {
        int needed = HEADER_BYTES + value.length;
        if (pending.remaining() < needed) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + needed));
            pending.flip();
            larger.put(pending);
            pending = larger;
        }
        pending.putInt(value.length).putInt(checksum(position, value, value.length)).putLong(position).put(value);
    }

    /** Whether the batch being built fits in the rest of the current cycle. */
    boolean fits() {
        return offset + pending.position() <= capacity;
    }

    /** Writes the batch being built at the end of the current cycle and syncs it. */
    void commit() throws IOException {
        pending.flip();
        long at = offset;
        try {
            while (pending.hasRemaining()) at += file.write(pending, at);
            file.force(false);
        } finally {
            discard();
        }
        // Only a batch that is on disk moves the end: a failed one is overwritten by the next.
        offset = at;
    }

    /** Drops the batch being built and starts a new cycle: LevelDB has everything up to now, synced. */
    void restart() {
        discard();
        offset = 0;
    }

    private void discard() {
        pending.clear();
        // A batch of very large entries does not keep its buffer.
        if (pending.capacity() > (4 << 20)) pending = ByteBuffer.allocate(64 << 10);
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
