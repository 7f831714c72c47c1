package io.eddy.shards;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    void recovered(String entityId) {
        entityIds.add(entityId);
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
}
