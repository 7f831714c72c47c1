package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * UpdateTableReplicaAutoScaling, checked as DynamoDB checks it (its messages, its order): the
 * input's shape; the table, a global one; at least one change, and one per region named, no region
 * twice; the regions and global indexes named, the table's. Eddy's global tables are on demand
 * ({@link ReplicaAutoScaling}), so, as DynamoDB answers for such a table, auto scaling can only be
 * disabled (which changes nothing) and any other setting is refused.
 */
final class UpdateTableReplicaAutoScalingOperation implements Operation {

    /** One AutoScalingSettingsUpdate of the request, and the name DynamoDB's refusal gives that kind of setting. */
    private record Setting(RequestBody update, String parameter) {}

    private final NodeContext node;

    UpdateTableReplicaAutoScalingOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String tableName = request.string("TableName");
        c.validTableName("tableName", tableName);
        List<Setting> settings = new ArrayList<>();
        Set<String> indexNames = new TreeSet<>();
        setting(c, settings, request, "ProvisionedWriteCapacityAutoScalingUpdate", "provisionedWriteCapacityAutoScalingUpdate",
                "GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate");
        indexUpdates(c, settings, indexNames, request.structList("GlobalSecondaryIndexUpdates", "GlobalSecondaryIndexAutoScalingUpdate"), "globalSecondaryIndexUpdates",
                "ProvisionedWriteCapacityAutoScalingUpdate", "ProvisionedWriteCapacityAutoScalingSettingsUpdate");
        List<RequestBody> replicas = request.structList("ReplicaUpdates", "ReplicaAutoScalingUpdate");
        c.lengthAtLeast("replicaUpdates", replicas, 1);
        List<String> regions = new ArrayList<>();
        List<String> regionsWithoutChange = new ArrayList<>();
        for (int i = 0; replicas != null && i < replicas.size(); i++) {
            RequestBody replica = replicas.get(i);
            String path = "replicaUpdates." + (i + 1) + ".member";
            String region = replica.string("RegionName");
            c.notNull(path + ".regionName", region);
            int before = settings.size();
            List<RequestBody> indexes = replica.structList("ReplicaGlobalSecondaryIndexUpdates", "ReplicaGlobalSecondaryIndexAutoScalingUpdate");
            setting(c, settings, replica, "ReplicaProvisionedReadCapacityAutoScalingUpdate",
                    path + ".replicaProvisionedReadCapacityAutoScalingUpdate", "ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate");
            indexUpdates(c, settings, indexNames, indexes, path + ".replicaGlobalSecondaryIndexUpdates",
                    "ProvisionedReadCapacityAutoScalingUpdate", "ProvisionedReadCapacityAutoScalingSettingsUpdate");
            if (region != null) {
                regions.add(region);
                if (settings.size() == before && indexes == null) regionsWithoutChange.add(region);
            }
        }
        c.throwIfAny();

        TableMetadata table = ReplicaAutoScaling.globalTable(node, tableName);
        String prefix = "Failed to update settings for global table with name: \u2018" + table.name() + "\u2019";
        if (settings.isEmpty() && regions.isEmpty() && request.structList("GlobalSecondaryIndexUpdates", "GlobalSecondaryIndexAutoScalingUpdate") == null) {
            throw DynamoException.validation(prefix + " because at least one update parameter must be specified.");
        }
        if (!regionsWithoutChange.isEmpty()) {
            throw DynamoException.validation(prefix + " because at least one update parameter must be specified for region: \u2018"
                    + regionsWithoutChange.get(0) + "\u2019.");
        }
        Set<String> repeated = new TreeSet<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String region : regions) if (!seen.add(region)) repeated.add(region);
        if (!repeated.isEmpty()) {
            throw DynamoException.validation(prefix + " because the regions: \u2018" + repeated + "\u2019 were specified more than once.");
        }
        List<String> members = ReplicaAutoScaling.regions(table, node.region());
        Set<String> unknownRegions = new LinkedHashSet<>(regions);
        unknownRegions.removeAll(members);
        if (!unknownRegions.isEmpty()) {
            throw DynamoException.resourceNotFound(prefix + " because a replica does not exist in regions: \u2018" + unknownRegions + "\u2019.");
        }
        Set<String> unknownIndexes = new TreeSet<>(indexNames);
        // As DescribeTableReplicaAutoScaling lists them: the ACTIVE ones.
        for (SecondaryIndex index : table.options().globalIndexes()) if (index.active()) unknownIndexes.remove(index.name());
        if (!unknownIndexes.isEmpty()) {
            throw DynamoException.resourceNotFound(prefix + " because the global secondary indexes with names: \u2018" + unknownIndexes
                    + "\u2019 do not exist.");
        }
        List<String> toSet = new ArrayList<>();
        for (Setting setting : settings) {
            if (!Boolean.TRUE.equals(setting.update().bool("AutoScalingDisabled"))) {
                if (!toSet.contains(setting.parameter())) toSet.add(setting.parameter());
                continue;
            }
            List<String> given = new ArrayList<>();
            for (String member : List.of("MaximumUnits", "ScalingPolicyUpdate", "MinimumUnits")) {
                if (setting.update().node(member) != null) given.add("'" + member + "'");
            }
            if (!given.isEmpty()) {
                throw DynamoException.validation("Failed to update settings for global table with name \u2018" + table.name()
                        + "\u2019: Parameters " + String.join(", ", given) + " must be left blank when disabling auto scaling.");
            }
        }
        if (!toSet.isEmpty()) {
            List<String> upper = members.stream().map(region -> "'" + region.toUpperCase(Locale.ROOT) + "'").toList();
            throw DynamoException.validation("Failed to update global table with name \u2018" + table.name() + "\u2018. Replicas "
                    + String.join(", ", upper) + " BillingMode is PayPerRequest. You must convert table's BillingMode to PROVISIONED "
                    + "to set parameters: " + String.join(", ", toSet.stream().map(p -> "'" + p + "'").toList()) + ".");
        }
        // Only disabling, on tables whose auto scaling is off: nothing to change.
        return CompletableFuture.completedFuture(ReplicaAutoScaling.description(table, node.region()));
    }

    /** The AutoScalingSettingsUpdate {@code field} of {@code parent}, when present: checked, and kept. */
    private static void setting(Constraints c, List<Setting> settings, RequestBody parent, String field, String path, String parameter) {
        RequestBody update = parent.struct(field, "AutoScalingSettingsUpdate");
        if (update == null) return;
        ReplicaAutoScaling.checkSettingsUpdate(c, update, path);
        settings.add(new Setting(update, parameter));
    }

    /** A list of global index updates (at least one), each naming its index, with its setting {@code field}. */
    private static void indexUpdates(Constraints c, List<Setting> settings, Set<String> indexNames, List<RequestBody> indexes,
                                     String path, String field, String parameter) {
        c.lengthAtLeast(path, indexes, 1);
        for (int i = 0; indexes != null && i < indexes.size(); i++) {
            String member = path + "." + (i + 1) + ".member";
            String indexName = indexes.get(i).string("IndexName");
            c.notNull(member + ".indexName", indexName);
            c.tableName(member + ".indexName", indexName);
            if (indexName != null) indexNames.add(indexName);
            setting(c, settings, indexes.get(i), field, member + "." + Constraints.memberPath(field), parameter);
        }
    }
}
