package io.eddy.persistence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Cuts a LevelDB database's live logs back to their longest intact prefix, before LevelDB opens it.
 *
 * <p>The item store writes without syncing. After a machine crash its log can have lost a page in
 * the middle while pages after it reached the disk, and leveldbjni 1.8's LevelDB, without paranoid checks, skips
 * the torn records and keeps the later ones. A partition's meta from a later batch would then stand
 * over an earlier batch's missing items, and recovery, which replays the journal from that meta,
 * would never put them back. Cut at the first tear, the store is what it was after one batch, so
 * every partition's meta and every feed's checkpoint again matches what the store holds; the
 * journal still has every event after the store's last sync (it is trimmed only below a synced
 * store), so recovery replays the rest. A later live log is dropped whole when an earlier one was
 * cut: its records came after the cut ones.
 *
 * <p>LevelDB's log format: 32 KB blocks of records, each with a 7-byte header (masked CRC32C of type
 * and data, little-endian length, type), a write batch being one record or a FIRST, MIDDLE..., LAST
 * run of fragments; a block's last 6 bytes or fewer are zeros. The live logs are those numbered at
 * or above the MANIFEST's log number, or equal to its previous log number, as LevelDB recovers them.
 * Anything unexpected in the MANIFEST leaves the logs as they are, to LevelDB.
 */
final class TornLogRepair {
    static final int BLOCK_SIZE = 32768;
    static final int HEADER_SIZE = 7;
    private static final int FULL = 1;
    private static final int FIRST = 2;
    private static final int MIDDLE = 3;
    private static final int LAST = 4;
    private static final int MASK_DELTA = 0xa282ead8;
    private static final Pattern LOG_NAME = Pattern.compile("(\\d{1,18})\\.log");

    /** Bytes {@code from} (inclusive) to {@code to} of {@code log} were cut; {@code zerosOnly} if they held nothing but zeros. */
    record Cut(Path log, long from, long to, boolean zerosOnly) {}

    private TornLogRepair() {}

