package io.eddy.persistence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal's group-commit counters, for the metrics endpoint: Pekko creates the journal
 * reflectively, so the open stores register here. Usually one per process (tests run several nodes).
 * Each open store has its own histograms (batch sizes, sync times), so that, like the counters,
 * they cover exactly the stores still open and their counts match {@link #syncs()}.
 */
public final class JournalMetrics {

    /** Bucket bounds of {@link #batchEvents()}: 1, 2, 4, ..., 4096 events per synced batch. */
    public static final long[] BATCH_EVENT_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

    /** One open store's histograms. */
    private record Batches(Histogram events, Histogram syncNanos) {}

    private static final Map<JournalStore, Batches> OPEN = new ConcurrentHashMap<>();

    private JournalMetrics() {}

    static void register(JournalStore store) {
        OPEN.put(store, new Batches(new Histogram(BATCH_EVENT_BOUNDS), new Histogram(Histogram.DURATION_BOUNDS_NANOS)));
    }

    static void unregister(JournalStore store) {
        OPEN.remove(store);
    }

    /**
     * Called by the store's writer after each synced batch (a batch of deletions only has no
     * events), with how long writing it took, its fsync included.
     */
    static void batchSynced(JournalStore store, int events, long nanos) {
        Batches batches = OPEN.get(store);
        if (batches != null) {
            batches.events().record(events);
            batches.syncNanos().record(nanos);
        }
    }

    /** Events written by all open journals. */
    public static long eventsWritten() {
        return OPEN.keySet().stream().mapToLong(JournalStore::eventsWritten).sum();
    }

    /** Events deleted by all open journals. */
    public static long eventsDeleted() {
        return OPEN.keySet().stream().mapToLong(JournalStore::eventsDeleted).sum();
    }

    /** Events appended again by all open journals, so that their segments could be dropped. */
    public static long eventsRelocated() {
        return OPEN.keySet().stream().mapToLong(JournalStore::eventsRelocated).sum();
    }

    /** Synced batches (fsyncs) written by all open journals. */
    public static long syncs() {
        return OPEN.keySet().stream().mapToLong(JournalStore::syncs).sum();
    }

    /** Events per synced batch, over all open journals: how many appends group commit put under one fsync. */
    public static Histogram.Snapshot batchEvents() {
        return OPEN.values().stream().map(batches -> batches.events().snapshot())
                .reduce(Histogram.Snapshot.empty(BATCH_EVENT_BOUNDS), Histogram.Snapshot::plus);
    }

    /**
     * Nanoseconds per synced batch write, over all open journals: the fsync that every write in
     * the batch waits for, and that the writes queued behind it wait for as well.
     */
    public static Histogram.Snapshot syncDurations() {
        return OPEN.values().stream().map(batches -> batches.syncNanos().snapshot())
                .reduce(Histogram.Snapshot.empty(Histogram.DURATION_BOUNDS_NANOS), Histogram.Snapshot::plus);
    }
}
