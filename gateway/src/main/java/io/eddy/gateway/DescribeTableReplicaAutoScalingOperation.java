package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeTableReplicaAutoScaling: a global table's replicas, each with auto scaling disabled ({@link ReplicaAutoScaling}). */
final class DescribeTableReplicaAutoScalingOperation implements Operation {

    private final NodeContext node;

    DescribeTableReplicaAutoScalingOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = Constraints.requiredTableName(request);
        return CompletableFuture.completedFuture(ReplicaAutoScaling.description(
                ReplicaAutoScaling.globalTable(node, tableName), node.region()));
    }
}
