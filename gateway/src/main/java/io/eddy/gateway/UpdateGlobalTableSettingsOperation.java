package io.eddy.gateway;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * UpdateGlobalTableSettings (version 2017.11.29): its input checked as DynamoDB's model
 * constrains it, then no such global table exists ({@link LegacyGlobalTables}). Nothing is changed.
 */
final class UpdateGlobalTableSettingsOperation implements Operation {

    private static final List<String> BILLING_MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");
    private static final List<String> TABLE_CLASSES = List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS");

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String name = LegacyGlobalTables.requiredName(request, c);
        c.oneOf("globalTableBillingMode", request.string("GlobalTableBillingMode"), BILLING_MODES);
        c.atLeast("globalTableProvisionedWriteCapacityUnits", request.longValue("GlobalTableProvisionedWriteCapacityUnits"), 1);
        autoScaling(c, request, "GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate", "");
        List<RequestBody> indexes = request.structList("GlobalTableGlobalSecondaryIndexSettingsUpdate", "GlobalTableGlobalSecondaryIndexSettingsUpdate");
        indexSettings(c, "globalTableGlobalSecondaryIndexSettingsUpdate", indexes, "ProvisionedWriteCapacityUnits",
                "ProvisionedWriteCapacityAutoScalingSettingsUpdate");
        List<RequestBody> replicas = request.structList("ReplicaSettingsUpdate", "ReplicaSettingsUpdate");
        c.lengthAtLeast("replicaSettingsUpdate", replicas, 1);
        c.lengthAtMost("replicaSettingsUpdate", replicas, 50);
        for (int i = 0; replicas != null && i < replicas.size(); i++) {
            RequestBody replica = replicas.get(i);
            String member = "replicaSettingsUpdate." + (i + 1) + ".member.";
            c.notNull(member + "regionName", replica.string("RegionName"));
            c.atLeast(member + "replicaProvisionedReadCapacityUnits", replica.longValue("ReplicaProvisionedReadCapacityUnits"), 1);
            c.oneOf(member + "replicaTableClass", replica.string("ReplicaTableClass"), TABLE_CLASSES);
            autoScaling(c, replica, "ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate", member);
            indexSettings(c, member + "replicaGlobalSecondaryIndexSettingsUpdate",
                    replica.structList("ReplicaGlobalSecondaryIndexSettingsUpdate", "ReplicaGlobalSecondaryIndexSettingsUpdate"), "ProvisionedReadCapacityUnits",
                    "ProvisionedReadCapacityAutoScalingSettingsUpdate");
        }
        c.throwIfAny();
        throw LegacyGlobalTables.settingsNotFound(name);
    }

    /** A list of index settings: 1 to 20 of them, each naming its index, with {@code units} at least 1 and its auto scaling. */
    private static void indexSettings(Constraints c, String path, List<RequestBody> indexes, String units, String autoScaling) {
        c.lengthAtLeast(path, indexes, 1);
        c.lengthAtMost(path, indexes, 20);
        for (int i = 0; indexes != null && i < indexes.size(); i++) {
            RequestBody index = indexes.get(i);
            String member = path + "." + (i + 1) + ".member.";
            String indexName = index.string("IndexName");
            c.notNull(member + "indexName", indexName);
            c.tableName(member + "indexName", indexName);
            String unitsPath = member + Constraints.memberPath(units);
            c.atLeast(unitsPath, index.longValue(units), 1);
            autoScaling(c, index, autoScaling, member);
        }
    }

    /** The AutoScalingSettingsUpdate {@code field} of {@code parent} (whose path is {@code prefix}), when present. */
    private static void autoScaling(Constraints c, RequestBody parent, String field, String prefix) {
        RequestBody update = parent.struct(field, "AutoScalingSettingsUpdate");
        if (update != null) {
            ReplicaAutoScaling.checkSettingsUpdate(c, update, prefix + Constraints.memberPath(field));
        }
    }
}
