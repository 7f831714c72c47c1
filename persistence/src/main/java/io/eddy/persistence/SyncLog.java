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
 * <p>The file is written from its start in cycles. A cycle begins with a header naming the last
 * position LevelDB held synced when it began: {@code [-1][CRC32C of the position][position]}. When
 * a batch no longer fits, the journal writes that batch to LevelDB synced instead, which makes
 * every earlier entry durable there too, and starts the next cycle ({@link #restart}): after the
 * first cycle the file keeps its size, and an {@code fdatasync} has no metadata to write. On open,
 * the current cycle's entries are written to LevelDB again where it lacks them ({@link
 * #recover}): those are the ones a machine crash may have cost it.
 *
 * <p>Why the header and not a key in LevelDB: the log database's keys only grow, so its table
 * files never overlap and LevelDB never has to compact them; a fixed key, rewritten at every
 * checkpoint, made every file written after it overlap all the ones before (docs/benchmarks.md).
 *
 * <p>A record is {@code [payload length][CRC32C of position and payload][position][payload]}.
 * Within a cycle positions are consecutive from the header's on, so recovery stops at the first
 * record that is torn (bad length or checksum) or that does not follow the one before: the rest
 * of a longer, older cycle, every entry of which LevelDB holds synced. A torn header means a
 * cycle was being started, which happens only once LevelDB has synced everything: nothing to
 * recover. Files written before the header existed start with a record, and their cycle's
 * start is the checkpoint the journal kept in LevelDB ({@code legacyCheckpoint}).
 *
 * <p>Used by the journal's one writer thread only.
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
    private final long capacity;
    /** Where the next record goes: the end of the current cycle. */
    private long offset;
    /** The position in the current cycle's header: its entries follow it. */
    private long cycleStart;
    private ByteBuffer pending = ByteBuffer.allocate(64 << 10);
    private final CRC32C crc = new CRC32C();

    private SyncLog(FileChannel file, long capacity) {
        this.file = file;
        this.capacity = capacity;
    }

    /** Opens (or creates) the file; records are written once {@link #recover} and {@link #restart} have run. */
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
     * Hands over, in order, the current cycle's entries. {@code legacyCheckpoint} is the cycle's
     * start for a file from before cycle headers, or -1. Records are written after the current
     * cycle's end only once {@link #restart} has begun a new one.
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

    /**
     * Drops the batch being built and starts a new cycle after {@code lastSynced}: LevelDB must
     * hold every position up to it synced. The header is synced before anything relies on it.
     */
    void restart(long lastSynced) throws IOException {
        discard();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
                .putInt(CYCLE_MARK).putInt(checksum(lastSynced, NO_BYTES, 0)).putLong(lastSynced).flip();
        long at = 0;
        while (header.hasRemaining()) at += file.write(header, at);
        file.force(false);
        offset = HEADER_BYTES;
        cycleStart = lastSynced;
    }

    /** Whether the current cycle holds an entry at or below {@code position}. */
    boolean holdsUpTo(long position) {
        return !isEmpty() && position > cycleStart;
    }

    /** Whether the current cycle holds no entries. */
    boolean isEmpty() {
        return offset <= HEADER_BYTES;
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
