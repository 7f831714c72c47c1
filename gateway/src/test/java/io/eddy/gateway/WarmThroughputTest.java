package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableWarmThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.WarmThroughput;

/**
 * WarmThroughput of tables and global indexes through the AWS SDK: the defaults of each billing
 * mode, pre-warming at creation and by UpdateTable, a value that never comes down (through
 * decreases of provisioned capacity and billing switches), the refusals, and a restart.
 */
class WarmThroughputTest {

    @TempDir
    Path dataDir;

    private static TableDescription describe(DynamoDbClient ddb, String name) {
        return ddb.describeTable(b -> b.tableName(name)).table();
    }

    private static void assertWarm(long read, long write, String status, TableWarmThroughputDescription warm) {
        assertEquals(read, warm.readUnitsPerSecond(), warm.toString());
        assertEquals(write, warm.writeUnitsPerSecond(), warm.toString());
        assertEquals(status, warm.statusAsString(), warm.toString());
    }

    private static void assertWarm(long read, long write, GlobalSecondaryIndexDescription index) {
        assertEquals(read, index.warmThroughput().readUnitsPerSecond(), index.toString());
        assertEquals(write, index.warmThroughput().writeUnitsPerSecond(), index.toString());
        assertEquals("ACTIVE", index.warmThroughput().statusAsString(), index.toString());
    }

