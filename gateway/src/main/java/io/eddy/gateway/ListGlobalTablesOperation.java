package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListGlobalTables (version 2017.11.29): the list is empty, in every region, since no such global
 * table exists ({@link LegacyGlobalTables}); version 2019.11.21 ones are not listed, as in DynamoDB.
 */
final class ListGlobalTablesOperation implements Operation {

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        c.tableName("exclusiveStartGlobalTableName", request.string("ExclusiveStartGlobalTableName"));
        c.atLeast("limit", request.intValue("Limit"), 1);
        request.string("RegionName");
        c.throwIfAny();
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("GlobalTables");
            g.writeEndArray();
        }));
    }
}
