package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.persistence.ItemStore;
import io.eddy.streams.ChangeLog;
import io.eddy.streams.GlobalTableReplication;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node tells this one who the global table's replicas now are
 * (every region, this one included, with its status): after it finished seeding a new replica, or
 * deleted one. The replica it names ACTIVE here turns this table ACTIVE if it was being created.
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
        ReplicaStatus own = ReplicaMembers.statusOf(request, regions.localRegion());
        if (own == ReplicaStatus.ACTIVE && table.status() == TableMetadata.TableStatus.CREATING) {
            // Still CREATING, so no client has written: the feeds start here, before the first write can come.
            GlobalTableReplication.startCheckpoints(store, changes, table.withOptions(table.options().withReplicas(
                    ReplicaMembers.others(request, regions.localRegion(), table.options().replicas()))));
        }
        return node.shards().updateTable(table.name(), current -> {
            if (!current.id().equals(table.id())) return current;
            TableMetadata updated = current.withOptions(current.options().withReplicas(
                    ReplicaMembers.others(request, regions.localRegion(), current.options().replicas())));
            return own == ReplicaStatus.ACTIVE && current.status() == TableMetadata.TableStatus.CREATING
                    ? updated.withStatus(TableMetadata.TableStatus.ACTIVE) : updated;
        }).thenApply(updated -> Json.EMPTY_OBJECT);
    }
}
