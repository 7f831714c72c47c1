package io.eddy.gateway;

import io.eddy.model.DynamoException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * UpdateGlobalTable (version 2017.11.29): adding a replica is refused as CreateGlobalTable is,
 * before the global table is looked for; removing one finds no such global table
 * ({@link LegacyGlobalTables}). Nothing is changed.
 */
final class UpdateGlobalTableOperation implements Operation {

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String name = LegacyGlobalTables.requiredName(request, c);
        List<RequestBody> updates = request.structList("ReplicaUpdates", "ReplicaUpdate");
        c.notNull("replicaUpdates", updates);
        boolean creates = false;
        boolean actionless = false;
        for (int i = 0; updates != null && i < updates.size(); i++) {
            RequestBody create = updates.get(i).struct("Create", "CreateReplicaAction");
            RequestBody delete = updates.get(i).struct("Delete", "DeleteReplicaAction");
            String member = "replicaUpdates." + (i + 1) + ".member.";
            if (create != null) c.notNull(member + "create.regionName", create.string("RegionName"));
            if (delete != null) c.notNull(member + "delete.regionName", delete.string("RegionName"));
            creates |= create != null;
            actionless |= create == null && delete == null;
        }
        c.throwIfAny();
        // DynamoDB's answer to an empty list, without a detail; Eddy's to an update naming no action.
        if (updates.isEmpty()) throw DynamoException.validation("One or more parameter values were invalid");
        if (creates) throw LegacyGlobalTables.notSupported();
        if (actionless) throw DynamoException.invalidParameter("Each ReplicaUpdate needs a Create or a Delete");
        throw LegacyGlobalTables.notFound(name);
    }
}