    /** An on-demand table with a global index byG, pre-warmed to {@code indexWarm} (null: not). */
    private static CreateTableRequest.Builder withIndex(String name, WarmThroughput indexWarm) {
        return ControlPlaneTest.hashTable(name, ScalarAttributeType.S)
                .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("g").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(i -> i.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).warmThroughput(indexWarm));
    }

    @Test
    void defaultsPreWarmingAndAValueThatNeverComesDown() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            // An on-demand table starts at 12,000 and 4,000, with its index; a provisioned one at its capacity.
            ddb.createTable(withIndex("OnDemand", null).build());
            TableDescription onDemand = describe(ddb, "OnDemand");
            assertWarm(12_000, 4_000, "ACTIVE", onDemand.warmThroughput());
            assertWarm(12_000, 4_000, onDemand.globalSecondaryIndexes().get(0));
            ddb.createTable(ControlPlaneTest.hashTable("Provisioned", ScalarAttributeType.S).billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L)).build());
            assertWarm(5, 5, "ACTIVE", describe(ddb, "Provisioned").warmThroughput());

            // Pre-warmed at creation: the CreateTable answer already says so; a member not named keeps its default.
            TableDescription created = ddb.createTable(ControlPlaneTest.hashTable("Launch", ScalarAttributeType.S)
                    .warmThroughput(w -> w.readUnitsPerSecond(15_000L)).build()).tableDescription();
            assertWarm(15_000, 4_000, "ACTIVE", created.warmThroughput());
            ddb.createTable(ControlPlaneTest.hashTable("SmallWarm", ScalarAttributeType.S).billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                    .warmThroughput(w -> w.readUnitsPerSecond(5_000L).writeUnitsPerSecond(2_000L)).build());
            assertWarm(5_000, 2_000, "ACTIVE", describe(ddb, "SmallWarm").warmThroughput());

            // Raised by UpdateTable, alone or with another change, for the table and for an index.
            TableDescription raised = ddb.updateTable(b -> b.tableName("OnDemand").warmThroughput(w -> w.writeUnitsPerSecond(10_000L))
                    .globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG").warmThroughput(w -> w.readUnitsPerSecond(20_000L)))))
                    .tableDescription();
            assertWarm(12_000, 10_000, "ACTIVE", raised.warmThroughput());
            assertWarm(20_000, 4_000, raised.globalSecondaryIndexes().get(0));
            // The same value again changes nothing.
            ddb.updateTable(b -> b.tableName("OnDemand").warmThroughput(w -> w.writeUnitsPerSecond(10_000L)));

            // Raising provisioned capacity raises it; lowering capacity or switching billing does not lower it.
            ddb.updateTable(b -> b.tableName("Provisioned").provisionedThroughput(t -> t.readCapacityUnits(50L).writeCapacityUnits(20L)));
            assertWarm(50, 20, "ACTIVE", describe(ddb, "Provisioned").warmThroughput());
            ddb.updateTable(b -> b.tableName("Provisioned").provisionedThroughput(t -> t.readCapacityUnits(10L).writeCapacityUnits(10L)));
            assertWarm(50, 20, "ACTIVE", describe(ddb, "Provisioned").warmThroughput());
            ddb.updateTable(b -> b.tableName("Provisioned").billingMode(BillingMode.PAY_PER_REQUEST));
            assertWarm(12_000, 4_000, "ACTIVE", describe(ddb, "Provisioned").warmThroughput());
            ddb.updateTable(b -> b.tableName("Provisioned").billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L)));
            assertWarm(12_000, 4_000, "ACTIVE", describe(ddb, "Provisioned").warmThroughput());
        }
        // Kept in the catalog across a restart.
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TableDescription onDemand = describe(ddb, "OnDemand");
            assertWarm(12_000, 10_000, "ACTIVE", onDemand.warmThroughput());
            assertWarm(20_000, 4_000, onDemand.globalSecondaryIndexes().get(0));
            assertWarm(12_000, 4_000, "ACTIVE", describe(ddb, "Provisioned").warmThroughput());
            assertWarm(15_000, 4_000, "ACTIVE", describe(ddb, "Launch").warmThroughput());
        }
    }

    @Test
    void decreasesAndOutOfRangeValuesAreRefusedAndChangeNothing() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            ddb.createTable(withIndex("Warm", WarmThroughput.builder().writeUnitsPerSecond(8_000L).build())
                    .warmThroughput(w -> w.readUnitsPerSecond(30_000L).writeUnitsPerSecond(10_000L)).build());
            assertWarm(12_000, 8_000, describe(ddb, "Warm").globalSecondaryIndexes().get(0));

            invalid("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput (20000) is lower than "
                            + "current WarmThroughput (30000): decreasing WarmThroughput is not supported",
                    () -> ddb.updateTable(b -> b.tableName("Warm").warmThroughput(w -> w.readUnitsPerSecond(20_000L))));
            invalid("One or more parameter values were invalid: Requested WriteUnitsPerSecond for WarmThroughput (4000) is lower than "
                            + "current WarmThroughput (8000): decreasing WarmThroughput is not supported",
                    () -> ddb.updateTable(b -> b.tableName("Warm").globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG")
                            .warmThroughput(w -> w.writeUnitsPerSecond(4_000L))))));
            // Below an on-demand table's own at creation: nothing is created.
            invalid("One or more parameter values were invalid: Requested WriteUnitsPerSecond for WarmThroughput (100) is lower than "
                            + "current WarmThroughput (4000): decreasing WarmThroughput is not supported",
                    () -> ddb.createTable(ControlPlaneTest.hashTable("Cold", ScalarAttributeType.S)
                            .warmThroughput(w -> w.writeUnitsPerSecond(100L)).build()));
            assertTrue(ddb.listTables().tableNames().stream().noneMatch("Cold"::equals));
            invalid("1 validation error detected: Value '0' at 'warmThroughput.readUnitsPerSecond' failed to satisfy constraint: "
                            + "Member must have value greater than or equal to 1",
                    () -> ddb.updateTable(b -> b.tableName("Warm").warmThroughput(w -> w.readUnitsPerSecond(0L))));
            // A warm throughput with a table-class change: the class change must come alone.
            invalid("One or more parameter values were invalid: TableClass modification must be the only operation in the request",
                    () -> ddb.updateTable(b -> b.tableName("Warm").tableClass("STANDARD_INFREQUENT_ACCESS")
                            .warmThroughput(w -> w.readUnitsPerSecond(40_000L))));

            // A WarmThroughput naming neither member asks for nothing.
            invalid("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, "
                            + "ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, "
                            + "OnDemandThroughput, WarmThroughput or TableClass is required",
                    () -> ddb.updateTable(b -> b.tableName("Warm").warmThroughput(w -> { })));

            TableDescription unchanged = describe(ddb, "Warm");
            assertWarm(30_000, 10_000, "ACTIVE", unchanged.warmThroughput());
            assertWarm(12_000, 8_000, unchanged.globalSecondaryIndexes().get(0));
        }
    }

    @Test
    void anIndexKeepsItsValueThroughBillingSwitchesAndIsCheckedAgainstWhatItHadBefore() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            ddb.createTable(withIndex("Switching", null).build());
            // Switched to provisioned at 5/5, with a raise checked against the 12,000 the index had: 100 is a decrease.
            invalid("One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput (100) is lower than "
                            + "current WarmThroughput (12000): decreasing WarmThroughput is not supported",
                    () -> ddb.updateTable(b -> b.tableName("Switching").billingMode(BillingMode.PROVISIONED)
                            .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                            .globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG")
                                    .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                                    .warmThroughput(w -> w.readUnitsPerSecond(100L))))));
            assertEquals("PAY_PER_REQUEST", describe(ddb, "Switching").billingModeSummary().billingModeAsString());
            ddb.updateTable(b -> b.tableName("Switching").billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                    .globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG")
                            .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L)))));
            TableDescription provisioned = describe(ddb, "Switching");
            assertWarm(12_000, 4_000, "ACTIVE", provisioned.warmThroughput());
            assertWarm(12_000, 4_000, provisioned.globalSecondaryIndexes().get(0));
            // Back to on demand with a raise of the index, checked against its 12,000 (not a provisioned 5).
            ddb.updateTable(b -> b.tableName("Switching").billingMode(BillingMode.PAY_PER_REQUEST)
                    .globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG").warmThroughput(w -> w.readUnitsPerSecond(13_000L)))));
            assertWarm(13_000, 4_000, describe(ddb, "Switching").globalSecondaryIndexes().get(0));

            // An index created by UpdateTable, pre-warmed.
            TableDescription added = ddb.updateTable(b -> b.tableName("Switching")
                    .attributeDefinitions(d -> d.attributeName("h").attributeType(ScalarAttributeType.S))
                    .globalSecondaryIndexUpdates(u -> u.create(i -> i.indexName("byH").keySchema(k -> k.attributeName("h").keyType(KeyType.HASH))
                            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).warmThroughput(w -> w.writeUnitsPerSecond(6_000L)))))
                    .tableDescription();
            GlobalSecondaryIndexDescription byH = added.globalSecondaryIndexes().stream().filter(i -> i.indexName().equals("byH"))
                    .findFirst().orElseThrow();
            assertEquals(12_000L, byH.warmThroughput().readUnitsPerSecond());
            assertEquals(6_000L, byH.warmThroughput().writeUnitsPerSecond());
            // Its status is the index's while it is built.
            assertEquals(byH.indexStatusAsString(), byH.warmThroughput().statusAsString());
        }
    }
}
