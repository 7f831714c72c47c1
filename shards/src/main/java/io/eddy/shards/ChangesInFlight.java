package io.eddy.shards;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stamp of each partition's batch that has been stamped and is not yet readable from the
 * journal: a reader of the change stream that finds nothing more in the journal asks here whether
 * a change of the time it is waiting for can still come (a batch stamped inside a stream shard's
 * window whose fsync stalls lands after the window, however long after). A partition's stamps
 * never decrease and it has one batch in flight at a time, so once its batch in flight (if any) is
 * stamped at or after a time, every change it will still journal is too.
 *
 * <p>Knows the partitions running on this node only.
 */
public final class ChangesInFlight {

    /** A partition with no batch in flight. */
    public static final long NONE = Long.MAX_VALUE;
    /** A partition about to stamp a batch: its stamp may be any time up to now. */
    static final long STAMPING = Long.MIN_VALUE;

    private final Map<String, AtomicLong> partitions = new ConcurrentHashMap<>();

    /**
     * The partition's slot, written by its writer ({@link #NONE}, {@link #STAMPING} or a batch's
     * stamp); public so that a test can play a writer whose journal write stalls.
     */
    public AtomicLong slot(String entityId) {
        return partitions.computeIfAbsent(entityId, id -> new AtomicLong(NONE));
    }

    /** The writer stopped: a later incarnation of the partition has a slot of its own. */
    void stopped(String entityId, AtomicLong slot) {
        slot.set(NONE);
        partitions.remove(entityId, slot);
    }

    /**
     * Whether every change of the partition stamped before {@code micros} (epoch microseconds) is
     * in the journal, as far as this node knows: its batch in flight, if any, is stamped later.
     * Asked after the caller has seen the clock pass {@code micros}: a writer marks itself
     * {@link #STAMPING} before it reads the clock, so one not yet marked stamps later.
     */
    public boolean journaledBefore(PartitionId partition, long micros) {
        AtomicLong slot = partitions.get(partition.entityId());
        return slot == null || slot.get() >= micros;
    }
}
