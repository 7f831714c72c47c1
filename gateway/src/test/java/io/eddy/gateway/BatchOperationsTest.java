package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem and BatchGetItem end to end: several tables, limits, unprocessed keys, capacity, errors. */
class BatchOperationsTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Users", "id", ScalarAttributeType.S, null, null);
        TestTables.create(ddb, "Orders", "user", ScalarAttributeType.S, "no", ScalarAttributeType.N);
        TestTables.create(ddb, "Large", "id", ScalarAttributeType.N, null, null);
    }

    static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    static Map<String, AttributeValue> user(String id) {
        return node.client().getItem(r -> r.tableName("Users").key(Map.of("id", s(id))).consistentRead(true)).item();
    }

    static double unitsOf(List<ConsumedCapacity> capacities, String table) {
        return capacities.stream().filter(c -> c.tableName().equals(table)).findFirst().orElseThrow().capacityUnits();
    }

    @Test
    void writesAndDeletesOverSeveralTables() {
        ddb.putItem(r -> r.tableName("Users").item(Map.of("id", s("gone"))));
        BatchWriteItemResponse response = ddb.batchWriteItem(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .requestItems(Map.of(
                        "Users", List.of(put(Map.of("id", s("ann"), "bio", s("b".repeat(1500)))), put(Map.of("id", s("bob"))),
                                delete(Map.of("id", s("gone"))), delete(Map.of("id", s("never")))),
                        "Orders", List.of(put(Map.of("user", s("ann"), "no", n("1"))), put(Map.of("user", s("ann"), "no", n("2")))))));
        assertTrue(response.unprocessedItems().isEmpty());
        assertFalse(response.hasItemCollectionMetrics());
        assertEquals("b".repeat(1500), user("ann").get("bio").s());
        assertEquals(Map.of("id", s("bob")), user("bob"));
        assertTrue(user("gone").isEmpty());
        assertEquals(2, ddb.query(r -> r.tableName("Orders").keyConditionExpression("#u = :u")
                .expressionAttributeNames(Map.of("#u", "user")).expressionAttributeValues(Map.of(":u", s("ann")))).count());
        // 2 units for the 1.5 KB item, 1 for each small write and for each delete, found or not.
        assertEquals(5.0, unitsOf(response.consumedCapacity(), "Users"));
        assertEquals(2.0, unitsOf(response.consumedCapacity(), "Orders"));
        assertEquals(5.0, response.consumedCapacity().stream().filter(c -> c.tableName().equals("Users")).findFirst()
                .orElseThrow().table().capacityUnits());
    }

    @Test
    void anInvalidBatchWritesNothing() {
        List<WriteRequest> valid = List.of(put(Map.of("id", s("innocent"))));
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found",
                () -> ddb.batchWriteItem(r -> r.requestItems(Map.of("Users", valid, "Nowhere", valid))));
        invalid("Provided list of item keys contains duplicates", () -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Users", List.of(put(Map.of("id", s("innocent"))), put(Map.of("id", s("dup"), "v", n("1"))), delete(Map.of("id", s("dup"))))))));
        invalid("The provided key element does not match the schema", () -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Users", List.of(put(Map.of("id", s("innocent"))), put(Map.of("name", s("no key"))))))));
        invalid("The provided key element does not match the schema", () -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Orders", List.of(put(Map.of("user", s("x"), "no", s("not a number"))))))));
        invalid("The provided key element does not match the schema", () -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Users", List.of(put(Map.of("id", s("innocent"))), delete(Map.of("id", s("a"), "extra", s("b"))))))));
        invalid("Item size has exceeded the maximum allowed size", () -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Users", List.of(put(Map.of("id", s("innocent"))), put(Map.of("id", s("huge"), "data", s("x".repeat(400 * 1024)))))))));
        invalid("One or more parameter values were invalid: An string set  may not be empty", () -> ddb.batchWriteItem(r -> r.requestItems(
                Map.of("Users", List.of(put(Map.of("id", s("innocent"), "tags", AttributeValue.fromSs(List.of()))))))));
        assertTrue(user("innocent").isEmpty());
        assertTrue(user("dup").isEmpty());
    }

    @Test
    void batchWriteLimits() throws Exception {
        List<WriteRequest> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) many.add(put(Map.of("id", s("u" + i))));
        var e = assertThrows(DynamoDbException.class,
                () -> ddb.batchWriteItem(r -> r.requestItems(Map.of("Users", many))));
        String message = e.awsErrorDetails().errorMessage();
        assertTrue(message.startsWith("1 validation error detected: Value '{"), message);
        assertTrue(message.endsWith("}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"), message);
        invalid("Too many items requested for the BatchWriteItem call", () -> ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Users", many.subList(0, 13), "Orders", List.of(
                        put(Map.of("user", s("a"), "no", n("1"))), put(Map.of("user", s("a"), "no", n("2"))),
                        put(Map.of("user", s("a"), "no", n("3"))), put(Map.of("user", s("a"), "no", n("4"))),
                        put(Map.of("user", s("a"), "no", n("5"))), put(Map.of("user", s("a"), "no", n("6"))),
                        put(Map.of("user", s("a"), "no", n("7"))), put(Map.of("user", s("a"), "no", n("8"))),
                        put(Map.of("user", s("a"), "no", n("9"))), put(Map.of("user", s("a"), "no", n("10"))),
                        put(Map.of("user", s("a"), "no", n("11"))), put(Map.of("user", s("a"), "no", n("12"))),
                        put(Map.of("user", s("a"), "no", n("13"))))))));
        assertTrue(user("u0").isEmpty());

        assertEquals("The requestItems parameter is required for BatchWriteItem",
                TestTables.raw(node.server(), "BatchWriteItem", "{'RequestItems':{}}").message());
        assertEquals("2 validation errors detected: Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [SIZE, NONE]; Value null at 'requestItems' failed to satisfy constraint: "
                + "Member must not be null", TestTables.raw(node.server(), "BatchWriteItem", "{'ReturnItemCollectionMetrics':'hi'}").message());
        // An unknown enum is reported alone over a malformed table name in BatchWriteItem, and after it in
        // BatchGetItem (the conformance suite's capture, eu-west-2 and us-east-1, 2026-10).
        String badRcc = "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[INDEXES, TOTAL, NONE]";
        assertEquals("1 validation error detected: " + badRcc, TestTables.raw(node.server(), "BatchWriteItem",
                "{'RequestItems':{'bad!name':[{'PutRequest':{'Item':{'user':{'S':'a'}}}}]},'ReturnConsumedCapacity':'BOGUS'}").message());
        assertEquals("2 validation errors detected: Value '{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}}' at 'requestItems' failed "
                + "to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must "
                + "have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; " + badRcc,
                TestTables.raw(node.server(), "BatchGetItem",
                        "{'RequestItems':{'bad!name':{'Keys':[{'pk':{'S':'a'}}]}},'ReturnConsumedCapacity':'BOGUS'}").message());
        TestTables.Raw shortName = TestTables.raw(node.server(), "BatchWriteItem", "{'RequestItems':{'ab':[{'DeleteRequest':{}}]}}");
        assertTrue(shortName.message().startsWith("2 validation errors detected: Value '{"), shortName.message());
        assertTrue(shortName.message().contains("' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "
                + "[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; "
                + "Value null at 'requestItems.ab.member.1.member.deleteRequest.key' failed to satisfy constraint: Member must not be null"),
                shortName.message());
        assertEquals("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                TestTables.raw(node.server(), "BatchWriteItem", "{'RequestItems':{'Users':[{}]}}").message());
        TestTables.Raw metrics = TestTables.raw(node.server(), "BatchWriteItem",
                "{'RequestItems':{'Users':[{'PutRequest':{'Item':{'id':{'S':'metrics'}}}}]},'ReturnItemCollectionMetrics':'SIZE'}");
        assertEquals(Json.MAPPER.readTree("{\"UnprocessedItems\":{}}"), metrics.body(), "no item collections without local indexes");
    }

    @Test
    void getsOverSeveralTablesWithProjectionsAndCapacity() {
        ddb.batchWriteItem(r -> r.requestItems(Map.of(
                "Users", List.of(put(Map.of("id", s("cat"), "name", s("Cat"), "bio", s("x".repeat(4096 - 20)))), put(Map.of("id", s("dan")))),
                "Orders", List.of(put(Map.of("user", s("cat"), "no", n("7"), "total", n("12.5")))))));
        BatchGetItemResponse response = ddb.batchGetItem(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).requestItems(Map.of(
                "Users", KeysAndAttributes.builder().keys(Map.of("id", s("cat")), Map.of("id", s("dan")), Map.of("id", s("nobody")))
                        .projectionExpression("#n, id").expressionAttributeNames(Map.of("#n", "name")).build(),
                "Orders", KeysAndAttributes.builder().keys(Map.of("user", s("cat"), "no", n("7.0"))).consistentRead(true).build())));
        assertEquals(Set.of(Map.of("id", s("cat"), "name", s("Cat")), Map.of("id", s("dan"))),
                new HashSet<>(response.responses().get("Users")));
        assertEquals(List.of(Map.of("user", s("cat"), "no", n("7"), "total", n("12.5"))), response.responses().get("Orders"));
        assertTrue(response.unprocessedKeys().isEmpty());
        // Each key is a read of its own: half a unit for each of three eventually consistent keys, found or not.
        assertEquals(1.5, unitsOf(response.consumedCapacity(), "Users"));
        assertEquals(1.0, unitsOf(response.consumedCapacity(), "Orders"));

        BatchGetItemResponse legacy = ddb.batchGetItem(r -> r.requestItems(Map.of("Users",
                KeysAndAttributes.builder().keys(Map.of("id", s("cat"))).attributesToGet("name", "missing").build())));
        assertEquals(List.of(Map.of("name", s("Cat"))), legacy.responses().get("Users"));
        assertFalse(legacy.hasConsumedCapacity());
    }

    @Test
    void aTableNamedByItsNameAndItsArnIsReadOnce() {
        // DynamoDB answers with one entry (a 2026 test suite run against it).
        ddb.putItem(r -> r.tableName("Users").item(Map.of("id", s("twice"))));
        Map<String, KeysAndAttributes> both = new java.util.LinkedHashMap<>();
        both.put("arn:aws:dynamodb:us-east-1:000000000000:table/Users", KeysAndAttributes.builder().keys(Map.of("id", s("twice"))).build());
        both.put("Users", KeysAndAttributes.builder().keys(Map.of("id", s("twice"))).build());
        BatchGetItemResponse response = ddb.batchGetItem(r -> r.requestItems(both));
        assertEquals(1, response.responses().size(), response.responses().toString());
        assertEquals(List.of(Map.of("id", s("twice"))), response.responses().values().iterator().next());
    }

    @Test
    void batchGetErrors() throws Exception {
        assertEquals("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
                TestTables.raw(node.server(), "BatchGetItem", "{}").message());
        assertEquals("The requestItems parameter is required for BatchGetItem",
                TestTables.raw(node.server(), "BatchGetItem", "{'RequestItems':{},'ReturnConsumedCapacity':'hi'}").message());
        assertEquals("1 validation error detected: Value at 'RequestItems.Users.member.Keys' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1",
                TestTables.raw(node.server(), "BatchGetItem", "{'RequestItems':{'Users':{'Keys':[]}}}").message());
        assertEquals("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                TestTables.raw(node.server(), "BatchGetItem", "{'RequestItems':{'Users':{'Keys':[{'id':{}}]}}}").message());
        invalid("Provided list of item keys contains duplicates", () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Users",
                KeysAndAttributes.builder().keys(Map.of("id", s("a")), Map.of("id", s("b")), Map.of("id", s("a"))).build()))));
        invalid("Provided list of item keys contains duplicates", () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Orders",
                KeysAndAttributes.builder().keys(Map.of("user", s("a"), "no", n("1")), Map.of("no", n("1.00"), "user", s("a"))).build()))));
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 101; i++) keys.add(Map.of("id", s("k" + i)));
        invalid("Too many items requested for the BatchGetItem call", () -> ddb.batchGetItem(r -> r.requestItems(Map.of(
                "Users", KeysAndAttributes.builder().keys(keys.subList(0, 60)).build(),
                "Large", KeysAndAttributes.builder().keys(List.of(Map.of("id", n("1")), Map.of("id", n("2")))).build(),
                "Orders", KeysAndAttributes.builder().keys(keys.subList(60, 100).stream().map(k -> Map.of("user", k.get("id"), "no", n("1"))).toList()).build()))));
        var tooMany = assertThrows(DynamoDbException.class,
                () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Users", KeysAndAttributes.builder().keys(keys).build()))));
        assertEquals("1 validation error detected: Value at 'RequestItems.Users.member.Keys' failed to satisfy constraint: "
                + "Member must have length less than or equal to 100", tooMany.awsErrorDetails().errorMessage());
        invalid("The provided key element does not match the schema", () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Orders",
                KeysAndAttributes.builder().keys(Map.of("user", s("a"))).build()))));
        invalid("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Users", KeysAndAttributes.builder().keys(Map.of("id", s("a")))
                        .attributesToGet("id").projectionExpression("id").build()))));
        invalid("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                () -> ddb.batchGetItem(r -> r.requestItems(Map.of(
                        "Users", KeysAndAttributes.builder().keys(Map.of("id", s("a"))).projectionExpression("id").build(),
                        "Orders", KeysAndAttributes.builder().keys(Map.of("user", s("a"), "no", n("1"))).attributesToGet("no").build()))));
        invalid("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Users", KeysAndAttributes.builder().keys(Map.of("id", s("a")))
                        .projectionExpression("#x").build()))));
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found", () -> ddb.batchGetItem(r -> r.requestItems(Map.of(
                "Users", KeysAndAttributes.builder().keys(Map.of("id", s("a"))).build(),
                "Nowhere", KeysAndAttributes.builder().keys(Map.of("id", s("a"))).build()))));
    }

    @Test
    void responsesOver16MegabytesLeaveUnprocessedKeys() {
        String payload = "z".repeat(390 * 1024);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = batch * 23; i < batch * 23 + 23; i++) {
                writes.add(put(Map.of("id", n(Integer.toString(i)), "data", s(payload))));
                keys.add(Map.of("id", n(Integer.toString(i))));
            }
            assertTrue(ddb.batchWriteItem(r -> r.requestItems(Map.of("Large", writes))).unprocessedItems().isEmpty());
        }
        BatchGetItemResponse first = ddb.batchGetItem(r -> r.requestItems(Map.of("Large",
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build())).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        // 42 items of 390 KB fit in 16 MB; the other four keys come back to be asked for again.
        assertEquals(42, first.responses().get("Large").size());
        KeysAndAttributes left = first.unprocessedKeys().get("Large");
        assertEquals(keys.subList(42, 46), left.keys());
        assertTrue(left.consistentRead());
        assertEquals(42 * 98.0, unitsOf(first.consumedCapacity(), "Large"), "98 units of 4 KB per item, strongly consistent");

        Set<String> ids = new HashSet<>();
        int pages = 0;
        for (BatchGetItemResponse page : ddb.batchGetItemPaginator(r -> r.requestItems(Map.of("Large",
                KeysAndAttributes.builder().keys(keys).projectionExpression("id, #d").expressionAttributeNames(Map.of("#d", "data")).build())))) {
            page.responses().get("Large").forEach(item -> assertTrue(ids.add(item.get("id").n())));
            pages++;
        }
        assertEquals(46, ids.size());
        assertEquals(2, pages);
    }
}
