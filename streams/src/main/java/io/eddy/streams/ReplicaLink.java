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
     * holds them all: it turns ACTIVE. It is sent {@code view}, the table with that replica's
     * entry ACTIVE; the others learn it from {@link #announce} once the entry is ACTIVE here.
     */
    CompletionStage<Void> activate(String region, TableMetadata view);

    /** Deletes the table's replica in {@code region} (answered as done if it is gone). */
    CompletionStage<Void> remove(String region, TableMetadata table);

    /**
     * Tells every other replica what the table's replicas share, as this node knows it (each
     * replica's entry, the removed ones, the TTL setting, with their versions); fails naming
     * those not reached.
     */
    CompletionStage<Void> announce(TableMetadata table);
}
