package io.eddy.shards;

import java.util.Optional;
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

    /**
     * The id of the checkpoint of this partition's replication to the table's replica in
     * {@code region} (a global table): the next change of the partition's log to send there.
     */
    public String replicaMetaId(String region) {
        return entityId() + "/replica/" + region;
    }

    /**
     * The id of the checkpoint of this partition's delivery to the Kinesis data stream
     * {@code streamArn} (a Kinesis streaming destination): the next change of the partition's log to put.
     */
    public String kinesisMetaId(String streamArn) {
        return entityId() + "/kinesis/" + streamArn;
    }

    public String persistenceId() {
        return PERSISTENCE_PREFIX + entityId();
    }

    public static PartitionId parseEntityId(String entityId) {
        int dash = entityId.lastIndexOf('-');
        return new PartitionId(UUID.fromString(entityId.substring(0, dash)), Integer.parseInt(entityId.substring(dash + 1)));
    }

    /**
     * The table of an item-store meta id ({@link #entityId}, {@link #indexMetaId}, {@link #replicaMetaId} or
     * {@link #kinesisMetaId}); empty for an
     * id of any other form.
     */
    public static Optional<UUID> tableIdOfMetaId(String metaId) {
        int length = 36; // a UUID's text
        if (metaId.length() <= length || metaId.charAt(length) != '-') return Optional.empty();
        try {
            return Optional.of(UUID.fromString(metaId.substring(0, length)));
        } catch (IllegalArgumentException notATableId) {
            return Optional.empty();
        }
    }

    /** The entity id behind a partition's persistence id, or null for other persistence ids. */
    public static String entityIdOfPersistenceId(String persistenceId) {
        return persistenceId.startsWith(PERSISTENCE_PREFIX) ? persistenceId.substring(PERSISTENCE_PREFIX.length()) : null;
    }
}
