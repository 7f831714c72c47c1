package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node deletes the global table's replica here (UpdateTable's
 * ReplicaUpdates Delete there, naming this region, or this region's DeleteTable that asked it to):
 * the table and its items go, as DeleteTable takes them ({@link TableDeletion}). A replica
 * already gone is answered as deleted.
 */
final class DeleteTableReplicaOperation implements Operation {

    private final NodeContext node;
    private final ReplicaRegions regions;
    private final TableDeletion deletion;

    DeleteTableReplicaOperation(NodeContext node, ReplicaRegions regions, TableDeletion deletion) {
        this.node = node;
        this.regions = regions;
        this.deletion = deletion;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        String tableName = request.string("TableName");
        if (node.shards().tables().find(tableName == null ? "" : tableName).isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(Json.EMPTY_OBJECT);
        }
        TableMetadata table = ReplicaMembers.replicaOf(node, tableName, source);
        return deletion.delete(table.name()).thenApply(deleted -> Json.EMPTY_OBJECT);
    }
}
