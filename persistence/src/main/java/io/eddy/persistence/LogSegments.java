package io.eddy.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's events in the order they were written, in segment files that are appended to,
 * synced ({@code fdatasync}) and, once nothing in them is needed, dropped whole. A segment is
 * named after the first position it holds; positions are consecutive, within a segment and from
 * one segment to the next.
 *
 * <p>Why files and not a LevelDB database: every event went to LevelDB's own log, its memtable, a
 * compressed table file and, when trimming deleted it, a tombstone and the compactions that drop
 * it; most events are deleted seconds after they were written. Here an event's bytes are written
 * once, and deleting it costs an index entry's deletion (docs/benchmarks.md).
 *
 * <p>A record is {@code [length][CRC32C][position][payload]}; the length's sign bit marks the last
 * record of a batch, and the checksum covers the position, that mark and the payload. On open,
 * the last segment is read up to its last complete batch: a batch is all of one group commit, so
 * the atomic writes in it are kept whole or not at all. A torn record, a record whose position
 * does not follow the one before (zeros, or what an earlier use of a recycled file left) or the
 * end of the file ends a segment. Every open starts a new segment (or empties the last one, if
 * it has no complete batch), so nothing is ever written after a torn batch, whose remains could
 * otherwise be read as records following later ones.
 * Likewise, a failed write or sync fails every later append until the journal is opened again.
 *
 * <p>A dropped segment's file becomes a spare, renamed to the next segment's name when one starts
 * (up to {@value #MAX_SPARES}; the rest are deleted): a file that keeps its size has no size or
 * block allocation for an {@code fdatasync} to write. Closing, renaming and deleting dropped
 * files happens on a thread of its own, not the writer's: a drop there took 13–21 ms.
 *
 * <p>Appends, new segments and drops happen on the journal's writer thread; reads on any thread.
 * Readers and the writer have channels of their own: an interrupted read closes its channel.
 */
final class LogSegments implements AutoCloseable {

    /** One record, as {@link #scan} hands it over. */
    interface Record {
        void accept(long position, int offset, byte[] value) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(LogSegments.class);
    static final int HEADER_BYTES = 4 + 4 + 8;
    /** What a single read of a record takes first: its header and a value of up to 4 KB less the header. */
    private static final int FIRST_READ_BYTES = 4 << 10;
    private static final int SCAN_CHUNK = 1 << 20;
    /** Offsets are ints, and a batch larger than a segment still goes into one. */
    static final long MAX_SEGMENT_BYTES = 1L << 30;
    private static final int BATCH_END = 0x8000_0000;
    private static final String SUFFIX = ".seg";
    private static final String SPARE_PREFIX = "spare-";
    private static final int MAX_SPARES = 4;

    private final Path dir;
    private final long segmentBytes;
    private final NavigableMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Files ready to become the next segment: dropped segments. */
    private final Deque<Path> spares = new ConcurrentLinkedDeque<>();
    private final ExecutorService fileWork = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "eddy-journal-segments");
        thread.setDaemon(true);
        return thread;
    });
    private ByteBuffer pending = ByteBuffer.allocate(64 << 10);
    /** The writer's channel to the last segment. */
    private FileChannel writing;
    /** Where the next record goes in the last segment. */
    private long end;
    /** The position of the next record. */
    private long nextPosition;
    private IOException failed;

    /** A segment file, and which of its positions the journal's index finds (writer thread). */
    static final class Segment {
        final long first;
        final Path path;
        private volatile FileChannel channel;
        private volatile boolean dropped;
        private final BitSet indexed = new BitSet();

        private Segment(long first, Path path) throws IOException {
            this.first = first;
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
        }

        int bit(long position) {
            return Math.toIntExact(position - first);
        }

        void indexed(long position) {
            indexed.set(bit(position));
        }

        void unindexed(long position) {
            indexed.clear(bit(position));
        }

        boolean holds(long position) {
            return indexed.get(bit(position));
        }

        void unindexAll() {
            indexed.clear();
        }

        boolean isEmpty() {
            return indexed.isEmpty();
        }

        int count() {
            return indexed.cardinality();
        }

        BitSet indexedCopy() {
            return (BitSet) indexed.clone();
        }

        /**
         * A read interrupted on another thread closes the channel for every reader: it is opened
         * again, unless the segment was dropped (its file closed, and renamed or deleted).
         */
        private synchronized FileChannel reopened(FileChannel closed) throws IOException {
            if (dropped) throw new ClosedChannelException();
            if (channel == closed) channel = FileChannel.open(path, StandardOpenOption.READ);
            return channel;
        }
    }

    /** Something done with a segment's read channel; an interrupted read's channel is opened again once. */
    private interface ChannelRead<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private LogSegments(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the segments in {@code dir}, finds the end of the last one and starts a new one after
     * it, at {@code firstPosition} at the least.
     */
    static LogSegments open(Path dir, long segmentBytes, long firstPosition) throws IOException {
        if (segmentBytes <= HEADER_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment size out of range: " + segmentBytes);
        }
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        LogSegments log = new LogSegments(dir, segmentBytes);
        try {
            if (created) DurableFiles.syncDirectory(dir.getParent());
            try (var files = Files.list(dir)) {
                for (Path path : files.toList()) {
                    String name = path.getFileName().toString();
                    if (name.startsWith(SPARE_PREFIX)) {
                        log.spares.add(path);
                    } else if (name.endsWith(SUFFIX)) {
                        long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                        log.segments.put(first, new Segment(first, path));
                    }
                }
            }
            Segment last = log.segments.isEmpty() ? null : log.segments.lastEntry().getValue();
            long[] next = {last == null ? firstPosition : Math.max(firstPosition, last.first)};
            if (last != null) log.scanSegment(last, (position, offset, value) -> next[0] = Math.max(next[0], position + 1));
            log.nextPosition = next[0];
            if (last != null && last.first == next[0]) {
                // No complete batch in it: it starts again, empty (what a torn batch left goes).
                log.writing = FileChannel.open(last.path, StandardOpenOption.WRITE);
                log.writing.truncate(0);
                log.writing.force(true);
            } else {
                // Its batches are read from here on as durable, but the last of them may never have
                // been synced (killed between its write and its sync): synced now, before anything
                // is indexed or replayed from them, so a power loss later cannot take them back.
                if (last != null) DurableFiles.sync(last.path);
                log.startSegment();
            }
            return log;
        } catch (IOException | RuntimeException e) {
            try {
                log.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The position the next appended record gets. */
    long nextPosition() {
        return nextPosition;
    }

    /** A record's value, written straight into the batch's buffer rather than copied there from an array of its own. */
    interface Value {
        int length();

        /** Puts exactly {@link #length()} bytes. */
        void writeTo(ByteBuffer out);

        static Value of(byte[] bytes) {
            return new Value() {
                @Override
                public int length() {
                    return bytes.length;
                }

                @Override
                public void writeTo(ByteBuffer out) {
                    out.put(bytes);
                }
            };
        }
    }

    /** {@link #appendValues} of the arrays. */
    int[] append(List<byte[]> values) throws IOException {
        List<Value> wrapped = new ArrayList<>(values.size());
        for (byte[] value : values) wrapped.add(Value.of(value));
        return appendValues(wrapped);
    }

    /**
     * Fails every later append, as a failed write does: for records appended and synced whose
     * indexing then failed. They are in the log without their entries, and a later open indexes the
     * log's tail again; were appends to go on, the owner of their ids could write those sequence
     * numbers again, and the open would then bring back the failed write's events over them.
     */
    void fail(IOException cause) {
        if (failed == null) failed = cause;
    }

    /**
     * Appends the values as one batch at consecutive positions from {@link #nextPosition()} and
     * syncs them; returns each one's offset in its segment. The batch goes to a new segment when
     * the last one has records and no room for it. Returns once the records are on disk.
     */
    int[] appendValues(List<? extends Value> values) throws IOException {
        if (failed != null) throw new IOException("an earlier write to the journal's log failed; it takes an open again", failed);
        if (values.isEmpty()) return new int[0];
        try {
            long bytes = 0;
            for (Value value : values) bytes += HEADER_BYTES + value.length();
            if (end > 0 && end + bytes > segmentBytes) startSegment();
            pending.clear();
            int[] offsets = new int[values.size()];
            for (int i = 0; i < values.size(); i++) {
                offsets[i] = Math.toIntExact(end + pending.position());
                put(nextPosition + i, values.get(i), i == values.size() - 1);
            }
            pending.flip();
            long at = end;
            while (pending.hasRemaining()) at += writing.write(pending, at);
            writing.force(false);
            end = at;
            nextPosition += values.size();
            return offsets;
        } catch (IOException | RuntimeException e) {
            // What failed may still reach the disk, in part, later: nothing is written after it.
            failed = e instanceof IOException io ? io : new IOException(e);
            throw e;
        } finally {
            if (pending.capacity() > (4 << 20)) pending = ByteBuffer.allocate(64 << 10);
        }
    }

    private void put(long position, Value value, boolean batchEnd) {
        int valueLength = value.length();
        int needed = HEADER_BYTES + valueLength;
        if (pending.remaining() < needed) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + needed));
            pending.flip();
            larger.put(pending);
            pending = larger;
        }
        int length = batchEnd ? valueLength | BATCH_END : valueLength;
        int header = pending.position();
        pending.position(header + HEADER_BYTES);
        value.writeTo(pending);
        if (pending.position() != header + needed) throw new IllegalStateException("a log value wrote other than its length");
        int checksum = checksum(position, length, pending.array(), pending.arrayOffset() + header + HEADER_BYTES, valueLength);
        pending.putInt(header, length).putInt(header + 4, checksum).putLong(header + 8, position);
    }

    /**
     * The value at {@code position}, which an index entry found at {@code offset}; null if it is
     * not there, or if its segment was dropped.
     */
    byte[] read(long position, int offset) {
        Segment segment = segmentOf(position);
        if (segment == null) return null;
        try {
            // The header and, for most records, the whole value in one read: the change-log
            // readers read every event again right after it is written, one at a time.
            ByteBuffer first = ByteBuffer.allocate(FIRST_READ_BYTES);
            int read = readUpTo(segment, first, offset);
            if (read < HEADER_BYTES) return null;
            int length = first.getInt(0);
            int valueLength = length & ~BATCH_END;
            if (first.getLong(8) != position) return null;
            int inFirst = Math.min(valueLength, read - HEADER_BYTES);
            // A length past the file's end is a damaged header: nothing that size is allocated.
            if (inFirst < valueLength && offset + HEADER_BYTES + (long) valueLength > withChannel(segment, FileChannel::size)) return null;
            byte[] value = new byte[valueLength];
            System.arraycopy(first.array(), HEADER_BYTES, value, 0, inFirst);
            if (inFirst < valueLength) {
                ByteBuffer rest = ByteBuffer.wrap(value, inFirst, valueLength - inFirst).slice();
                if (readUpTo(segment, rest, offset + HEADER_BYTES + (long) inFirst) < rest.capacity()) return null;
            }
            return first.getInt(4) == checksum(position, length, value, 0, valueLength) ? value : null;
        } catch (IOException e) {
            if (segment.dropped) return null;
            throw new UncheckedIOException(e);
        }
    }

    /** Reads into the buffer from {@code at} until it is full or the file ends; answers how many bytes it read. */
    private static int readUpTo(Segment segment, ByteBuffer buffer, long at) throws IOException {
        return withChannel(segment, channel -> {
            buffer.clear();
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) break;
            }
            return buffer.position();
        });
    }

    private static <T> T withChannel(Segment segment, ChannelRead<T> read) throws IOException {
        FileChannel channel = segment.channel;
        try {
            return read.apply(channel);
        } catch (ClosedChannelException e) {
            // Interrupted reads close the channel; the interrupt stays set for the caller.
            boolean interrupted = Thread.interrupted();
            try {
                channel = segment.reopened(channel);
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            return read.apply(channel);
        }
    }

    /** Fills the buffer from {@code at}; false if the file ends first. */
    private static boolean readFully(Segment segment, ByteBuffer buffer, long at) throws IOException {
        return readUpTo(segment, buffer, at) == buffer.capacity();
    }

    /**
     * Hands over, in order, the records of every segment from the one holding {@code from} on, at
     * {@code from} and after, as far as complete batches go.
     */
    void scan(long from, Record record) throws IOException {
        Long start = segments.floorKey(from);
        for (Segment segment : segments.tailMap(start == null ? Long.MIN_VALUE : start).values()) {
            scanSegment(segment, (position, offset, value) -> {
                if (position >= from) record.accept(position, offset, value);
            });
        }
    }

    /** Hands over the segment's records, as far as complete batches go. */
    void scanSegment(Segment segment, Record record) throws IOException {
        scanSegment(segment, position -> true, record);
    }

    /**
     * Hands over the segment's records that {@code wanted} takes, as far as complete batches go:
     * the others are checked like them, but not copied out. The segment is read a chunk at a time,
     * not a call for each header and value: relocation reads every segment once, all of it.
     */
    void scanSegment(Segment segment, LongPredicate wanted, Record record) throws IOException {
        long size = withChannel(segment, FileChannel::size);
        SegmentReader in = new SegmentReader(segment);
        record Read(long position, int offset, byte[] value) {}
        List<Read> batch = new ArrayList<>();
        long at = 0;
        for (long expected = segment.first; at + HEADER_BYTES <= size; expected++) {
            int header = in.bytes(at, HEADER_BYTES);
            if (header < 0) return;
            int length = in.buffer.getInt(header);
            int valueLength = length & ~BATCH_END;
            long position = in.buffer.getLong(header + 8);
            if (position != expected || at + HEADER_BYTES + valueLength > size) return;
            header = in.bytes(at, HEADER_BYTES + valueLength);
            if (header < 0) return;
            byte[] bytes = in.buffer.array();
            int value = header + HEADER_BYTES;
            if (in.buffer.getInt(header + 4) != checksum(position, length, bytes, value, valueLength)) return;
            if (wanted.test(position)) batch.add(new Read(position, (int) at, Arrays.copyOfRange(bytes, value, value + valueLength)));
            if ((length & BATCH_END) != 0) {
                for (Read read : batch) record.accept(read.position(), read.offset(), read.value());
                batch.clear();
            }
            at += HEADER_BYTES + valueLength;
        }
    }

    /** Reads a segment from start to end through a buffer of {@value #SCAN_CHUNK} bytes (or one record, if larger). */
    private static final class SegmentReader {
        private final Segment segment;
        private ByteBuffer buffer = ByteBuffer.allocate(SCAN_CHUNK);
        /** The buffer holds the segment's bytes from this offset to its position. */
        private long start;

        SegmentReader(Segment segment) {
            this.segment = segment;
        }

        /** Where in the buffer's array the {@code length} bytes at {@code at} are, read first if need be; -1 if the segment ends before. */
        int bytes(long at, int length) throws IOException {
            if (at >= start && at + length <= start + buffer.position()) return (int) (at - start);
            if (length > buffer.capacity()) buffer = ByteBuffer.allocate(length);
            start = at;
            // Short of a full buffer only at the segment's end.
            boolean full = readFully(segment, buffer, at);
            return full || buffer.position() >= length ? 0 : -1;
        }
    }

    /** The segment holding {@code position}, or null. */
    Segment segmentOf(long position) {
        Map.Entry<Long, Segment> entry = segments.floorEntry(position);
        if (entry == null) return null;
        Long next = segments.higherKey(entry.getKey());
        return position < (next == null ? nextPosition : next) ? entry.getValue() : null;
    }

    /** The segment being written. */
    Segment last() {
        return segments.lastEntry().getValue();
    }

    /** Every segment, oldest first; the last is the one being written. */
    List<Segment> segments() {
        return List.copyOf(segments.values());
    }

    /** The positions a segment spans: from its first to the next segment's first (or the next position). */
    long span(Segment segment) {
        Long next = segments.higherKey(segment.first);
        return (next == null ? nextPosition : next) - segment.first;
    }

    /** Whether the segment has not been dropped. */
    boolean contains(Segment segment) {
        return segments.get(segment.first) == segment;
    }

    boolean isLast(Segment segment) {
        return segments.lastKey() == segment.first;
    }

    /**
     * Drops a segment that is not the last: its file becomes a spare, or goes, on the thread for
     * file work. A read still running on it finds nothing ({@link #read} answers null).
     */
    void drop(Segment segment) {
        if (isLast(segment)) throw new IllegalArgumentException("the segment being written is not dropped");
        segments.remove(segment.first);
        segment.dropped = true;
        fileWork.execute(() -> {
            try {
                synchronized (segment) {
                    segment.channel.close();
                }
                if (spares.size() < MAX_SPARES) {
                    Path spare = dir.resolve(SPARE_PREFIX + segment.first);
                    Files.move(segment.path, spare, StandardCopyOption.ATOMIC_MOVE);
                    spares.add(spare);
                } else {
                    Files.delete(segment.path);
                }
            } catch (IOException | RuntimeException e) {
                // A file left with its name is a segment without indexed events: the next open drops it.
                log.warn("dropping journal segment {} failed", segment.path, e);
            }
        });
    }

    /** Starts a segment at the next position, from a spare if there is one; its name is durable before it is written. */
    private void startSegment() throws IOException {
        Path path = dir.resolve(String.format("%020d", nextPosition) + SUFFIX);
        Path spare = spares.pollLast();
        if (spare != null) {
            Files.move(spare, path, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.createFile(path);
        }
        DurableFiles.syncDirectory(dir);
        Segment segment = new Segment(nextPosition, path);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
        } catch (IOException e) {
            segment.channel.close();
            throw e;
        }
        if (writing != null) writing.close();
        writing = channel;
        segments.put(nextPosition, segment);
        end = 0;
    }

    private static int checksum(long position, int length, byte[] value, int offset, int valueLength) {
        CRC32C crc = new CRC32C();
        for (int shift = 56; shift >= 0; shift -= 8) crc.update((int) (position >>> shift));
        crc.update(length >>> 24);
        crc.update(value, offset, valueLength);
        return (int) crc.getValue();
    }

    @Override
    public void close() throws IOException {
        fileWork.shutdown();
        try {
            if (!fileWork.awaitTermination(30, TimeUnit.SECONDS)) log.warn("journal segment file work still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException failure = null;
        List<FileChannel> channels = new ArrayList<>();
        if (writing != null) channels.add(writing);
        for (Segment segment : segments.values()) channels.add(segment.channel);
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
