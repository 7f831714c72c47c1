package io.eddy.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * Carries a journal from before {@link LogSegments} over to them. Its events were in a LevelDB
 * log database ({@code log/}, keyed by position), made durable by a {@link SyncLog}
 * ({@code journal.sync}) holding what that database may not yet have synced. On the first open
 * with segments, what the sync log holds and the log database lost is restored, every event is
 * appended to the segments and indexed there, and both go.
 *
 * <p>Crash-safe by order: until the log database is renamed away, the next open carries it over
 * again from the start (the segments written so far are deleted first, and the index entries
 * pointing into them are written again); after the rename, only the deletion is finished.
 */
final class LegacyLog {

    static final String LOG_DIR = "log";
    static final String SYNC_LOG_FILE = "journal.sync";
    private static final String CARRIED_DIR = "log.carried";
    /** Events per segment batch and index write while carrying over. */
    private static final int CHUNK = 1000;

    private LegacyLog() {}

    /** Carries the journal in {@code dir} over to segments in {@code segmentsDir}, if it has a log database. */
    static void carryOver(Path dir, DB index, Path segmentsDir, long segmentBytes) throws IOException {
        Path carried = dir.resolve(CARRIED_DIR);
        if (Files.exists(carried)) deleteTree(carried);
        Path logDir = dir.resolve(LOG_DIR);
        if (!Files.exists(logDir)) return;
        deleteTree(segmentsDir);
        try (DB log = LevelDb.open(logDir, new Options().paranoidChecks(false))) {
            restoreSyncLog(dir.resolve(SYNC_LOG_FILE), log);
            copy(log, index, segmentsDir, segmentBytes);
        }
        Files.move(logDir, carried, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve(SYNC_LOG_FILE));
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        deleteTree(carried);
    }

    /**
     * Writes to the log database, synced, the entries of the sync log's current cycle that it
     * lacks: those a machine crash may have cost LevelDB's unsynced tail.
     */
    private static void restoreSyncLog(Path file, DB log) throws IOException {
        if (!Files.exists(file)) return;
        byte[] checkpoint = log.get(JournalKeys.LEGACY_LOG_CHECKPOINT);
        try (SyncLog syncLog = SyncLog.open(file); WriteBatch batch = log.createWriteBatch()) {
            // A sync log without cycle headers began its cycle after that key's checkpoint, or at
            // the first position if it had none yet.
            syncLog.recover(checkpoint == null ? 0 : JournalKeys.longOf(checkpoint), (position, value) -> {
                byte[] key = JournalKeys.longBytes(position);
                if (!Arrays.equals(log.get(key), value)) batch.put(key, value);
            });
            log.write(batch, new WriteOptions().sync(true));
        }
    }

    /**
     * Appends every event of the log database to the segments and indexes it there. Events get
     * new positions, from 1 on: the old log had gaps (deleted events), and segments have none.
     */
    private static void copy(DB log, DB index, Path segmentsDir, long segmentBytes) throws IOException {
        long last;
        try (DBIterator it = log.iterator(); LogSegments segments = LogSegments.open(segmentsDir, segmentBytes, 1)) {
            it.seekToFirst();
            List<byte[]> chunk = new ArrayList<>();
            while (it.hasNext() || !chunk.isEmpty()) {
                var entry = it.hasNext() ? it.next() : null;
                // Positions only: the checkpoint key of the sync log's first version is not one.
                if (entry != null && entry.getKey().length == 8) chunk.add(entry.getValue());
                if (chunk.isEmpty() || (entry != null && chunk.size() < CHUNK)) continue;
                long first = segments.nextPosition();
                int[] offsets = segments.append(chunk);
                try (WriteBatch batch = index.createWriteBatch()) {
                    JournalStore.putIndexEntries(index, batch, chunk.stream().map(JournalKeys::eventOf).toList(), first, offsets);
                    // Synced, so that nothing of the index depends on the log about to go.
                    index.write(batch, new WriteOptions().sync(true));
                }
                chunk.clear();
            }
            last = segments.nextPosition() - 1;
        }
        try (WriteBatch batch = index.createWriteBatch()) {
            batch.put(JournalKeys.INDEXED_TO, JournalKeys.longBytes(last));
            batch.put(JournalKeys.INDEX_SYNCED_TO, JournalKeys.longBytes(last));
            index.write(batch, new WriteOptions().sync(true));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
