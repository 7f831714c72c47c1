package io.eddy.shards;

import io.eddy.model.Bytes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The items a partition's transactional readers (TransactGetItems over several partitions) have
 * read and not yet confirmed, and which of them changed since. In memory only: a read is not
 * durable, and a watch lost in a restart counts as changed. Watches nobody confirms expire.
 */
final class ReadWatches {

    private static final class Watch {
        final List<Bytes> keys;
        final Set<Integer> changed = new TreeSet<>();
        final long startedNanos;

        Watch(List<Bytes> keys, long startedNanos) {
            this.keys = keys;
            this.startedNanos = startedNanos;
        }
    }

    private final Map<String, Watch> byRead = new HashMap<>();
    private final Map<Bytes, Set<String>> readsByKey = new HashMap<>();
    private final long maxAgeNanos;

    ReadWatches(long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
    }

    void watch(String readId, List<Bytes> keys, long nowNanos) {
        byRead.put(readId, new Watch(List.copyOf(keys), nowNanos));
        for (Bytes key : keys) readsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(readId);
    }

    /** Notes that the item changed (or was locked by a transaction) for every read watching it. */
    void changed(Bytes key) {
        Set<String> reads = readsByKey.get(key);
        if (reads == null) return;
        for (String readId : reads) {
            Watch watch = byRead.get(readId);
            for (int i = 0; i < watch.keys.size(); i++) {
                if (watch.keys.get(i).equals(key)) watch.changed.add(i);
            }
        }
    }

    /** Ends the watch: the positions of the items that changed, or empty if the watch is unknown. */
    Optional<Set<Integer>> release(String readId) {
        Watch watch = byRead.remove(readId);
        if (watch == null) return Optional.empty();
        unindex(readId, watch);
        return Optional.of(Set.copyOf(watch.changed));
    }

    /** Drops the watches older than the maximum age; their readers have given up. */
    void expire(long nowNanos) {
        if (byRead.isEmpty()) return;
        for (Iterator<Map.Entry<String, Watch>> it = byRead.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Watch> entry = it.next();
            if (nowNanos - entry.getValue().startedNanos > maxAgeNanos) {
                unindex(entry.getKey(), entry.getValue());
                it.remove();
            }
        }
    }

    boolean isEmpty() {
        return byRead.isEmpty();
    }

    private void unindex(String readId, Watch watch) {
        for (Bytes key : watch.keys) {
            Set<String> reads = readsByKey.get(key);
            if (reads != null && reads.remove(readId) && reads.isEmpty()) readsByKey.remove(key);
        }
    }
}
