package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.persistence.ItemStore;
import io.eddy.streams.ChangeLog;
import io.eddy.streams.GlobalTableReplication;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node tells this one what the global table's replicas share, as
 * it knows them: each replica's entry (every region, this one included, with its status), the
 * replicas removed, the TTL setting and the global indexes. It does so after each change (a
 * replica seeded, made ACTIVE or deleted; UpdateTimeToLive; a global index created or deleted)
 * and again every {@code announce-interval}, so a region that missed a change learns it later.
 * This node takes each part where its version is newer than what it knows
 * ({@link ReplicaMembers#merged}, {@link ReplicaIndexes#merged}). The region that created this replica turns it ACTIVE
 * here by naming it ACTIVE.
 */
final class UpdateReplicasOperation implements Operation {

    private final NodeContext node;
    private final ReplicaRegions regions;
    private final ItemStore store;
    private final ChangeLog changes;

    UpdateReplicasOperation(NodeContext node, ReplicaRegions regions, ItemStore store, ChangeLog changes) {
        this.node = node;
        this.regions = regions;
        this.store = store;
        this.changes = changes;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        ReplicaMembers.checkReachable(request, regions);
        TableMetadata table = ReplicaMembers.replicaOf(node, request.string("TableName"), source);
        boolean activation = ReplicaMembers.statusOf(request, regions.localRegion()) == ReplicaStatus.ACTIVE
                && ReplicaMembers.seededFrom(table, source);
        if (activation && table.status() == TableMetadata.TableStatus.CREATING) {
            // Still CREATING, so no client has written: the feeds start here, before the first write can come.
            GlobalTableReplication.startCheckpoints(store, changes, table.withOptions(
                    ReplicaMembers.merged(request, regions.localRegion(), source, table.options())));
        }
        return node.shards().updateTable(table.name(), current -> {
            if (!current.id().equals(table.id())) return current;
            TableMetadata updated = viewed(current, request, source);
            return activation && current.status() == TableMetadata.TableStatus.CREATING
                    ? updated.withStatus(TableMetadata.TableStatus.ACTIVE) : updated;
        }).thenApply(updated -> Json.EMPTY_OBJECT);
    }

    /** The table with the request's view of the shared settings merged in. */
    private TableMetadata viewed(TableMetadata table, RequestBody request, String source) {
        return ReplicaIndexes.merged(request, table.withOptions(ReplicaMembers.merged(request, regions.localRegion(), source,
                table.options())));
    }
}
