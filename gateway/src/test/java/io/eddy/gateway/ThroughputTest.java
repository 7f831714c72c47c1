package io.eddy.gateway;

import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Provisioned throughput and on-demand maxima, enforced, seen through the AWS SDK with its retries
 * off. The node keeps one second of unused capacity ({@code eddy.throughput.burst-seconds = 1}), so
 * a table of one unit a second runs out after one write of a few kilobytes.
 */
class ThroughputTest {

    static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    @TempDir
    static Path dataDir;
    static TestNode node;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dataDir, Map.of("eddy.throughput.burst-seconds", 1));
        ddb = TestNode.noRetryClient(node.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        ddb.close();
        node.close();
    }

    /** A table keyed by "id", provisioned with these units a second. */
    static void provisioned(String name, long read, long write) {
        ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(read).writeCapacityUnits(write))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }

    /** An item of about {@code kilobytes} KB, so that writing it costs that many units. */
    static Map<String, AttributeValue> item(String id, int kilobytes) {
        return Map.of("id", s(id), "body", s("x".repeat(kilobytes * 1024 - 100)));
    }

    static String metrics() throws Exception {
        return RawHttp.oneShotClient().send(java.net.http.HttpRequest.newBuilder(node.endpoint().resolve("/metrics")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    static KeysAndAttributes keys(String id) {
        return KeysAndAttributes.builder().keys(Map.of("id", s(id))).build();
    }

    static ThrottlingReason reason(String reason, String resource) {
        return ThrottlingReason.builder().reason(reason).resource(resource).build();
    }

    @Test
    void aProvisionedTableThrottlesWritesOverItsCapacityUntilRaised() throws Exception {
        provisioned("Narrow", 1, 1);
        ddb.putItem(b -> b.tableName("Narrow").item(item("a", 8)));
        ProvisionedThroughputExceededException refused = assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.putItem(b -> b.tableName("Narrow").item(item("b", 1))));
        assertEquals("The level of configured provisioned throughput for the table was exceeded. "
                + "Consider increasing your provisioning level with the UpdateTable API.", refused.awsErrorDetails().errorMessage());
        assertEquals(List.of(reason("TableWriteProvisionedThroughputExceeded", ARN + "Narrow")), refused.throttlingReasons());
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.updateItem(b -> b.tableName("Narrow").key(Map.of("id", s("a"))).updateExpression("SET n = :n")
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1")))));
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.deleteItem(b -> b.tableName("Narrow").key(Map.of("id", s("a")))));
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.executeStatement(b -> b.statement("DELETE FROM Narrow WHERE id = 'a'")));
        // Each refusal is a throttle event in the metrics, by table and reason.
        assertTrue(metrics().contains("eddy_throttled_requests_total{table=\"Narrow\",reason=\"TableWriteProvisionedThroughputExceeded\"} 4\n"));
        // Refused writes wrote nothing; reads have capacity of their own.
        assertFalse(ddb.getItem(b -> b.tableName("Narrow").key(Map.of("id", s("b")))).hasItem());
        assertTrue(ddb.getItem(b -> b.tableName("Narrow").key(Map.of("id", s("a")))).item().containsKey("body"));

        // Raised so far that the debt of the 8 KB write is repaid in well under a millisecond.
        ddb.updateTable(b -> b.tableName("Narrow").provisionedThroughput(p -> p.readCapacityUnits(1_000_000L).writeCapacityUnits(1_000_000L)));
        ddb.putItem(b -> b.tableName("Narrow").item(item("b", 1)));
        assertTrue(ddb.getItem(b -> b.tableName("Narrow").key(Map.of("id", s("b"))).consistentRead(true)).hasItem());
    }

    @Test
    void aFailedConditionConsumesTheExistingItemsUnits() {
        provisioned("Conditional", 1000, 1000);
        ddb.putItem(b -> b.tableName("Conditional").item(item("big", 40)));
        // Lowered to one unit a second: the bucket keeps one unit.
        ddb.updateTable(b -> b.tableName("Conditional").provisionedThroughput(p -> p.readCapacityUnits(1000L).writeCapacityUnits(1L)));
        assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName("Conditional").item(item("big", 1))
                .conditionExpression("attribute_not_exists(id)")));
        // The failed condition cost the 40 units of the item it found.
        assertThrows(ProvisionedThroughputExceededException.class, () -> ddb.putItem(b -> b.tableName("Conditional").item(item("c", 1))));
    }

    @Test
    void readsOverCapacityAreThrottledAfterTheReadThatTookThem() {
        provisioned("Reads", 1, 1000);
        for (String id : List.of("r1", "r2", "r3")) ddb.putItem(b -> b.tableName("Reads").item(item(id, 40)));
        // A Scan of 120 KB costs 15 units of a bucket of 1: it goes through, the reads of the next 14 s wait.
        assertEquals(3, ddb.scan(b -> b.tableName("Reads")).count());
        ProvisionedThroughputExceededException refused = assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.getItem(b -> b.tableName("Reads").key(Map.of("id", s("r1")))));
        assertEquals(List.of(reason("TableReadProvisionedThroughputExceeded", ARN + "Reads")), refused.throttlingReasons());
        assertThrows(ProvisionedThroughputExceededException.class, () -> ddb.query(b -> b.tableName("Reads")
                .keyConditionExpression("id = :id").expressionAttributeValues(Map.of(":id", s("r1")))));
        assertThrows(ProvisionedThroughputExceededException.class, () -> ddb.scan(b -> b.tableName("Reads")));
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.executeStatement(b -> b.statement("SELECT * FROM Reads WHERE id = 'r1'")));
        assertEquals("ProvisionedThroughputExceeded", ddb.batchExecuteStatement(b -> b.statements(
                st -> st.statement("SELECT * FROM Reads WHERE id = 'r1'"))).responses().get(0).error().codeAsString());
        TransactionCanceledException cancelled = assertThrows(TransactionCanceledException.class, () -> ddb.transactGetItems(
                b -> b.transactItems(t -> t.get(g -> g.tableName("Reads").key(Map.of("id", s("r1")))))));
        assertEquals("ProvisionedThroughputExceeded", cancelled.cancellationReasons().get(0).code());
        // BatchGetItem of a throttled table alone fails; next to a table with capacity its keys are unprocessed.
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.batchGetItem(b -> b.requestItems(Map.of("Reads", keys("r1")))));
        provisioned("Wide", 1000, 1000);
        ddb.putItem(b -> b.tableName("Wide").item(item("w", 1)));
        BatchGetItemResponse batch = ddb.batchGetItem(b -> b.requestItems(Map.of(
                "Reads", keys("r1"), "Wide", keys("w"))));
        assertEquals(1, batch.responses().get("Wide").size());
        assertEquals(List.of(Map.of("id", s("r1"))), batch.unprocessedKeys().get("Reads").keys());
        // The writes of a table whose reads are spent go on.
        ddb.putItem(b -> b.tableName("Reads").item(item("r4", 1)));
    }

    @Test
    void batchWritesOfAThrottledTableAreLeftUnprocessed() {
        provisioned("BatchNarrow", 1000, 1);
        provisioned("BatchWide", 1000, 1000);
        ddb.putItem(b -> b.tableName("BatchNarrow").item(item("n0", 10)));
        WriteRequest narrow = WriteRequest.builder().putRequest(p -> p.item(item("n1", 1))).build();
        WriteRequest wide = WriteRequest.builder().putRequest(p -> p.item(item("w1", 1))).build();
        BatchWriteItemResponse batch = ddb.batchWriteItem(b -> b.requestItems(Map.of("BatchNarrow", List.of(narrow),
                "BatchWide", List.of(wide))));
        assertEquals(List.of(narrow), batch.unprocessedItems().get("BatchNarrow"));
        assertFalse(batch.unprocessedItems().containsKey("BatchWide"));
        assertTrue(ddb.getItem(b -> b.tableName("BatchWide").key(Map.of("id", s("w1")))).hasItem());
        assertFalse(ddb.getItem(b -> b.tableName("BatchNarrow").key(Map.of("id", s("n1")))).hasItem());
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.batchWriteItem(b -> b.requestItems(Map.of("BatchNarrow", List.of(narrow)))));
    }

    @Test
    void transactionsAreCancelledForTheActionsOfAThrottledTable() throws Exception {
        provisioned("TxNarrow", 1000, 1);
        provisioned("TxWide", 1000, 1000);
        ddb.putItem(b -> b.tableName("TxNarrow").item(item("t0", 10)));
        TransactionCanceledException cancelled = assertThrows(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(
                        t -> t.put(p -> p.tableName("TxWide").item(item("t1", 1))),
                        t -> t.put(p -> p.tableName("TxNarrow").item(item("t2", 1))),
                        t -> t.put(p -> p.tableName("TxNarrow").item(item("t3", 1))))));
        List<CancellationReason> reasons = cancelled.cancellationReasons();
        assertEquals("None", reasons.get(0).code());
        assertEquals("ProvisionedThroughputExceeded", reasons.get(1).code());
        assertEquals("ProvisionedThroughputExceeded", reasons.get(2).code());
        // One refusal of the table, however many of its actions it held back.
        assertTrue(metrics().contains("eddy_throttled_requests_total{table=\"TxNarrow\",reason=\"TableWriteProvisionedThroughputExceeded\"} 1\n"));
        assertEquals("The level of configured provisioned throughput for the table was exceeded. "
                + "Consider increasing your provisioning level with the UpdateTable API.", reasons.get(1).message());
        assertFalse(ddb.getItem(b -> b.tableName("TxWide").key(Map.of("id", s("t1")))).hasItem());
        TransactionCanceledException partiql = assertThrows(TransactionCanceledException.class, () -> ddb.executeTransaction(b -> b
                .transactStatements(st -> st.statement("INSERT INTO TxNarrow VALUE {'id': 'p1'}"))));
        assertEquals("ProvisionedThroughputExceeded", partiql.cancellationReasons().get(0).code());
        ddb.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("TxWide").item(item("t1", 1)))));
        assertTrue(ddb.getItem(b -> b.tableName("TxWide").key(Map.of("id", s("t1")))).hasItem());
    }

    @Test
    void aGlobalIndexOutOfWriteCapacityThrottlesTheTablesWritesAndItsReadsItsQueries() throws InterruptedException {
        ddb.createTable(b -> b.tableName("Indexed").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(1000L).writeCapacityUnits(1000L))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .globalSecondaryIndexes(i -> i.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))));
        // An item outside the index costs the index nothing.
        ddb.putItem(b -> b.tableName("Indexed").item(item("plain", 5)));
        Map<String, AttributeValue> indexed = new java.util.HashMap<>(item("in", 80));
        indexed.put("g", s("group"));
        ddb.putItem(b -> b.tableName("Indexed").item(indexed));
        ProvisionedThroughputExceededException refused = assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.putItem(b -> b.tableName("Indexed").item(item("next", 1))));
        assertEquals(List.of(reason("IndexWriteProvisionedThroughputExceeded", ARN + "Indexed/index/byG")), refused.throttlingReasons());

        // Reading the index's entry of 80 KB costs 10 of its read units: the next Query of it waits, the table's reads do not.
        // (The index is updated after the write is acknowledged: read until it has the entry.)
        long deadline = System.nanoTime() + 20_000_000_000L;
        int found = 0;
        while (found == 0 && System.nanoTime() < deadline) {
            try {
                found = ddb.query(b -> b.tableName("Indexed").indexName("byG").keyConditionExpression("g = :g")
                        .expressionAttributeValues(Map.of(":g", s("group")))).count();
            } catch (ProvisionedThroughputExceededException spent) {
                // Empty reads spent the index's unit; it comes back within a second.
            }
            if (found == 0) Thread.sleep(100);
        }
        assertEquals(1, found);
        ProvisionedThroughputExceededException indexRead = assertThrows(ProvisionedThroughputExceededException.class,
                () -> ddb.query(b -> b.tableName("Indexed").indexName("byG").keyConditionExpression("g = :g")
                        .expressionAttributeValues(Map.of(":g", s("group")))));
        assertEquals(List.of(reason("IndexReadProvisionedThroughputExceeded", ARN + "Indexed/index/byG")), indexRead.throttlingReasons());
        assertEquals(2, ddb.scan(b -> b.tableName("Indexed")).count());
    }

    @Test
    void anOnDemandMaximumThrottlesWithThrottlingException() {
        ddb.createTable(b -> b.tableName("Capped").billingMode(BillingMode.PAY_PER_REQUEST)
                .onDemandThroughput(o -> o.maxWriteRequestUnits(2L))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        ddb.putItem(b -> b.tableName("Capped").item(item("c1", 20)));
        ThrottlingException refused = assertThrows(ThrottlingException.class,
                () -> ddb.putItem(b -> b.tableName("Capped").item(item("c2", 1))));
        assertEquals("Throughput exceeds the maximum OnDemandThroughput configured on table or index",
                refused.awsErrorDetails().errorMessage());
        assertEquals(List.of(reason("TableWriteMaxOnDemandThroughputExceeded", ARN + "Capped")), refused.throttlingReasons());
        // No read maximum: reads are not limited.
        for (int i = 0; i < 20; i++) ddb.scan(b -> b.tableName("Capped"));
        // Removing the maximum (-1) lets writes through at once.
        ddb.updateTable(b -> b.tableName("Capped").billingMode(BillingMode.PAY_PER_REQUEST)
                .onDemandThroughput(o -> o.maxWriteRequestUnits(-1L)));
        ddb.putItem(b -> b.tableName("Capped").item(item("c2", 1)));
    }
}
