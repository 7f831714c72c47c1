package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeEndpointsResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeLimitsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.OnDemandThroughput;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Table settings beyond keys and billing (deletion protection, table class, on-demand maxima),
 * table ARNs in place of names, ProvisionedThroughput rules, DescribeLimits and DescribeEndpoints,
 * through the AWS SDK v2.
 */
class TableOptionsTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    static TableDescription describe(String name) {
        return node.client().describeTable(b -> b.tableName(name)).table();
    }

    @Test
    void encryptionWithKmsKeysIsRefusedAndTheDefaultIsWhatEveryTableHas() {
        ddb.createTable(ControlPlaneTest.hashTable("DefaultKey", ScalarAttributeType.S).sseSpecification(e -> e.enabled(false)).build());
        // The key DynamoDB owns: DescribeTable reports no SSEDescription, as DynamoDB's does for it.
        assertNull(describe("DefaultKey").sseDescription());
        String kmsRefused = "Eddy does not encrypt tables with KMS keys: SSESpecification can only ask for the default encryption (Enabled false)";
        invalid(kmsRefused, () -> ddb.createTable(ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S)
                .sseSpecification(e -> e.enabled(true)).build()));
        invalid(kmsRefused, () -> ddb.createTable(ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S)
                .sseSpecification(e -> e.enabled(true).sseType("KMS").kmsMasterKeyId("alias/mine")).build()));
        invalid("One or more parameter values were invalid: SSEType AES256 is not supported", () -> ddb.createTable(
                ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S).sseSpecification(e -> e.enabled(true).sseType("AES256")).build()));
        invalid("One or more parameter values were invalid: SSEType KMS is required if KMSMasterKeyId is specified", () -> ddb.createTable(
                ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S).sseSpecification(e -> e.enabled(true).kmsMasterKeyId("alias/mine")).build()));
        invalid("1 validation error detected: Value 'DES' at 'sSESpecification.sSEType' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [AES256, KMS]", () -> ddb.createTable(
                ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S).sseSpecification(e -> e.sseType("DES")).build()));
        invalid("One or more parameter values were invalid: SSEType can not be specified if Enabled is false", () -> ddb.createTable(
                ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S).sseSpecification(e -> e.enabled(false).sseType("KMS")).build()));
        invalid("One or more parameter values were invalid: KMSMasterKeyId can not be specified if Enabled is false", () -> ddb.createTable(
                ControlPlaneTest.hashTable("Kms", ScalarAttributeType.S).sseSpecification(e -> e.enabled(false).kmsMasterKeyId("k")).build()));
        assertTrue(ddb.listTables().tableNames().stream().noneMatch("Kms"::equals), "a refused CreateTable makes no table");

        // UpdateTable: the default is what the table has already; a KMS key is refused, with the table's other changes.
        invalid("One or more parameter values were invalid: Table is already encrypted by default",
                () -> ddb.updateTable(b -> b.tableName("DefaultKey").sseSpecification(e -> e.enabled(false))));
        rejected("ResourceNotFoundException", "Requested resource not found: Table: Missing not found",
                () -> ddb.updateTable(b -> b.tableName("Missing").sseSpecification(e -> e.enabled(false))));
        invalid(kmsRefused, () -> ddb.updateTable(b -> b.tableName("DefaultKey").deletionProtectionEnabled(true)
                .sseSpecification(e -> e.enabled(true))));
        assertFalse(describe("DefaultKey").deletionProtectionEnabled());
        assertNull(describe("DefaultKey").sseDescription());
    }

    @Test
    void deletionProtectionRefusesDeleteTableUntilTurnedOff() {
        ddb.createTable(ControlPlaneTest.hashTable("Protected", ScalarAttributeType.S).deletionProtectionEnabled(true).build());
        assertTrue(describe("Protected").deletionProtectionEnabled());
        invalid("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
                () -> ddb.deleteTable(b -> b.tableName("Protected")));
        assertTrue(ddb.listTables().tableNames().contains("Protected"));

        invalid("One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request",
                () -> ddb.updateTable(b -> b.tableName("Protected").deletionProtectionEnabled(false).billingMode(BillingMode.PAY_PER_REQUEST)));
        TableDescription off = ddb.updateTable(b -> b.tableName("Protected").deletionProtectionEnabled(false)).tableDescription();
        assertFalse(off.deletionProtectionEnabled());
        ddb.deleteTable(b -> b.tableName("Protected"));
        assertFalse(ddb.listTables().tableNames().contains("Protected"));

        TestTables.create(ddb, "Unprotected", "pk", ScalarAttributeType.S, null, null);
        assertFalse(describe("Unprotected").deletionProtectionEnabled());
        assertTrue(ddb.updateTable(b -> b.tableName("Unprotected").deletionProtectionEnabled(true)).tableDescription()
                .deletionProtectionEnabled());
        invalid("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
                () -> ddb.deleteTable(b -> b.tableName("Unprotected")));
    }

    @Test
    void tableClassIsReportedOnceChosen() {
        TestTables.create(ddb, "Classless", "pk", ScalarAttributeType.S, null, null);
        assertNull(describe("Classless").tableClassSummary());
        // STANDARD on a table that never chose a class changes nothing.
        ddb.updateTable(b -> b.tableName("Classless").tableClass(TableClass.STANDARD));
        assertNull(describe("Classless").tableClassSummary());

        TableDescription infrequent = ddb.updateTable(b -> b.tableName("Classless")
                .tableClass(TableClass.STANDARD_INFREQUENT_ACCESS)).tableDescription();
        assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS, infrequent.tableClassSummary().tableClass());
        assertNotNull(describe("Classless").tableClassSummary().lastUpdateDateTime());

        ddb.createTable(ControlPlaneTest.hashTable("ClassChosen", ScalarAttributeType.S).tableClass(TableClass.STANDARD).build());
        assertEquals(TableClass.STANDARD, describe("ClassChosen").tableClassSummary().tableClass());
        assertNull(describe("ClassChosen").tableClassSummary().lastUpdateDateTime());

        invalid("One or more parameter values were invalid: TableClass modification must be the only operation in the request",
                () -> ddb.updateTable(b -> b.tableName("ClassChosen").tableClass(TableClass.STANDARD_INFREQUENT_ACCESS)
                        .deletionProtectionEnabled(true)));
        // DynamoDB's words (ScyllaDB's tests, run against it).
        invalid("Invalid table-class parameter provided. Please try again with a valid table-class value: "
                        + "[STANDARD, STANDARD_INFREQUENT_ACCESS].",
                () -> ddb.createTable(ControlPlaneTest.hashTable("BadClass", ScalarAttributeType.S).tableClass("ARCHIVE").build()));
        assertFalse(ddb.listTables().tableNames().contains("BadClass"));
    }

    @Test
    void onDemandMaximaAreStoredMergedAndCleared() {
        ddb.createTable(ControlPlaneTest.hashTable("Capped", ScalarAttributeType.S)
                .onDemandThroughput(OnDemandThroughput.builder().maxReadRequestUnits(100L).maxWriteRequestUnits(50L).build()).build());
        assertEquals(OnDemandThroughput.builder().maxReadRequestUnits(100L).maxWriteRequestUnits(50L).build(),
                describe("Capped").onDemandThroughput());

        ddb.updateTable(b -> b.tableName("Capped").onDemandThroughput(o -> o.maxReadRequestUnits(200L)));
        assertEquals(OnDemandThroughput.builder().maxReadRequestUnits(200L).maxWriteRequestUnits(50L).build(),
                describe("Capped").onDemandThroughput());
        // -1 removes a maximum; with neither set, DescribeTable omits the structure.
        ddb.updateTable(b -> b.tableName("Capped").onDemandThroughput(o -> o.maxWriteRequestUnits(-1L)));
        assertEquals(OnDemandThroughput.builder().maxReadRequestUnits(200L).build(), describe("Capped").onDemandThroughput());
        ddb.updateTable(b -> b.tableName("Capped").onDemandThroughput(o -> o.maxReadRequestUnits(-1L)));
        assertNull(describe("Capped").onDemandThroughput());

        invalid("One or more parameter values were invalid: Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range",
                () -> ddb.updateTable(b -> b.tableName("Capped").onDemandThroughput(o -> o.maxWriteRequestUnits(0L))));
        invalid("One or more parameter values were invalid: Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range",
                () -> ddb.createTable(ControlPlaneTest.hashTable("MinusOne", ScalarAttributeType.S)
                        .onDemandThroughput(o -> o.maxReadRequestUnits(-1L)).build()));
        invalid("One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED",
                () -> ddb.createTable(ControlPlaneTest.hashTable("ProvisionedCap", ScalarAttributeType.S)
                        .billingMode(BillingMode.PROVISIONED).provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                        .onDemandThroughput(o -> o.maxReadRequestUnits(5L)).build()));
        assertFalse(ddb.listTables().tableNames().contains("ProvisionedCap"));
        invalid("One or more parameter values were invalid: OnDemandThroughput can only be combined with BillingMode in an UpdateTable request",
                () -> ddb.updateTable(b -> b.tableName("Capped").billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                        .onDemandThroughput(o -> o.maxReadRequestUnits(5L))));

        // With BillingMode it is allowed; a table switched to PROVISIONED drops its maxima.
        ddb.updateTable(b -> b.tableName("Capped").billingMode(BillingMode.PAY_PER_REQUEST).onDemandThroughput(o -> o.maxWriteRequestUnits(9L)));
        assertEquals(9L, describe("Capped").onDemandThroughput().maxWriteRequestUnits());
        ddb.updateTable(b -> b.tableName("Capped").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(2L).writeCapacityUnits(2L)));
        assertNull(describe("Capped").onDemandThroughput());
        invalid("One or more parameter values were invalid: MaxWriteRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED",
                () -> ddb.updateTable(b -> b.tableName("Capped").onDemandThroughput(o -> o.maxWriteRequestUnits(9L))));
    }

    @Test
    void provisionedThroughputMustMatchTheBillingMode() {
        TestTables.create(ddb, "OnDemandOnly", "pk", ScalarAttributeType.S, null, null);
        invalid("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
                () -> ddb.updateTable(b -> b.tableName("OnDemandOnly").billingMode(BillingMode.PROVISIONED)));
        invalid("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                + "when BillingMode is PAY_PER_REQUEST", () -> ddb.updateTable(b -> b.tableName("OnDemandOnly")
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))));
        invalid("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
                + "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
                + "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required",
                () -> ddb.updateTable(b -> b.tableName("OnDemandOnly")));
        assertEquals(BillingMode.PAY_PER_REQUEST, describe("OnDemandOnly").billingModeSummary().billingMode());
    }

    @Test
    void updateTableRefusesWhatDynamoDbRefusesAndChangesNothing() {
        ddb.createTable(b -> b.tableName("Steady")
                .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("g").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                .globalSecondaryIndexes(i -> i.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .provisionedThroughput(p -> p.readCapacityUnits(2L).writeCapacityUnits(2L))));
        // A table that has never been on demand has no BillingModeSummary.
        assertNull(describe("Steady").billingModeSummary());
        invalid("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
                () -> ddb.updateTable(b -> b.tableName("Steady").billingMode(BillingMode.PROVISIONED)));
        invalid("The provisioned throughput for the index byG will not change. The requested value equals the current value. "
                        + "Current ReadCapacityUnits provisioned for index byG: 2. Requested ReadCapacityUnits: 2. "
                        + "Current WriteCapacityUnits provisioned for index byG: 2. Requested WriteCapacityUnits: 2. "
                        + "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
                () -> ddb.updateTable(b -> b.tableName("Steady").globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG")
                        .provisionedThroughput(p -> p.readCapacityUnits(2L).writeCapacityUnits(2L))))));
        invalid("One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request",
                () -> ddb.updateTable(b -> b.tableName("Steady").sseSpecification(e -> e.enabled(false)).deletionProtectionEnabled(true)));
        invalid("One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request",
                () -> ddb.updateTable(b -> b.tableName("Steady").deletionProtectionEnabled(true)
                        .warmThroughput(w -> w.readUnitsPerSecond(20_000L))));
        invalid("One or more parameter values were invalid: WarmThroughput must be the only operation in the request",
                () -> ddb.updateTable(b -> b.tableName("Steady").warmThroughput(w -> w.readUnitsPerSecond(20_000L))
                        .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))));
        invalid("One or more parameter values were invalid: WarmThroughput must be the only operation in the request",
                () -> ddb.updateTable(b -> b.tableName("Steady").warmThroughput(w -> w.readUnitsPerSecond(20_000L))
                        .provisionedThroughput(p -> p.readCapacityUnits(3L).writeCapacityUnits(3L))));
        invalid("One or more parameter values were invalid: Create global secondary index cannot be specified when updating WarmThroughput",
                () -> ddb.updateTable(b -> b.tableName("Steady").warmThroughput(w -> w.readUnitsPerSecond(20_000L))
                        .attributeDefinitions(d -> d.attributeName("h").attributeType(ScalarAttributeType.S))
                        .globalSecondaryIndexUpdates(u -> u.create(i -> i.indexName("byH")
                                .keySchema(k -> k.attributeName("h").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))))));
        invalid("One or more parameter values were invalid: OnDemandThroughput can only be combined with BillingMode in an UpdateTable request",
                () -> ddb.updateTable(b -> b.tableName("Steady").onDemandThroughput(o -> o.maxReadRequestUnits(10L))
                        .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))));
        TableDescription unchanged = describe("Steady");
        assertEquals(1L, unchanged.provisionedThroughput().readCapacityUnits());
        assertEquals(2L, unchanged.globalSecondaryIndexes().get(0).provisionedThroughput().readCapacityUnits());
        assertEquals(1, unchanged.globalSecondaryIndexes().size());
        assertNull(unchanged.streamSpecification());
        assertFalse(unchanged.deletionProtectionEnabled());

        // Once on demand, the summary stays, also after going back to provisioned.
        ddb.updateTable(b -> b.tableName("Steady").billingMode(BillingMode.PAY_PER_REQUEST));
        ddb.updateTable(b -> b.tableName("Steady").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                .globalSecondaryIndexUpdates(u -> u.update(i -> i.indexName("byG")
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)))));
        TableDescription switched = describe("Steady");
        assertEquals(BillingMode.PROVISIONED, switched.billingModeSummary().billingMode());
        assertNotNull(switched.billingModeSummary().lastUpdateToPayPerRequestDateTime());
    }

    @Test
    void keyAttributeNamesAreAtMost255Characters() {
        String longName = "k".repeat(256);
        invalid("1 validation error detected: Value '" + longName + "' at 'keySchema.1.member.attributeName' failed to satisfy "
                        + "constraint: Member must have length less than or equal to 255",
                () -> ddb.createTable(b -> b.tableName("LongKey").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName(longName).keyType(KeyType.HASH))));
        invalid("1 validation error detected: Value '' at 'attributeDefinitions.1.member.attributeName' failed to satisfy "
                        + "constraint: Member must have length greater than or equal to 1",
                () -> ddb.createTable(b -> b.tableName("LongKey").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(d -> d.attributeName("").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))));
        String longest = "k".repeat(255);
        ddb.createTable(b -> b.tableName("LongKey").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(d -> d.attributeName(longest).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(longest).keyType(KeyType.HASH)));
        ddb.putItem(b -> b.tableName("LongKey").item(Map.of(longest, s("a"))));
        assertEquals(1, ddb.scan(b -> b.tableName("LongKey")).count());
    }

    @Test
    void aTableArnWorksWhereverATableNameDoes() {
        TestTables.create(ddb, "ByArn", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        String arn = describe("ByArn").tableArn();
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/ByArn", arn);
        assertEquals("ByArn", describe(arn).tableName());

        ddb.putItem(b -> b.tableName(arn).item(Map.of("pk", s("a"), "sk", TestTables.n("1"), "v", s("one"))));
        assertEquals("one", ddb.getItem(b -> b.tableName(arn).key(Map.of("pk", s("a"), "sk", TestTables.n("1")))).item().get("v").s());
        assertEquals(1, ddb.query(b -> b.tableName(arn).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("a")))).count());
        assertEquals(1, ddb.scan(b -> b.tableName(arn)).count());
        ddb.batchWriteItem(b -> b.requestItems(Map.of(arn, java.util.List.of(WriteRequest.builder()
                .putRequest(PutRequest.builder().item(Map.of("pk", s("b"), "sk", TestTables.n("2"))).build()).build()))));
        var read = ddb.batchGetItem(b -> b.requestItems(Map.of(arn, KeysAndAttributes.builder()
                .keys(Map.of("pk", s("b"), "sk", TestTables.n("2"))).build())));
        assertEquals(1, read.responses().get(arn).size());
        ddb.deleteItem(b -> b.tableName(arn).key(Map.of("pk", s("a"), "sk", TestTables.n("1"))));
        assertEquals(1, ddb.scan(b -> b.tableName("ByArn")).count());

        assertTrue(ddb.updateTable(b -> b.tableName(arn).deletionProtectionEnabled(true)).tableDescription().deletionProtectionEnabled());
        ddb.updateTable(b -> b.tableName(arn).deletionProtectionEnabled(false));
        assertEquals("ByArn", ddb.deleteTable(b -> b.tableName(arn)).tableDescription().tableName());
        assertFalse(ddb.listTables().tableNames().contains("ByArn"));

        String missing = "arn:aws:dynamodb:us-east-1:000000000000:table/NotThere";
        rejected("ResourceNotFoundException", "Requested resource not found: Table: NotThere not found",
                () -> ddb.describeTable(b -> b.tableName(missing)));
        rejected("ResourceNotFoundException", "Requested resource not found",
                () -> ddb.getItem(b -> b.tableName(missing).key(Map.of("pk", s("a")))));
        String otherAccount = "arn:aws:dynamodb:us-east-1:123456789012:table/OnDemandOnly";
        rejected("ResourceNotFoundException", "Requested resource not found: Table: OnDemandOnly not found",
                () -> ddb.describeTable(b -> b.tableName(otherAccount)));
        String otherRegion = "arn:aws:dynamodb:eu-west-1:000000000000:table/ByArn";
        invalid("1 validation error detected: Invalid AWS region in '" + otherRegion + "'",
                () -> ddb.describeTable(b -> b.tableName(otherRegion)));
        String index = "arn:aws:dynamodb:us-east-1:000000000000:table/ByArn/index/byV";
        invalid("1 validation error detected: Invalid resource type in '" + index + "'",
                () -> ddb.scan(b -> b.tableName(index)));
    }

    @Test
    void describeLimitsReportsDynamoDbsDefaultQuotas() {
        DescribeLimitsResponse limits = ddb.describeLimits();
        assertEquals(80_000L, limits.accountMaxReadCapacityUnits());
        assertEquals(80_000L, limits.accountMaxWriteCapacityUnits());
        assertEquals(40_000L, limits.tableMaxReadCapacityUnits());
        assertEquals(40_000L, limits.tableMaxWriteCapacityUnits());
    }

    @Test
    void describeEndpointsReportsThisNode() {
        DescribeEndpointsResponse endpoints = ddb.describeEndpoints(b -> { });
        assertEquals(1, endpoints.endpoints().size());
        assertEquals("127.0.0.1:" + node.server().node.address().getPort(), endpoints.endpoints().get(0).address());
        assertEquals(1440L, endpoints.endpoints().get(0).cachePeriodInMinutes());
    }
}
