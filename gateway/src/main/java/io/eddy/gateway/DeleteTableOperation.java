package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * DeleteTable: the table and its items go ({@link TableDeletion}). Of a global table, as in
 * DynamoDB, only this region's replica goes, and the other replicas stay ({@link GlobalTableLeaving}).
 * A replica still being created here (its seeding region gone, or given up on) is deleted here at
 * once: nothing else could remove it.
 */
final class DeleteTableOperation implements Operation {

    private final NodeContext node;
    private final TableDeletion deletion;
    private final GlobalTableLeaving leaving;

    DeleteTableOperation(NodeContext node, TableDeletion deletion, GlobalTableLeaving leaving) {
        this.node = node;
        this.deletion = deletion;
        this.leaving = leaving;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = node.catalogName(Constraints.requiredTableName(request));
        Optional<TableMetadata> global = node.shards().tables().find(tableName).filter(table -> !table.options().replicas().isEmpty());
        boolean unseededReplica = global.filter(table -> table.status() == TableMetadata.TableStatus.CREATING).isPresent();
        CompletionStage<TableMetadata> deleted;
        if (global.isPresent() && !unseededReplica) {
            deleted = leaving.leave(global.get());
        } else {
            if (!unseededReplica) node.refuseWhileCreating(tableName);
            deleted = deletion.delete(tableName, NodeContext::refuseWhileIndexesChange);
        }
        return deleted.thenApply(table -> TableDescriptions.deleted(table, node));
    }
}
