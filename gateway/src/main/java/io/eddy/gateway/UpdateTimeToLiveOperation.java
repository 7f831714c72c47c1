package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TimeToLive;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * UpdateTimeToLive: enables TTL on an attribute, or disables it; the catalog makes it durable.
 * As in DynamoDB, a table's TTL changes at most once per {@code eddy.ttl.update-interval} (an
 * hour, DynamoDB's; tests may set less). A global table's replicas share it: the other regions
 * take the change when this node announces it ({@code GlobalTableReplication}).
 */
final class UpdateTimeToLiveOperation implements Operation {

    private final NodeContext node;
    private final long updateIntervalMillis;

    UpdateTimeToLiveOperation(NodeContext node, Duration updateInterval) {
        this.node = node;
        this.updateIntervalMillis = updateInterval.toMillis();
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

        TableMetadata table = node.tableForControl(tableName);
        if (table.status() == TableMetadata.TableStatus.CREATING) {
            // UpdateTimeToLive's own words for it (measured), not UpdateTable's.
            throw new DynamoException(io.eddy.model.ErrorCode.ResourceInUseException,
                    "Attempt to change a resource which is still in use: Table " + table.name() + " is being created");
        }
        String name = node.changeableName(tableName);
        long now = System.currentTimeMillis();
        return node.shards().updateTable(name, current -> {
                    NodeContext.refuseWhileDeleting(current);
                    return apply(current, enabled, attribute, now);
                })
                .thenApply(updated -> Json.object(g -> {
                    g.writeObjectFieldStart("TimeToLiveSpecification");
                    g.writeBooleanField("Enabled", enabled);
                    g.writeStringField("AttributeName", attribute);
                    g.writeEndObject();
                }));
    }

    /** Runs inside the catalog against the current table. */
    private TableMetadata apply(TableMetadata table, boolean enable, String attribute, long now) {
        TimeToLive current = table.options().timeToLive();
        if (current.enabled() && !current.attributeName().equals(attribute)) {
            throw DynamoException.validation("TimeToLive is active on a different AttributeName: current AttributeName is "
                    + current.attributeName());
        }
        if (enable == current.enabled()) {
            throw DynamoException.validation(enable ? "TimeToLive is already enabled" : "TimeToLive is already disabled");
        }
        Long last = current.lastUpdateMillis();
        if (last != null && now - last < updateIntervalMillis) {
            throw DynamoException.validation("Time to live has been modified multiple times within a fixed interval");
        }
        // A global table's replicas share the setting: the change gets a version the others take it by.
        SharedSettingsVersion version = current.version().next(node.region());
        return table.withOptions(table.options().withTimeToLive(new TimeToLive(enable ? attribute : null, now, version)));
    }
}
