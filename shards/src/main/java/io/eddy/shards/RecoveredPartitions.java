package io.eddy.shards;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The partitions hosted here whose item store is complete: their writer has replayed the
 * journal's un-applied tail, and every later write is applied to the store before it is
 * acknowledged. Reads of such a partition go straight to the store, and its writes straight to
 * its entity, skipping the sharding region and shard; the others go through Cluster Sharding,
 * which starts the entity and holds them until recovery ends. A partition leaves the map as soon as
 * its entity is told to stop (passivation or a hand-off to another node, after which this node's
 * store no longer sees its writes), so from then on Cluster Sharding routes and buffers its
 * commands again.
 */
public final class RecoveredPartitions {

    private final Map<String, ActorRef<PartitionCommand>> entities = new ConcurrentHashMap<>();

    void recovered(String entityId, ActorRef<PartitionCommand> entity) {
        entities.put(entityId, entity);
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
}
