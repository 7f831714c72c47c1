package io.eddy.shards;

import java.util.UUID;

/**
 * One partition of one table incarnation: the table's id and the index of the hash range it owns.
 * The entity id is also the item store's partition-meta id, and (prefixed) the journal's
 * persistence id.
 */
public record PartitionId(UUID tableId, int index) {

    /** What every partition's persistence id starts with. */
    public static final String PERSISTENCE_PREFIX = "partition-";

    public String entityId() {
        return tableId + "-" + index;
    }

    /**
     * The id of the counters of one index's share of this partition (its entries' count and size,
     * and for a global index the partition's change log position it has applied).
     */
    public String indexMetaId(java.util.UUID indexId) {
        return entityId() + "/" + indexId;
    }

    public String persistenceId() {
        return PERSISTENCE_PREFIX + entityId();
    }

    public static PartitionId parseEntityId(String entityId) {
        int dash = entityId.lastIndexOf('-');
        return new PartitionId(UUID.fromString(entityId.substring(0, dash)), Integer.parseInt(entityId.substring(dash + 1)));
    }

    /** The entity id behind a partition's persistence id, or null for other persistence ids. */
    public static String entityIdOfPersistenceId(String persistenceId) {
        return persistenceId.startsWith(PERSISTENCE_PREFIX) ? persistenceId.substring(PERSISTENCE_PREFIX.length()) : null;
    }
}
