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
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** TransactWriteItems end to end with the AWS SDK v2: every action, all-or-nothing, and every error path. */
class TransactWriteItemsTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Accounts", "id", ScalarAttributeType.S, null, null);
        TestTables.create(ddb, "Orders", "customer", ScalarAttributeType.S, "order", ScalarAttributeType.N);
    }

    static TransactWriteItem put(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)).build();
    }

    static TransactWriteItem update(String id, String expression, Map<String, AttributeValue> values, String condition) {
        return TransactWriteItem.builder().update(u -> u.tableName("Accounts").key(Map.of("id", s(id)))
                .updateExpression(expression).expressionAttributeValues(values).conditionExpression(condition)).build();
    }

    static TransactWriteItem delete(String id) {
        return TransactWriteItem.builder().delete(d -> d.tableName("Accounts").key(Map.of("id", s(id)))).build();
    }

    static TransactWriteItem check(String id, String condition) {
        return TransactWriteItem.builder().conditionCheck(cc -> cc.tableName("Accounts").key(Map.of("id", s(id)))
                .conditionExpression(condition)).build();
    }

    static Map<String, AttributeValue> account(String id, int balance) {
        return Map.of("id", s(id), "balance", n(Integer.toString(balance)));
    }

    static Map<String, AttributeValue> get(String id) {
        return node.client().getItem(b -> b.tableName("Accounts").key(Map.of("id", s(id)))).item();
    }

    static TransactWriteItemsResponse transact(TransactWriteItem... items) {
        return node.client().transactWriteItems(b -> b.transactItems(items));
    }

    static TransactionCanceledException cancelled(List<String> codes, TransactWriteItem... items) {
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> transact(items));
        assertEquals(codes, e.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons ["
                + String.join(", ", codes) + "]", e.awsErrorDetails().errorMessage());
        return e;
    }

    @Test
    void everyActionAppliesTogetherAcrossTables() {
        ddb.putItem(b -> b.tableName("Accounts").item(account("t1-a", 100)));
        ddb.putItem(b -> b.tableName("Accounts").item(account("t1-b", 5)));
        ddb.putItem(b -> b.tableName("Accounts").item(account("t1-gone", 1)));

        transact(
                update("t1-a", "SET balance = balance - :x", Map.of(":x", n("30")), "balance >= :x"),
                update("t1-b", "SET balance = balance + :x", Map.of(":x", n("30")), null),
                put("Orders", Map.of("customer", s("t1"), "order", n("1"), "total", n("30")), "attribute_not_exists(customer)"),
                delete("t1-gone"),
                check("t1-c-missing", "attribute_not_exists(id)"));

        assertEquals("70", get("t1-a").get("balance").n());
        assertEquals("35", get("t1-b").get("balance").n());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t1-gone")))).hasItem());
        assertEquals("30", ddb.getItem(b -> b.tableName("Orders").key(Map.of("customer", s("t1"), "order", n("1"))))
                .item().get("total").n());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t1-c-missing")))).hasItem(),
                "a ConditionCheck writes nothing");
    }

    @Test
    void aFailedConditionCancelsEveryActionWithReasonsInRequestOrder() {
        ddb.putItem(b -> b.tableName("Accounts").item(account("t2-a", 10)));
        ddb.putItem(b -> b.tableName("Accounts").item(account("t2-b", 10)));

        TransactionCanceledException e = cancelled(List.of("None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed"),
                update("t2-a", "SET balance = balance + :x", Map.of(":x", n("1")), null),
                update("t2-b", "SET balance = balance - :x", Map.of(":x", n("50")), "balance >= :x"),
                put("Accounts", account("t2-new", 1)),
                check("t2-missing", "attribute_exists(id)"));
        assertEquals("The conditional request failed", e.cancellationReasons().get(1).message());
        assertEquals(null, e.cancellationReasons().get(0).message());
        assertFalse(e.cancellationReasons().get(1).hasItem(), "no item unless ReturnValuesOnConditionCheckFailure=ALL_OLD");

        assertEquals("10", get("t2-a").get("balance").n());
        assertEquals("10", get("t2-b").get("balance").n());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t2-new")))).hasItem());
    }

    @Test
    void returnValuesOnConditionCheckFailureReturnsTheItemInTheReason() {
        ddb.putItem(b -> b.tableName("Accounts").item(account("t3-a", 7)));
        TransactionCanceledException e = cancelled(List.of("ConditionalCheckFailed"),
                TransactWriteItem.builder().conditionCheck(cc -> cc.tableName("Accounts").key(Map.of("id", s("t3-a")))
                        .conditionExpression("balance > :min").expressionAttributeValues(Map.of(":min", n("100")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        assertEquals(account("t3-a", 7), e.cancellationReasons().get(0).item());
    }

    @Test
    void anUpdateThatCannotApplyIsAValidationErrorReason() {
        ddb.putItem(b -> b.tableName("Accounts").item(Map.of("id", s("t4-a"), "name", s("text"))));
        TransactionCanceledException e = cancelled(List.of("None", "ValidationError"),
                put("Accounts", account("t4-b", 1)),
                TransactWriteItem.builder().update(u -> u.tableName("Accounts").key(Map.of("id", s("t4-a")))
                        .updateExpression("SET #n = #n + :x").expressionAttributeNames(Map.of("#n", "name"))
                        .expressionAttributeValues(Map.of(":x", n("1")))).build());
        assertEquals("An operand in the update expression has an incorrect data type", e.cancellationReasons().get(1).message());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t4-b")))).hasItem());
    }

    @Test
    void consumedCapacityIsTwiceTheSingleItemUnits() {
        ddb.putItem(b -> b.tableName("Accounts").item(account("t5-a", 1)));
        TransactWriteItemsResponse response = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(put("Accounts", Map.of("id", s("t5-a"), "big", s("x".repeat(1500)))),
                        check("t5-missing", "attribute_not_exists(id)"),
                        put("Orders", Map.of("customer", s("t5"), "order", n("1")))));
        // 2 KB put: 2 units x 2; a check of a missing item: 1 write unit x 2; a small put: 1 x 2.
        assertEquals(List.of(capacity("Accounts", 6.0), capacity("Orders", 2.0)), response.consumedCapacity());

        // A check is billed as a write of its item, as DynamoDB bills it: a 3 KB item, 3 write units x 2 (not 1 read unit x 2).
        ddb.putItem(b -> b.tableName("Accounts").item(Map.of("id", s("t5-b"), "big", s("x".repeat(3000)))));
        TransactWriteItemsResponse checked = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(check("t5-b", "attribute_exists(id)")));
        assertEquals(List.of(capacity("Accounts", 6.0)), checked.consumedCapacity());
    }

    /** With INDEXES a transaction reports each global index's units, twice those of the same write outside a transaction. */
    @Test
    void consumedCapacityCountsTheIndexesAWriteChanges() {
        ddb.createTable(b -> b.tableName("Indexed").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(GlobalSecondaryIndexTest.definition("id", ScalarAttributeType.S),
                        GlobalSecondaryIndexTest.definition("tag", ScalarAttributeType.S))
                .keySchema(GlobalSecondaryIndexTest.key("id", KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byTag")
                        .keySchema(GlobalSecondaryIndexTest.key("tag", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
        TransactWriteItemsResponse response = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .transactItems(put("Indexed", Map.of("id", s("i1"), "tag", s("t"))), put("Indexed", Map.of("id", s("i2")))));
        ConsumedCapacity consumed = response.consumedCapacity().get(0);
        // Two small puts: 1 unit each x 2 on the table; only the first has a byTag entry: 1 x 2.
        assertEquals(6.0, consumed.capacityUnits());
        assertEquals(6.0, consumed.writeCapacityUnits());
        assertEquals(4.0, consumed.table().capacityUnits());
        assertEquals(Map.of("byTag", Capacity.builder().capacityUnits(2.0).writeCapacityUnits(2.0).build()),
                consumed.globalSecondaryIndexes());

        // Moving the entry to another index key deletes the old one and writes a new one.
        ConsumedCapacity moved = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .transactItems(TransactWriteItem.builder().update(u -> u.tableName("Indexed").key(Map.of("id", s("i1")))
                        .updateExpression("SET tag = :t").expressionAttributeValues(Map.of(":t", s("u")))).build())).consumedCapacity().get(0);
        assertEquals(2.0, moved.table().capacityUnits());
        assertEquals(4.0, moved.globalSecondaryIndexes().get("byTag").capacityUnits());
        assertEquals(6.0, moved.capacityUnits());
    }

    /** The 4 MB counts an Update's values, not only its key, and ExecuteTransaction is held to it too. */
    @Test
    void updatesAndPartiqlStatementsCountTowardFourMegabytes() {
        String big = "x".repeat(350 * 1024);
        List<TransactWriteItem> updates = new ArrayList<>();
        for (int i = 0; i < 12; i++) updates.add(update("t11-" + i, "SET body = :b", Map.of(":b", s(big)), null));
        invalid("Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction "
                + "exceeding the 4MB limit", () -> ddb.transactWriteItems(b -> b.transactItems(updates)));
        ddb.transactWriteItems(b -> b.transactItems(updates.subList(0, 11)));
        assertEquals(big, get("t11-10").get("body").s(), "eleven fit in 4 MB");
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t11-11")))).hasItem());

        List<ParameterizedStatement> inserts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inserts.add(ParameterizedStatement.builder().statement("INSERT INTO Accounts VALUE {'id': ?, 'body': ?}")
                    .parameters(s("t11-p" + i), s(big)).build());
        }
        invalid("Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction "
                + "exceeding the 4MB limit", () -> ddb.executeTransaction(b -> b.transactStatements(inserts)));
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t11-p0")))).hasItem());
    }

    /** DynamoDB refuses a token sent again "with a change in other parameters", ReturnConsumedCapacity among them. */
    @Test
    void aTokenSentAgainWithOtherParametersIsAMismatch() {
        Consumer<TransactWriteItemsRequest.Builder> create = b -> b.clientRequestToken("token-t12")
                .transactItems(put("Accounts", account("t12-a", 1)));
        ddb.transactWriteItems(create);
        ddb.transactWriteItems(create);
        assertThrows(IdempotentParameterMismatchException.class,
                () -> ddb.transactWriteItems(b -> create.accept(b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))));
        assertThrows(IdempotentParameterMismatchException.class,
                () -> ddb.transactWriteItems(b -> create.accept(b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE))));
    }

    /** A transaction's units, named as writes too, as DynamoDB splits a transaction's units (a replay's as reads). */
    private static ConsumedCapacity capacity(String table, double units) {
        return ConsumedCapacity.builder().tableName(table).capacityUnits(units).writeCapacityUnits(units).build();
    }

    private static ConsumedCapacity readCapacity(String table, double units) {
        return ConsumedCapacity.builder().tableName(table).capacityUnits(units).readCapacityUnits(units).build();
    }

    @Test
    void aClientRequestTokenAppliesItsRequestOnce() {
        ddb.putItem(b -> b.tableName("Accounts").item(account("t6-a", 0)));
        Consumer<TransactWriteItemsRequest.Builder> increment = b -> b.clientRequestToken("token-t6")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(update("t6-a", "ADD balance :one", Map.of(":one", n("1")), null));
        ddb.transactWriteItems(increment);
        ddb.transactWriteItems(increment);
        TransactWriteItemsResponse replay = ddb.transactWriteItems(increment);
        assertEquals("1", get("t6-a").get("balance").n(), "the same request under the same token is applied once");
        assertEquals(List.of(readCapacity("Accounts", 2.0)), replay.consumedCapacity(), "a replay is charged as transactional reads");

        IdempotentParameterMismatchException mismatch = assertThrows(IdempotentParameterMismatchException.class,
                () -> ddb.transactWriteItems(b -> b.clientRequestToken("token-t6")
                        .transactItems(update("t6-a", "ADD balance :one", Map.of(":one", n("2")), null))));
        assertEquals("IdempotentParameterMismatchException", mismatch.awsErrorDetails().errorCode());
        assertEquals("1", get("t6-a").get("balance").n());

        ddb.transactWriteItems(b -> b.clientRequestToken("token-t6-other")
                .transactItems(update("t6-a", "ADD balance :one", Map.of(":one", n("1")), null)));
        assertEquals("2", get("t6-a").get("balance").n(), "another token is another request");
    }

    @Test
    void aCancelledRequestLeavesItsTokenFreeToRunAgain() {
        Consumer<TransactWriteItemsRequest.Builder> create = b -> b.clientRequestToken("token-t7")
                .transactItems(put("Accounts", account("t7-a", 1), "attribute_exists(id)"));
        assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(create));
        ddb.putItem(b -> b.tableName("Accounts").item(account("t7-a", 0)));
        ddb.transactWriteItems(create);
        assertEquals("1", get("t7-a").get("balance").n());
    }

    /**
     * A cancelled transaction's answer goes out while its coordinator records the end and
     * passivates; the same token sent at once may meet that coordinator stopping, and must still
     * run (without the SDK's retries to hide a lost request).
     */
    @Test
    void aTokenReusedAtOnceAfterACancellationRuns() {
        try (DynamoDbClient ddb = TestNode.noRetryClient(node.server().endpoint())) {
            for (int i = 0; i < 10; i++) {
                String id = "t13-" + i;
                String token = "token-t13-" + i;
                assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b.clientRequestToken(token)
                        .transactItems(put("Accounts", account(id, 1), "attribute_exists(id)"))));
                ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(put("Accounts", account(id, 2))));
                assertEquals("2", get(id).get("balance").n(), id);
            }
        }
    }

    @Test
    void oneHundredActionsAreAllowedAndOneMoreIsNot() {
        List<TransactWriteItem> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) hundred.add(put("Accounts", account("t8-" + i, i)));
        ddb.transactWriteItems(b -> b.transactItems(hundred));
        assertEquals("99", get("t8-99").get("balance").n());

        List<TransactWriteItem> tooMany = new ArrayList<>(hundred);
        tooMany.add(put("Accounts", account("t8-100", 100)));
        var e = assertThrows(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(tooMany)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().matches("(?s)1 validation error detected: Value '\\[.+\\]' at 'transactItems' "
                + "failed to satisfy constraint: Member must have length less than or equal to 100"), e.awsErrorDetails().errorMessage());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t8-100")))).hasItem());
    }

    @Test
    void requestErrorsWriteNothing() {
        invalid("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1", () -> ddb.transactWriteItems(b -> b.transactItems(List.of())));
        invalid("Transaction request cannot include multiple operations on one item",
                () -> transact(put("Accounts", account("t9-a", 1)), check("t9-a", "attribute_not_exists(id)")));
        rejected("ResourceNotFoundException", "Requested resource not found",
                () -> transact(put("Accounts", account("t9-b", 1)), put("Missing", account("t9-b", 1))));
        invalid("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                + "string value. Key: id", () -> transact(put("Accounts", account("t9-c", 1)), put("Accounts", Map.of("id", s("")))));
        invalid("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                + "string value. Key: id", () -> transact(put("Accounts", account("t9-c", 1)), delete("")));
        invalid("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \">\"",
                () -> transact(put("Accounts", account("t9-d", 1), "balance >")));
        invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                () -> transact(update("t9-e", "SET balance = :x", Map.of(":x", n("1"), ":unused", n("2")), null)));
        invalid("Item size has exceeded the maximum allowed size",
                () -> transact(put("Accounts", Map.of("id", s("t9-f"), "big", s("x".repeat(400 * 1024))))));
        for (String id : List.of("t9-a", "t9-b", "t9-c", "t9-d", "t9-e", "t9-f")) {
            assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s(id)))).hasItem(), id);
        }
    }

    @Test
    void aKeyThatDoesNotFitTheSchemaIsTheActionsValidationError() {
        TransactionCanceledException wrongType = cancelled(List.of("None", "ValidationError"),
                put("Accounts", account("t10-a", 1)), put("Accounts", Map.of("id", n("5"))));
        assertEquals("One or more parameter values were invalid: Type mismatch for key id expected: S actual: N",
                wrongType.cancellationReasons().get(1).message());
        TransactionCanceledException badKey = cancelled(List.of("ValidationError"), TransactWriteItem.builder()
                .delete(d -> d.tableName("Accounts").key(Map.of("id", s("x"), "extra", s("y")))).build());
        assertEquals("The provided key element does not match the schema", badKey.cancellationReasons().get(0).message());
        TransactionCanceledException keyUpdate = cancelled(List.of("ValidationError"),
                update("t10-b", "SET id = :x", Map.of(":x", s("other")), null));
        assertEquals("One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
                keyUpdate.cancellationReasons().get(0).message());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t10-a")))).hasItem());
        // Checking stops at the first ValidationError: the actions after it are None, whatever they hold (ScyllaDB's tests, run against DynamoDB).
        TransactionCanceledException first = cancelled(List.of("ValidationError", "None", "None"),
                put("Accounts", Map.of("id", n("7"))), put("Accounts", Map.of("id", n("8"))), put("Accounts", account("t10-d", 1), "attribute_exists(id)"));
        assertEquals(null, first.cancellationReasons().get(1).message());
        // A key value too long is the action's too, unlike an empty one (a 2026 test suite run against DynamoDB).
        TransactionCanceledException tooLong = cancelled(List.of("None", "ValidationError"),
                put("Accounts", account("t10-c", 1)), delete("k".repeat(2049)));
        assertEquals("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                tooLong.cancellationReasons().get(1).message());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t10-c")))).hasItem());
    }

    @Test
    void placeholdersWithoutAnExpressionAreTakenUnused() {
        // Unlike PutItem and DeleteItem (a 2026 test suite run against DynamoDB); with an expression, unused ones are refused.
        transact(TransactWriteItem.builder().put(p -> p.tableName("Accounts").item(account("t11-a", 1))
                .expressionAttributeNames(Map.of("#n", "balance")).expressionAttributeValues(Map.of(":v", n("1")))).build());
        assertTrue(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t11-a")))).hasItem());
        transact(TransactWriteItem.builder().delete(d -> d.tableName("Accounts").key(Map.of("id", s("t11-a")))
                .expressionAttributeNames(Map.of("#n", "balance"))).build());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t11-a")))).hasItem());
        invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}",
                () -> transact(TransactWriteItem.builder().put(p -> p.tableName("Accounts").item(account("t11-b", 1))
                        .conditionExpression("attribute_not_exists(id)").expressionAttributeNames(Map.of("#n", "balance"))).build()));
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t11-b")))).hasItem());
    }

    @Test
    void aCommittedTransactionsWritesAppearInTheStreamAndACancelledOnesDoNot() {
        String arn = StreamsTest.createStreamed(ddb, "Streamed", StreamViewType.NEW_AND_OLD_IMAGES).latestStreamArn();
        ddb.putItem(b -> b.tableName("Streamed").item(StreamsTest.item("a", 1, "before")));
        ddb.putItem(b -> b.tableName("Streamed").item(StreamsTest.item("b", 1, "doomed")));
        ddb.putItem(b -> b.tableName("Streamed").item(StreamsTest.item("c", 1, "checked")));
        Set<String> before = new java.util.HashSet<>();
        StreamReader.readAll(node.server().streamsClient(), arn, 1000).forEach(r -> before.add(r.eventID()));

        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName("Streamed").key(StreamsTest.key("a", 1))
                        .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("after")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName("Streamed").key(StreamsTest.key("b", 1))).build(),
                TransactWriteItem.builder().put(p -> p.tableName("Streamed").item(StreamsTest.item("d", 1, "new"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("Streamed").key(StreamsTest.key("c", 1))
                        .conditionExpression("attribute_exists(pk)")).build()));
        assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("Streamed").item(StreamsTest.item("e", 1, "never"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("Streamed").key(StreamsTest.key("c", 1))
                        .conditionExpression("attribute_not_exists(pk)")).build())));

        List<Record> records = StreamReader.readAll(node.server().streamsClient(), arn, 1000);
        Map<String, Record> byItem = new java.util.HashMap<>();
        for (Record r : records) {
            if (!before.contains(r.eventID())) byItem.put(r.dynamodb().keys().get("pk").s(), r);
        }
        assertEquals(Set.of("a", "b", "d"), byItem.keySet(), "the committed writes, and nothing of the check or the cancelled one");
        assertEquals(before.size() + 3, records.size(), "one record per committed write");
        assertEquals(OperationType.MODIFY, byItem.get("a").eventName());
        assertEquals(StreamsTest.item("a", 1, "before"), byItem.get("a").dynamodb().oldImage());
        assertEquals(StreamsTest.item("a", 1, "after"), byItem.get("a").dynamodb().newImage());
        assertEquals(OperationType.REMOVE, byItem.get("b").eventName());
        assertEquals(OperationType.INSERT, byItem.get("d").eventName());
    }

    @Test
    void malformedActionsAreRefusedBeforeAnythingRuns() throws Exception {
        TestTables.Raw none = TestTables.raw(node.server(), "TransactWriteItems", "{'TransactItems':[{}]}");
        assertEquals("1 validation error detected: Value '' at 'transactItems' failed to satisfy constraint: "
                + "TransactWriteRequest should contain Delete or Put or Update or ConditionCheck", none.message());
        TestTables.Raw two = TestTables.raw(node.server(), "TransactWriteItems",
                "{'TransactItems':[{'Put':{'TableName':'Accounts','Item':{'id':{'S':'t11'}}},"
                        + "'Delete':{'TableName':'Accounts','Key':{'id':{'S':'t11'}}}}]}");
        assertEquals("TransactItems can only contain one of Check, Put, Update or Delete", two.message());
        TestTables.Raw constraints = TestTables.raw(node.server(), "TransactWriteItems",
                "{'ClientRequestToken':'','TransactItems':[{'ConditionCheck':{'TableName':'Accounts','Key':{'id':{'S':'t11'}}}},"
                        + "{'Update':{'TableName':'x','Key':{'id':{'S':'t11'}}}}]}");
        assertEquals("com.amazon.coral.validate#ValidationException", constraints.type());
        assertEquals("4 validation errors detected: "
                + "Value '' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 1; "
                + "Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null; "
                + "Value 'x' at 'transactItems.2.member.update.tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
                + "Value null at 'transactItems.2.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
                constraints.message());
        String token = "x".repeat(37);
        TestTables.Raw tokenFirst = TestTables.raw(node.server(), "TransactWriteItems", "{'ClientRequestToken':'" + token
                + "','ReturnConsumedCapacity':'BOGUS','TransactItems':[{'Put':{'TableName':'Accounts','Item':{'id':{'S':'t11'}}}}]}");
        assertEquals("2 validation errors detected: Value '" + token + "' at 'clientRequestToken' failed to satisfy constraint: "
                + "Member must have length less than or equal to 36; Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", tokenFirst.message());
        assertFalse(ddb.getItem(b -> b.tableName("Accounts").key(Map.of("id", s("t11")))).hasItem());
    }

    @Test
    void cancellationsAreRenderedAsDynamoDbSendsThem() throws Exception {
        ddb.putItem(b -> b.tableName("Accounts").item(account("t12", 3)));
        TestTables.Raw raw = TestTables.raw(node.server(), "TransactWriteItems",
                "{'TransactItems':[{'Put':{'TableName':'Accounts','Item':{'id':{'S':'t12-new'}}}},"
                        + "{'ConditionCheck':{'TableName':'Accounts','Key':{'id':{'S':'t12'}},"
                        + "'ConditionExpression':'attribute_not_exists(id)','ReturnValuesOnConditionCheckFailure':'ALL_OLD'}}]}");
        assertEquals(400, raw.status());
        assertEquals(Json.MAPPER.readTree(("{'__type':'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',"
                + "'CancellationReasons':[{'Code':'None'},{'Code':'ConditionalCheckFailed',"
                + "'Item':{'id':{'S':'t12'},'balance':{'N':'3'}},'Message':'The conditional request failed'}],"
                + "'Message':'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]'}")
                .replace('\'', '"')), raw.body());
        assertEquals(List.of("__type", "CancellationReasons", "Message"), fieldNames(raw.body()), "the message key is Message, last");
        assertEquals(List.of("Code", "Item", "Message"), fieldNames(raw.body().get("CancellationReasons").get(1)));
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
