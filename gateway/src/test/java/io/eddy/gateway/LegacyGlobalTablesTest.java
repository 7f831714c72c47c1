package io.eddy.gateway;

import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalTableNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReplicaUpdate;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Global tables version 2017.11.29 (Legacy), as DynamoDB answers them today: CreateGlobalTable and
 * UpdateGlobalTable's Create refused, the others finding no such global table (a regional table's
 * name, a version 2019.11.21 one's and a missing one's alike), ListGlobalTables empty; input
 * checked first; nothing changed.
 */
class LegacyGlobalTablesTest {

    @TempDir
    Path dir;

    private static final String NOT_SUPPORTED = "One or more parameter values were invalid: DynamoDB global tables version "
            + "2017.11.29 is not supported. We recommend using DynamoDB global tables version 2019.11.21, instead of version "
            + "2017.11.29 (Legacy).";

    @Test
    void legacyGlobalTablesCannotBeMadeAndNoneIsFound() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            // The tables a legacy global table was made of: same name, empty, streams with both images.
            node.client.createTable(b -> b.tableName("Music").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH))
                    .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            TableDescription before = node.client.describeTable(b -> b.tableName("Music")).table();

            TestTables.rejected("ValidationException", NOT_SUPPORTED, () -> node.client.createGlobalTable(b -> b
                    .globalTableName("Music").replicationGroup(r -> r.regionName("us-east-1"), r -> r.regionName("us-west-2"))));
            TestTables.rejected("ValidationException", NOT_SUPPORTED, () -> node.client.updateGlobalTable(b -> b
                    .globalTableName("Music").replicaUpdates(ReplicaUpdate.builder().create(c -> c.regionName("us-west-2")).build())));
            // Looked for after the refusal of a Create: a missing name gets it too.
            TestTables.rejected("ValidationException", NOT_SUPPORTED, () -> node.client.updateGlobalTable(b -> b
                    .globalTableName("Missing").replicaUpdates(ReplicaUpdate.builder().delete(d -> d.regionName("us-west-2")).build(),
                            ReplicaUpdate.builder().create(c -> c.regionName("eu-west-1")).build())));

            for (String name : new String[] {"Music", "Missing"}) {
                GlobalTableNotFoundException described = assertThrows(GlobalTableNotFoundException.class,
                        () -> node.client.describeGlobalTable(b -> b.globalTableName(name)));
                assertEquals("Global table not found: Global table with name: '" + name + "' does not exist.",
                        described.awsErrorDetails().errorMessage());
                TestTables.rejected("GlobalTableNotFoundException", "Global table not found: Global table with name: '" + name
                        + "' does not exist.", () -> node.client.updateGlobalTable(b -> b.globalTableName(name)
                        .replicaUpdates(ReplicaUpdate.builder().delete(d -> d.regionName("us-west-2")).build())));
                TestTables.rejected("GlobalTableNotFoundException", "Global table with name: '" + name + "' does not exist.",
                        () -> node.client.describeGlobalTableSettings(b -> b.globalTableName(name)));
                TestTables.rejected("GlobalTableNotFoundException", "Global table with name: '" + name + "' does not exist.",
                        () -> node.client.updateGlobalTableSettings(b -> b.globalTableName(name).globalTableBillingMode(BillingMode.PAY_PER_REQUEST)));
            }
            var listed = node.client.listGlobalTables(b -> b.regionName("us-east-1").limit(1));
            assertTrue(listed.globalTables().isEmpty());
            assertEquals(null, listed.lastEvaluatedGlobalTableName());
            assertTrue(node.client.listGlobalTables().globalTables().isEmpty());

            // Nothing changed: still a regional table, taking writes.
            TableDescription after = node.client.describeTable(b -> b.tableName("Music")).table();
            assertEquals(before, after);
            assertFalse(after.hasReplicas());
            node.client.putItem(b -> b.tableName("Music").item(Map.of("id", s("still-regional"))));
        }
    }

    @Test
    void inputIsCheckedFirst() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            assertRaw(node, "CreateGlobalTable", "{'ReplicationGroup':[]}", "ValidationException",
                    "1 validation error detected: Value null at 'globalTableName' failed to satisfy constraint: Member must not be null");
            assertRaw(node, "CreateGlobalTable", "{'GlobalTableName':'ab'}", "ValidationException",
                    "2 validation errors detected: Value 'ab' at 'globalTableName' failed to satisfy constraint: Member must have length "
                            + "greater than or equal to 3; Value null at 'replicationGroup' failed to satisfy constraint: Member must not be null");
            assertRaw(node, "CreateGlobalTable", "{'GlobalTableName':'Music','ReplicationGroup':{}}", "SerializationException",
                    "Start of structure or map found where not expected");
            assertRaw(node, "DescribeGlobalTable", "{'GlobalTableName':'no spaces'}", "ValidationException",
                    "1 validation error detected: Value 'no spaces' at 'globalTableName' failed to satisfy constraint: "
                            + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
            assertRaw(node, "UpdateGlobalTable", "{'GlobalTableName':'Music','ReplicaUpdates':[]}", "ValidationException",
                    "One or more parameter values were invalid");
            assertRaw(node, "UpdateGlobalTable", "{'GlobalTableName':'Music','ReplicaUpdates':[{'Delete':{}}]}", "ValidationException",
                    "1 validation error detected: Value null at 'replicaUpdates.1.member.delete.regionName' failed to satisfy constraint: "
                            + "Member must not be null");
            assertRaw(node, "UpdateGlobalTable", "{'GlobalTableName':'Music'}", "ValidationException",
                    "1 validation error detected: Value null at 'replicaUpdates' failed to satisfy constraint: Member must not be null");
            assertRaw(node, "ListGlobalTables", "{'Limit':0}", "ValidationException",
                    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
            assertRaw(node, "UpdateGlobalTableSettings", "{'GlobalTableName':'Music','GlobalTableBillingMode':'FREE',"
                            + "'ReplicaSettingsUpdate':[{'ReplicaProvisionedReadCapacityUnits':0}]}", "ValidationException",
                    "3 validation errors detected: Value 'FREE' at 'globalTableBillingMode' failed to satisfy constraint: Member must "
                            + "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; Value null at 'replicaSettingsUpdate.1.member.regionName' "
                            + "failed to satisfy constraint: Member must not be null; Value '0' at "
                            + "'replicaSettingsUpdate.1.member.replicaProvisionedReadCapacityUnits' failed to satisfy constraint: Member must "
                            + "have value greater than or equal to 1");
            assertRaw(node, "UpdateGlobalTableSettings", "{'GlobalTableName':'Music','GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate':"
                            + "{'MinimumUnits':0,'ScalingPolicyUpdate':{}}}", "ValidationException",
                    "2 validation errors detected: Value '0' at 'globalTableProvisionedWriteCapacityAutoScalingSettingsUpdate.minimumUnits' "
                            + "failed to satisfy constraint: Member must have value greater than or equal to 1; Value null at "
                            + "'globalTableProvisionedWriteCapacityAutoScalingSettingsUpdate.scalingPolicyUpdate."
                            + "targetTrackingScalingPolicyConfiguration' failed to satisfy constraint: Member must not be null");
            assertRaw(node, "UpdateGlobalTableSettings", "{'GlobalTableName':'Music','GlobalTableGlobalSecondaryIndexSettingsUpdate':[]}",
                    "ValidationException", "1 validation error detected: Value '[]' at 'globalTableGlobalSecondaryIndexSettingsUpdate' "
                            + "failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
    }

    private static void assertRaw(TestNode node, String operation, String body, String type, String message) throws Exception {
        TestTables.Raw answer = TestTables.raw(node, operation, body);
        assertEquals(400, answer.status(), answer.body().toString());
        assertTrue(answer.type().endsWith("#" + type), answer.type());
        assertEquals(message, answer.message());
    }
}
