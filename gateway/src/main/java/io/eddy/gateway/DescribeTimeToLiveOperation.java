package io.eddy.gateway;

import io.eddy.model.TimeToLive;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeTimeToLive: ENABLED with the attribute, or DISABLED. */
final class DescribeTimeToLiveOperation implements Operation {

    private final NodeContext node;

    DescribeTimeToLiveOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = Constraints.requiredTableName(request);
        TimeToLive ttl = node.tableForControl(tableName).options().timeToLive();
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeObjectFieldStart("TimeToLiveDescription");
            g.writeStringField("TimeToLiveStatus", ttl.enabled() ? "ENABLED" : "DISABLED");
            if (ttl.enabled()) g.writeStringField("AttributeName", ttl.attributeName());
            g.writeEndObject();
        }));
    }
}
