package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeTable: read from the node's catalog view. */
final class DescribeTableOperation implements Operation {

    private final NodeContext node;

    DescribeTableOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = Constraints.requiredTableName(request);
        return CompletableFuture.completedFuture(
                TableDescriptions.wrapped("Table", node.tableForControl(tableName), node));
    }
}
