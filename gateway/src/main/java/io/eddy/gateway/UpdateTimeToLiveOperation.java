package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TimeToLive;
import java.util.concurrent.CompletionStage;

/** UpdateTimeToLive: enables TTL on an attribute, or disables it; the catalog makes it durable. */
final class UpdateTimeToLiveOperation implements Operation {

    private final NodeContext node;

    UpdateTimeToLiveOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        RequestBody spec = request.struct("TimeToLiveSpecification");
        Boolean enabled = spec == null ? null : spec.bool("Enabled");
        String attribute = spec == null ? null : spec.string("AttributeName");
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.notNull("timeToLiveSpecification", spec);
        if (spec != null) {
            c.notNull("timeToLiveSpecification.enabled", enabled);
            c.notNull("timeToLiveSpecification.attributeName", attribute);
            c.stringLengthAtLeast("timeToLiveSpecification.attributeName", attribute, 1);
            c.stringLengthAtMost("timeToLiveSpecification.attributeName", attribute, 255);
        }
        c.throwIfAny();

        node.tableForControl(tableName);
        return node.shards().updateTable(tableName, current -> apply(current, enabled, attribute))
                .thenApply(updated -> Json.object(g -> {
                    g.writeObjectFieldStart("TimeToLiveSpecification");
                    g.writeBooleanField("Enabled", enabled);
                    g.writeStringField("AttributeName", attribute);
                    g.writeEndObject();
                }));
    }

    /** Runs inside the catalog against the current table. */
    private static TableMetadata apply(TableMetadata table, boolean enable, String attribute) {
        TimeToLive current = table.options().timeToLive();
        if (current.enabled() && !current.attributeName().equals(attribute)) {
            throw DynamoException.validation("TimeToLive is active on a different AttributeName: current AttributeName is "
                    + current.attributeName());
        }
        if (enable == current.enabled()) {
            throw DynamoException.validation(enable ? "TimeToLive is already enabled" : "TimeToLive is already disabled");
        }
        return table.withOptions(table.options().withTimeToLive(enable ? new TimeToLive(attribute) : TimeToLive.DISABLED));
    }
}
