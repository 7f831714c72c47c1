package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node, asked to delete its table of a global table (DeleteTable
 * there), has this one delete that region's replica, as UpdateTable ReplicaUpdates Delete naming
 * it would here: the replica is marked DELETING, and this node deletes its table there and tells
 * the others ({@link ReplicaUpdates#delete}).
 */
final class RemoveReplicaOperation implements Operation {

    private final NodeContext node;
    private final ReplicaRegions regions;

    RemoveReplicaOperation(NodeContext node, ReplicaRegions regions) {
        this.node = node;
        this.regions = regions;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        String tableName = request.string("TableName");
        return ReplicaUpdates.delete(node, regions, ReplicaMembers.replicaOf(node, tableName == null ? "" : tableName, source), source)
                .thenApply(marked -> Json.EMPTY_OBJECT);
    }
}
