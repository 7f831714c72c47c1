package io.eddy.persistence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal's group-commit counters, for the metrics endpoint: Pekko creates the journal
 * reflectively, so the open stores register here. Usually one per process (tests run several nodes).
 */
public final class JournalMetrics {

    private static final Set<JournalStore> OPEN = ConcurrentHashMap.newKeySet();

    private JournalMetrics() {}

    static void register(JournalStore store) {
        OPEN.add(store);
    }

    static void unregister(JournalStore store) {
        OPEN.remove(store);
    }

    /** Events written by all open journals. */
    public static long eventsWritten() {
        return OPEN.stream().mapToLong(JournalStore::eventsWritten).sum();
    }

    /** Synced batches (fsyncs) written by all open journals. */
    public static long syncs() {
        return OPEN.stream().mapToLong(JournalStore::syncs).sum();
    }
}
