package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** TransactGetItems end to end with the AWS SDK v2. */
class TransactGetItemsTest {

    @RegisterExtension
    static final NodeExtension node = NodeExtension.with(Map.of("eddy.transactions.participant-inquiry-after", "10m"));
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "People", "id", ScalarAttributeType.S, null, null);
        TestTables.create(ddb, "Visits", "person", ScalarAttributeType.S, "at", ScalarAttributeType.N);
        for (int i = 0; i < 8; i++) {
            int id = i;
            ddb.putItem(b -> b.tableName("People").item(Map.of("id", s("p" + id), "name", s("person " + id),
                    "address", AttributeValue.fromM(Map.of("city", s("city " + id), "zip", n(Integer.toString(1000 + id)))))));
        }
        ddb.putItem(b -> b.tableName("Visits").item(Map.of("person", s("p1"), "at", n("5"), "big", s("x".repeat(5000)))));
    }

    static TransactGetItem get(String id) {
        return TransactGetItem.builder().get(g -> g.tableName("People").key(Map.of("id", s(id)))).build();
    }

    @Test
    void readsItemsOfSeveralPartitionsAndTablesInRequestOrder() {
        TransactGetItemsResponse response = ddb.transactGetItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(
                get("p3"), get("nobody"), get("p0"),
                TransactGetItem.builder().get(g -> g.tableName("Visits").key(Map.of("person", s("p1"), "at", n("5")))).build(),
                TransactGetItem.builder().get(g -> g.tableName("People").key(Map.of("id", s("p5")))
                        .projectionExpression("#n, address.city").expressionAttributeNames(Map.of("#n", "name"))).build()));
        List<ItemResponse> items = response.responses();
        assertEquals(5, items.size());
        assertEquals("person 3", items.get(0).item().get("name").s());
        assertFalse(items.get(1).hasItem(), "a missing item is an empty response");
        assertEquals("person 0", items.get(2).item().get("name").s());
        assertEquals("5", items.get(3).item().get("at").n());
        assertEquals(Map.of("name", s("person 5"), "address", AttributeValue.fromM(Map.of("city", s("city 5")))), items.get(4).item());
        // Twice a strongly consistent read: 4 items of under 4 KB (one missing) and one of 5 KB.
        assertEquals(List.of(ConsumedCapacity.builder().tableName("People").capacityUnits(8.0).readCapacityUnits(8.0).build(),
                ConsumedCapacity.builder().tableName("Visits").capacityUnits(4.0).readCapacityUnits(4.0).build()), response.consumedCapacity());
    }

    @Test
    void oneHundredGetsAreAllowedAndOneMoreIsNot() {
        List<TransactGetItem> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) hundred.add(get("p" + i));
        assertEquals(100, ddb.transactGetItems(b -> b.transactItems(hundred)).responses().size());
        hundred.add(get("p100"));
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> ddb.transactGetItems(b -> b.transactItems(hundred)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().matches("(?s)1 validation error detected: Value '\\[.+\\]' at 'transactItems' "
                + "failed to satisfy constraint: Member must have length less than or equal to 100"), e.awsErrorDetails().errorMessage());
    }

    @Test
    void theItemsReadMayComeToFourMegabytesAtMost() {
        // 11 items of about 390 KB: 10 are under 4 MB, 11 over it, even when only their keys are asked for.
        List<TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String id = "large" + i;
            ddb.putItem(b -> b.tableName("People").item(Map.of("id", s(id), "blob", s("x".repeat(390_000)))));
            gets.add(TransactGetItem.builder().get(g -> g.tableName("People").key(Map.of("id", s(id))).projectionExpression("id")).build());
        }
        assertEquals(10, ddb.transactGetItems(b -> b.transactItems(gets.subList(0, 10))).responses().size());
        invalid("Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction "
                + "exceeding the 4MB limit", () -> ddb.transactGetItems(b -> b.transactItems(gets)));
    }

    @Test
    void requestErrors() {
        invalid("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1", () -> ddb.transactGetItems(b -> b.transactItems(List.of())));
        invalid("Transaction request cannot include multiple operations on one item",
                () -> ddb.transactGetItems(b -> b.transactItems(get("p1"), get("p1"))));
        rejected("ResourceNotFoundException", "Requested resource not found", () -> ddb.transactGetItems(b -> b.transactItems(
                get("p1"), TransactGetItem.builder().get(g -> g.tableName("Nowhere").key(Map.of("id", s("x")))).build())));
        invalid("Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"", () -> ddb.transactGetItems(b -> b.transactItems(
                TransactGetItem.builder().get(g -> g.tableName("People").key(Map.of("id", s("p1"))).projectionExpression("!!!")).build())));
        invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}", () -> ddb.transactGetItems(b -> b.transactItems(
                TransactGetItem.builder().get(g -> g.tableName("People").key(Map.of("id", s("p1"))).projectionExpression("id")
                        .expressionAttributeNames(Map.of("#x", "x"))).build())));
        invalid("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id",
                () -> ddb.transactGetItems(b -> b.transactItems(get(""))));
    }

    @Test
    void aKeyThatDoesNotFitTheSchemaIsTheGetsValidationError() {
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> ddb.transactGetItems(b -> b.transactItems(
                get("p1"), TransactGetItem.builder().get(g -> g.tableName("People").key(Map.of())).build())));
        assertEquals(List.of("None", "ValidationError"), e.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals("The provided key element does not match the schema", e.cancellationReasons().get(1).message());
        // So is a key value too long (a 2026 test suite run against DynamoDB).
        TransactionCanceledException tooLong = assertThrows(TransactionCanceledException.class,
                () -> ddb.transactGetItems(b -> b.transactItems(get("k".repeat(2049)))));
        assertEquals(List.of("ValidationError"), tooLong.cancellationReasons().stream().map(CancellationReason::code).toList());
    }

    @Test
    void namesWithoutAProjectionAreTakenUnused() {
        // Unlike GetItem (a 2026 test suite run against DynamoDB).
        List<ItemResponse> items = ddb.transactGetItems(b -> b.transactItems(TransactGetItem.builder()
                .get(g -> g.tableName("People").key(Map.of("id", s("p2"))).expressionAttributeNames(Map.of("#n", "name"))).build())).responses();
        assertEquals("person 2", items.get(0).item().get("name").s());
        // A projection that leaves nothing of the item leaves no Item (a 2026 test suite run against DynamoDB).
        List<ItemResponse> nothing = ddb.transactGetItems(b -> b.transactItems(TransactGetItem.builder()
                .get(g -> g.tableName("People").key(Map.of("id", s("p2"))).projectionExpression("nonexistent")).build())).responses();
        assertFalse(nothing.get(0).hasItem());
    }

    @Test
    void aGetOfAnItemInAPendingTransactionConflicts() throws Exception {
        PendingTransaction pending = PendingTransaction.prepare(node.server(), "People", "p6", java.util.Optional.empty());
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> ddb.transactGetItems(b -> b.transactItems(get("p2"), get("p6"), get("p7"))));
        assertEquals(List.of("None", "TransactionConflict", "None"),
                e.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals("Transaction is ongoing for the item", e.cancellationReasons().get(1).message());
        pending.abort();
        assertEquals("person 6", ddb.transactGetItems(b -> b.transactItems(get("p6"))).responses().get(0).item().get("name").s());
    }
}
