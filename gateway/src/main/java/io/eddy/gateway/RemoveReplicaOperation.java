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
 * the others ({@link ReplicaUpdates#delete}). The {@link Answer} says what becomes of it.
 */
final class RemoveReplicaOperation implements Operation {

    /**
     * DELETING: this node deletes that replica (also when it already was, so a retried request
     * succeeds); FORGOTTEN: that region is not a replica of the table here (given up, or the table
     * gone); LEAVING: the table here is itself being deleted, so this node deletes nothing.
     */
    enum Answer { DELETING, FORGOTTEN, LEAVING }

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
        if (replica.isEmpty()) return answer(Answer.FORGOTTEN);
        // Its own GlobalTableReplication skips a table being deleted: it would never delete that replica.
        if (table.get().status() == TableMetadata.TableStatus.DELETING) return answer(Answer.LEAVING);
        if (replica.get().status() == ReplicaStatus.DELETING) return answer(Answer.DELETING);
        return ReplicaUpdates.delete(node, regions, table.get(), source).thenCompose(marked -> answer(Answer.DELETING));
    }

    private static CompletionStage<byte[]> answer(Answer answer) {
        return CompletableFuture.completedFuture(Json.object(g -> g.writeStringField("Answer", answer.name())));
    }
}
