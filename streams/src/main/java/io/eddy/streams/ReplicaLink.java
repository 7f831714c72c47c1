package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How a node reaches the replicas of its global tables in other regions (other Eddy nodes): the
 * gateway implements it over their HTTP endpoints.
 */
public interface ReplicaLink {

    /** One change to an item, as its replicas apply it: the key, the new image (empty: deleted), and its version. */
    record ReplicatedChange(Map<String, AttributeValue> key, Optional<Map<String, AttributeValue>> item, ItemVersion version) {}

    /** Applies the changes to the table's replica in {@code region}; completes once they are durable there. */
    CompletionStage<Void> replicate(String region, TableMetadata table, List<ReplicatedChange> changes);

    /**
     * Tells the replica in {@code region}, which this node seeded with the table's items, that it
     * holds them all: it turns ACTIVE. Every other replica learns the new membership too.
     */
    CompletionStage<Void> activate(String region, TableMetadata table);

    /** Deletes the table's replica in {@code region} (answered as done if it is gone), then tells the other replicas. */
    CompletionStage<Void> remove(String region, TableMetadata table);
}
