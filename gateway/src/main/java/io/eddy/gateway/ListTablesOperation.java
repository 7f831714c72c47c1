package io.eddy.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** ListTables: names in order, at most Limit (default and maximum 100) per page. */
final class ListTablesOperation implements Operation {

    static final int MAX_LIMIT = 100;

    private final NodeContext node;

    ListTablesOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String start = request.string("ExclusiveStartTableName");
        Long limit = request.intValue("Limit");
        Constraints c = new Constraints();
        c.tableName("exclusiveStartTableName", start);
        c.atLeast("limit", limit, 1);
        c.atMost("limit", limit, MAX_LIMIT);
        c.throwIfAny();

        int pageSize = limit == null ? MAX_LIMIT : limit.intValue();
        var tables = start == null ? node.shards().tables().all() : node.shards().tables().all().tailMap(start);
        List<String> names = new ArrayList<>(pageSize);
        boolean more = false;
        for (String name : tables.keySet()) {
            if (name.equals(start)) continue;
            if (names.size() == pageSize) {
                more = true;
                break;
            }
            names.add(name);
        }
        boolean hasMore = more;
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("TableNames");
            for (String name : names) g.writeString(name);
            g.writeEndArray();
            if (hasMore) g.writeStringField("LastEvaluatedTableName", names.get(names.size() - 1));
        }));
    }
}
