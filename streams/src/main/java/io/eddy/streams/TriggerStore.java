package io.eddy.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.persistence.LevelDb;
import io.eddy.persistence.OpenFileBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * The triggers' durable state in a LevelDB of its own: each trigger's spec
 * ({@code [0x01][name]} → JSON) and, per shard, the sequence number of the last record it
 * delivered ({@code [0x02][name][0x00][partition]} → 8 bytes). A restarted node resumes every
 * trigger after its checkpoints, so delivery is at least once.
 */
final class TriggerStore implements AutoCloseable {

    private static final byte SPEC = 0x01;
    private static final byte CHECKPOINT = 0x02;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DB db;
    private final WriteOptions synced = new WriteOptions().sync(true);
    private volatile boolean closed;

    private TriggerStore(DB db) {
        this.db = db;
    }

    static TriggerStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new TriggerStore(LevelDb.open(dir, new Options().createIfMissing(true)
                .maxOpenFiles(OpenFileBudget.smallDatabase())));
    }

    synchronized void put(TriggerSpec spec) {
        check();
        db.put(specKey(spec.name()), spec.toJson().toString().getBytes(StandardCharsets.UTF_8), synced);
    }

    synchronized List<TriggerSpec> all() {
        check();
        List<TriggerSpec> specs = new ArrayList<>();
        try (DBIterator it = db.iterator()) {
            for (it.seek(new byte[] {SPEC}); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getKey()[0] != SPEC) break;
                specs.add(TriggerSpec.fromJson(null, JSON.readTree(entry.getValue())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return specs;
    }

    /** Removes the spec and its checkpoints. */
    synchronized void delete(String name) {
        check();
        byte[] prefix = checkpointPrefix(name);
        try (DBIterator it = db.iterator(); WriteBatch batch = db.createWriteBatch()) {
            batch.delete(specKey(name));
            for (it.seek(prefix); it.hasNext(); ) {
                byte[] key = it.next().getKey();
                if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) break;
                batch.delete(key);
            }
            db.write(batch, synced);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized OptionalLong checkpoint(String name, int partition) {
        check();
        byte[] value = db.get(checkpointKey(name, partition));
        return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    /** Records that everything up to {@code sequenceNr} of the shard is delivered. */
    synchronized void saveCheckpoint(String name, int partition, long sequenceNr) {
        check();
        db.put(checkpointKey(name, partition), ByteBuffer.allocate(8).putLong(sequenceNr).array(), synced);
    }

    private void check() {
        if (closed) throw new IllegalStateException("trigger store closed");
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        db.close();
    }

    private static byte[] specKey(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + n.length).put(SPEC).put(n).array();
    }

    private static byte[] checkpointPrefix(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + n.length).put(CHECKPOINT).put(n).put((byte) 0).array();
    }

    private static byte[] checkpointKey(String name, int partition) {
        byte[] prefix = checkpointPrefix(name);
        return ByteBuffer.allocate(prefix.length + 4).put(prefix).putInt(partition).array();
    }
}
