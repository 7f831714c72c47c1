package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What Describe- and UpdateTableReplicaAutoScaling share. DynamoDB keeps a global table's
 * provisioned capacity by Application Auto Scaling; Eddy's global tables are on demand (provisioned
 * billing is refused while a table has replicas), so, as DynamoDB reports an on-demand global
 * table, every replica and index has auto scaling disabled and no policies.
 */
final class ReplicaAutoScaling {

    private ReplicaAutoScaling() {}

    /** The version 2019.11.21 global table a request names; a regional or missing table is not one. */
    static TableMetadata globalTable(NodeContext node, String nameOrArn) {
        return node.find(nameOrArn).filter(table -> !table.options().replicas().isEmpty())
                .orElseThrow(() -> DynamoException.resourceNotFound("Global table with name: '"
                        + node.tableName(nameOrArn) + "' does not exist."));
    }

    /** Every replica's region, this node's included, in DynamoDB's order (by name). */
    static List<String> regions(TableMetadata table, String localRegion) {
        List<String> regions = new ArrayList<>(List.of(localRegion));
        for (TableOptions.Replica replica : table.options().replicas()) regions.add(replica.regionName());
        regions.sort(Comparator.naturalOrder());
        return regions;
    }

    /** The response's TableAutoScalingDescription: each replica (this region's too), by region name. */
    static byte[] description(TableMetadata table, String localRegion) {
        return Json.object(g -> {
            g.writeObjectFieldStart("TableAutoScalingDescription");
            g.writeStringField("TableName", table.name());
            g.writeStringField("TableStatus", table.status().name());
            g.writeArrayFieldStart("Replicas");
            for (String region : regions(table, localRegion)) {
                g.writeStartObject();
                g.writeStringField("RegionName", region);
                g.writeArrayFieldStart("GlobalSecondaryIndexes");
                for (SecondaryIndex index : table.options().globalIndexes()) {
                    if (!index.active()) continue;
                    g.writeStartObject();
                    g.writeStringField("IndexName", index.name());
                    g.writeStringField("IndexStatus", index.status().name());
                    writeDisabled(g, "ProvisionedReadCapacityAutoScalingSettings");
                    writeDisabled(g, "ProvisionedWriteCapacityAutoScalingSettings");
                    g.writeEndObject();
                }
                g.writeEndArray();
                writeDisabled(g, "ReplicaProvisionedReadCapacityAutoScalingSettings");
                writeDisabled(g, "ReplicaProvisionedWriteCapacityAutoScalingSettings");
                g.writeStringField("ReplicaStatus", region.equals(localRegion) ? table.status().name()
                        : table.options().replica(region).map(replica -> replica.status().name()).orElse("ACTIVE"));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** An AutoScalingSettingsUpdate's members, as DynamoDB's model constrains them, reported under {@code path}. */
    static void checkSettingsUpdate(Constraints c, RequestBody update, String path) {
        c.atLeast(path + ".minimumUnits", update.longValue("MinimumUnits"), 1);
        c.atLeast(path + ".maximumUnits", update.longValue("MaximumUnits"), 1);
        update.bool("AutoScalingDisabled");
        String role = update.string("AutoScalingRoleArn");
        c.stringLengthAtLeast(path + ".autoScalingRoleArn", role, 1);
        c.stringLengthAtMost(path + ".autoScalingRoleArn", role, 1600);
        RequestBody policy = update.struct("ScalingPolicyUpdate", "AutoScalingPolicyUpdate");
        if (policy == null) return;
        String name = policy.string("PolicyName");
        c.stringLengthAtLeast(path + ".scalingPolicyUpdate.policyName", name, 1);
        c.stringLengthAtMost(path + ".scalingPolicyUpdate.policyName", name, 256);
        RequestBody target = policy.struct("TargetTrackingScalingPolicyConfiguration", "AutoScalingTargetTrackingScalingPolicyConfigurationUpdate");
        String targetPath = path + ".scalingPolicyUpdate.targetTrackingScalingPolicyConfiguration";
        c.notNull(targetPath, target);
        if (target == null) return;
        c.notNull(targetPath + ".targetValue", target.doubleValue("TargetValue"));
        target.bool("DisableScaleIn");
        target.longValue("ScaleInCooldown");
        target.longValue("ScaleOutCooldown");
    }

    private static void writeDisabled(JsonGenerator g, String field) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeBooleanField("AutoScalingDisabled", true);
        g.writeArrayFieldStart("ScalingPolicies");
        g.writeEndArray();
        g.writeEndObject();
    }
}
