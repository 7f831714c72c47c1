package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node, asked to delete its table of a global table (DeleteTable
 * there), has this one delete that region's replica, as UpdateTable ReplicaUpdates Delete naming
 * it would here: the replica is marked DELETING, and this node deletes its table there and tells
 * the others ({@link ReplicaUpdates#delete}). Answered {@code Deleting}: true once it is (also
 * when it was already, so a retried request succeeds), false when that region is not a replica
 * of the table here (given up, or the table gone).
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
        Optional<TableMetadata> table = node.shards().tables().find(tableName == null ? "" : tableName);
        Optional<Replica> replica = table.flatMap(t -> t.options().replica(source));
        if (replica.isEmpty()) return CompletableFuture.completedFuture(answer(false));
        if (replica.get().status() == ReplicaStatus.DELETING) return CompletableFuture.completedFuture(answer(true));
        return ReplicaUpdates.delete(node, regions, table.get(), source).thenApply(marked -> answer(true));
    }

    private static byte[] answer(boolean deleting) {
        return Json.object(g -> g.writeBooleanField("Deleting", deleting));
    }
}
