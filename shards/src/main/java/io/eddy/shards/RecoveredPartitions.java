package io.eddy.shards;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The partitions hosted here whose item store is complete: their writer has replayed the
 * journal's un-applied tail, and every later write is applied to the store before it is
 * acknowledged. Reads of such a partition go straight to the store, skipping the actor round
 * trip (sharding region, shard, entity, reply); the others go through the entity, which holds them
 * until recovery ends. A partition leaves the set when its entity stops (passivation or a
 * hand-off to another node, after which this node's store no longer sees its writes).
 */
public final class RecoveredPartitions {

    private final Set<String> entityIds = ConcurrentHashMap.newKeySet();
    private final LongAdder recoveries = new LongAdder();
    private final LongAdder replayedEvents = new LongAdder();

    /** The partition recovered, replaying {@code replayedEvents} journal events (its un-applied tail). */
    void recovered(String entityId, long replayedEvents) {
        entityIds.add(entityId);
        recoveries.increment();
        this.replayedEvents.add(replayedEvents);
    }

    void stopped(String entityId) {
        entityIds.remove(entityId);
    }

    boolean isRecovered(String entityId) {
        return entityIds.contains(entityId);
    }

    /** How many partitions are recovered here now: the partitions this node is serving. */
    public int count() {
        return entityIds.size();
    }

    /** Partition recoveries since the node started (a partition recovers again after passivation). */
    public long recoveries() {
        return recoveries.sum();
    }

    /**
     * Journal events replayed by those recoveries. Partitions recover from the item store's applied
     * state, so after a clean stop this stays 0 and after a crash it counts only the un-applied tails.
     */
    public long replayedEvents() {
        return replayedEvents.sum();
    }
}
