package io.eddy.gateway;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * CreateGlobalTable (global tables version 2017.11.29): refused once its input is valid, as
 * DynamoDB refuses it in every region ({@link LegacyGlobalTables}). Nothing is created or changed.
 */
final class CreateGlobalTableOperation implements Operation {

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        LegacyGlobalTables.requiredName(request, c);
        List<RequestBody> group = request.structList("ReplicationGroup", "Replica");
        c.notNull("replicationGroup", group);
        if (group != null) {
            for (RequestBody replica : group) replica.string("RegionName");
        }
        c.throwIfAny();
        throw LegacyGlobalTables.notSupported();
    }
}
