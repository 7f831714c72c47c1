package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.TableStatus;
import io.eddy.model.TimeToLive;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeTimeToLive: ENABLED with the attribute, or DISABLED; refused while the table is created or deleted. */
final class DescribeTimeToLiveOperation implements Operation {

    private final NodeContext node;

    DescribeTimeToLiveOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = Constraints.requiredTableName(request);
        TableMetadata table = node.tableForControl(tableName);
        // DynamoDB's answer while a table is created or deleted (measured), where DescribeTable answers.
        if (table.status() == TableStatus.CREATING
                || table.status() == TableStatus.DELETING) {
            throw DynamoException.validation("Cannot describe time to live while table is in " + table.status()
                    + " state: Current table state is " + table.status());
        }
        TimeToLive ttl = table.options().timeToLive();
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeObjectFieldStart("TimeToLiveDescription");
            g.writeStringField("TimeToLiveStatus", ttl.enabled() ? "ENABLED" : "DISABLED");
            if (ttl.enabled()) g.writeStringField("AttributeName", ttl.attributeName());
            g.writeEndObject();
        }));
    }
}
