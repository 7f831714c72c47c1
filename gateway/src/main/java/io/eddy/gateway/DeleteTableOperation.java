package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/**
 * DeleteTable: the catalog forgets the table and its items are dropped from the item store; a
 * table with deletion protection on is refused (by the catalog, which sees the latest setting).
 */
final class DeleteTableOperation implements Operation {

    private final NodeContext node;

    DeleteTableOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = Constraints.requiredTableName(request);
        return node.shards().deleteTable(node.changeableName(tableName))
                .thenApply(deleted -> TableDescriptions.wrapped("TableDescription", deleted, node));
    }
}
