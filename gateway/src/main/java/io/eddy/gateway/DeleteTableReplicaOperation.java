package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node deletes the global table's replica here (UpdateTable's
 * ReplicaUpdates Delete there, naming this region): the table and its items go, as DeleteTable
 * takes them. A replica already gone is answered as deleted.
 */
final class DeleteTableReplicaOperation implements Operation {

    private final NodeContext node;
    private final ReplicaRegions regions;

    DeleteTableReplicaOperation(NodeContext node, ReplicaRegions regions) {
        this.node = node;
        this.regions = regions;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        String tableName = request.string("TableName");
        if (node.shards().tables().find(tableName == null ? "" : tableName).isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(Json.EMPTY_OBJECT);
        }
        TableMetadata table = ReplicaMembers.replicaOf(node, tableName, source);
        return node.shards().deleteTable(table.name()).thenApply(deleted -> Json.EMPTY_OBJECT);
    }
}
