package io.eddy.shards;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The partitions hosted here whose item store is complete: their writer has replayed the
 * journal's un-applied tail, and every later write is applied to the store before it is
 * acknowledged. Reads of such a partition go straight to the store, and its writes straight to
 * its entity, skipping the sharding region and shard; the others go through Cluster Sharding,
 * which starts the entity and holds them until recovery ends. A partition leaves the map as soon as
 * its entity is told to stop (a hand-off to another node, after which this node's store no longer
 * sees its writes, or the node's shutdown), so from then on Cluster Sharding routes and buffers its
 * commands again.
 */
public final class RecoveredPartitions {

    private final Map<String, ActorRef<PartitionCommand>> entities = new ConcurrentHashMap<>();
    private final LongAdder recoveries = new LongAdder();
    private final LongAdder replayedEvents = new LongAdder();

    /** The partition recovered, replaying {@code replayedEvents} journal events (its un-applied tail). */
    void recovered(String entityId, ActorRef<PartitionCommand> entity, long replayedEvents) {
        entities.put(entityId, entity);
        recoveries.increment();
        this.replayedEvents.add(replayedEvents);
    }

    /** Removes the entity, unless a later incarnation of the partition has taken its place. */
    void stopped(String entityId, ActorRef<PartitionCommand> entity) {
        entities.remove(entityId, entity);
    }

    boolean isRecovered(String entityId) {
        return entities.containsKey(entityId);
    }

    /** The running entity of a recovered partition, or null. */
    ActorRef<PartitionCommand> entity(String entityId) {
        return entities.get(entityId);
    }

    /** How many partitions are recovered here now: the partitions this node is serving. */
    public int count() {
        return entities.size();
    }

    /** Partition recoveries since the node started (a partition recovers again if it was stopped and is used again). */
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
