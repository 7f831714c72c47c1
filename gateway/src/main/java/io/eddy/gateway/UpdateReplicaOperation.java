package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node passes on an UpdateTable ReplicaUpdates Update naming this
 * region; this node reads the action again and makes it on its replica through its own
 * UpdateTable ({@link ReplicaSettingsUpdate#makeHere}), so the checks are those of this replica.
 */
final class UpdateReplicaOperation implements Operation {

    private final NodeContext node;
    private final ReplicaRegions regions;
    private final Operation updateTable;

    UpdateReplicaOperation(NodeContext node, ReplicaRegions regions, Operation updateTable) {
        this.node = node;
        this.regions = regions;
        this.updateTable = updateTable;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        String tableName = request.string("TableName");
        ReplicaMembers.replicaOf(node, tableName == null ? "" : tableName, source);
        RequestBody action = request.struct("Update");
        if (action == null) throw io.eddy.model.DynamoException.validation("Update is required");
        Constraints c = new Constraints();
        ReplicaSettingsUpdate settings = ReplicaSettingsUpdate.read(action, "update", c);
        c.throwIfAny();
        settings.requireChange();
        return settings.makeHere(node, tableName, updateTable::handle).thenApply(made -> Json.EMPTY_OBJECT);
    }
}