    /**
     * Cuts the live logs of the database in {@code dir} (none if it has no CURRENT yet) and says
     * what it cut. Nothing is cut while another process has the database open (it holds LevelDB's
     * LOCK): its log is live, and LevelDB will refuse this open anyway. The caller must not have it
     * open itself: a process's POSIX locks are its own, so this one would not see LevelDB's, and
     * closing the file here would release it.
     */
    static List<Cut> cutToIntactPrefix(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) return List.of();
        try (FileChannel lockFile = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            return lock == null ? List.of() : cutLocked(dir);
        }
    }

    private static List<Cut> cutLocked(Path dir) throws IOException {
        Path current = dir.resolve("CURRENT");
        String manifestName = Files.readString(current, StandardCharsets.UTF_8).trim();
        Path manifest = dir.resolve(manifestName);
        if (!manifestName.startsWith("MANIFEST-") || !Files.isRegularFile(manifest)) return List.of();
        long[] logNumbers;
        try {
            logNumbers = liveLogNumbers(manifest);
        } catch (UnreadableManifest unexpected) {
            return List.of();
        }
        List<Cut> cuts = new ArrayList<>();
        for (Path log : liveLogs(dir, logNumbers[0], logNumbers[1])) {
            long size = Files.size(log);
            long keep = cuts.isEmpty() ? readRecords(log, null) : 0;
            if (keep < size) cuts.add(new Cut(log, keep, size, zerosFrom(log, keep)));
        }
        // Newest first: a crash part-way leaves the later logs emptied and the earlier one still
        // torn, which the next open cuts again. Oldest first, it could leave the earlier log cut
        // and a later one whole, which no later open would see as torn.
        for (int i = cuts.size() - 1; i >= 0; i--) {
            Cut cut = cuts.get(i);
            try (FileChannel channel = FileChannel.open(cut.log(), StandardOpenOption.WRITE)) {
                channel.truncate(cut.from());
                channel.force(true);
            }
        }
        return cuts;
    }

    /** The MANIFEST's last log number and previous log number, read as its records go by. */
    private static long[] liveLogNumbers(Path manifest) throws IOException {
        long[] numbers = {0, 0};
        readRecords(manifest, edit -> readVersionEdit(ByteBuffer.wrap(edit), numbers));
        return numbers;
    }

    /** Reads one VersionEdit's fields, keeping the log numbers; throws on a tag it does not know. */
    private static void readVersionEdit(ByteBuffer edit, long[] numbers) {
        while (edit.hasRemaining()) {
            int tag = (int) varint(edit);
            switch (tag) {
                case 1 -> skipSlice(edit);                               // comparator
                case 2 -> numbers[0] = varint(edit);                     // log number
                case 3, 4 -> varint(edit);                               // next file number, last sequence
                case 5 -> { varint(edit); skipSlice(edit); }             // compaction pointer: level, key
                case 6 -> { varint(edit); varint(edit); }                // deleted file: level, number
                case 7 -> {                                              // new file: level, number, size, smallest, largest
                    varint(edit); varint(edit); varint(edit);
                    skipSlice(edit); skipSlice(edit);
                }
                case 9 -> numbers[1] = varint(edit);                     // previous log number
                default -> throw new UnreadableManifest("unknown VersionEdit tag " + tag);
            }
        }
    }

    /** The MANIFEST holds what this reader does not know: its logs are left to LevelDB. */
    private static final class UnreadableManifest extends RuntimeException {
        UnreadableManifest(String why) {
            super(why, null, false, false);
        }
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) throw new UnreadableManifest("varint cut short");
            int b = in.get() & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new UnreadableManifest("varint longer than 10 bytes");
    }

    private static void skipSlice(ByteBuffer in) {
        long length = varint(in);
        if (length > in.remaining()) throw new UnreadableManifest("slice cut short");
        in.position(in.position() + (int) length);
    }

    /** The log files LevelDB would recover, oldest first. */
    private static List<Path> liveLogs(Path dir, long logNumber, long previousLogNumber) throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path file : files) {
                Matcher name = LOG_NAME.matcher(file.getFileName().toString());
                if (!name.matches()) continue;
                long number = Long.parseLong(name.group(1));
                if (number >= logNumber || number == previousLogNumber) logs.put(number, file);
            }
        }
        return new ArrayList<>(logs.values());
    }

    /**
     * Reads the records of a log-format file up to its first torn, zeroed or misplaced fragment,
     * handing each whole record's data to {@code records} if not null, and answers where the last
     * whole record ends.
     */
    static long readRecords(Path file, Consumer<byte[]> records) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream fragments = records == null ? null : new ByteArrayOutputStream();
        long intactEnd = 0;
        boolean inRecord = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long blockStart = 0; ; blockStart += BLOCK_SIZE) {
                block.clear();
                while (block.hasRemaining() && channel.read(block, blockStart + block.position()) > 0) {
                    // read the block whole, or up to the end of the file
                }
                int limit = block.position();
                if (limit == 0) return intactEnd;
                for (int at = 0; limit - at >= HEADER_SIZE; ) {
                    int storedCrc = block.getInt(at);
                    int length = block.getShort(at + 4) & 0xFFFF;
                    int type = block.get(at + 6) & 0xFF;
                    if (type < FULL || type > LAST || at + HEADER_SIZE + length > limit) return intactEnd;
                    crc.reset();
                    crc.update(block.array(), at + 6, 1 + length);
                    if (mask((int) crc.getValue()) != storedCrc) return intactEnd;
                    if ((type == FULL || type == FIRST) == inRecord) return intactEnd;
                    if (fragments != null) fragments.write(block.array(), at + HEADER_SIZE, length);
                    at += HEADER_SIZE + length;
                    inRecord = type == FIRST || type == MIDDLE;
                    if (!inRecord) {
                        intactEnd = blockStart + at;
                        if (fragments != null) {
                            records.accept(fragments.toByteArray());
                            fragments.reset();
                        }
                    }
                }
                if (limit < BLOCK_SIZE) return intactEnd;
            }
        }
    }

    /** LevelDB stores a CRC rotated and offset, so that a CRC of data holding CRCs is not itself trivial. */
    private static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    private static boolean zerosFrom(Path file, long from) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long at = from; ; ) {
                buffer.clear();
                int read = channel.read(buffer, at);
                if (read <= 0) return true;
                for (int i = 0; i < read; i++) if (buffer.get(i) != 0) return false;
                at += read;
            }
        }
    }
}
