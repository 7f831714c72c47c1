package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalOperator;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The legacy parameters older clients still send, end to end: Expected with ConditionalOperator on
 * PutItem, UpdateItem and DeleteItem; AttributeUpdates; QueryFilter and ScanFilter; AttributesToGet.
 */
class LegacyParametersTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    private static final String ENVELOPE = "1 validation error detected: ";
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Things", "id", ScalarAttributeType.S, null, null);
        TestTables.create(ddb, "Readings", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int i = 0; i < 6; i++) {
            Map<String, AttributeValue> reading = new HashMap<>(Map.of("pk", s("p"), "sk", n(Integer.toString(i)), "v", n(Integer.toString(i * 10))));
            if (i % 2 == 0) reading.put("even", AttributeValue.fromBool(true));
            ddb.putItem(b -> b.tableName("Readings").item(reading));
        }
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    static Map<String, AttributeValue> get(String id) {
        return node.client().getItem(b -> b.tableName("Things").key(key(id)).consistentRead(true)).item();
    }

    static Map<String, AttributeValue> item(String id, Object... namesAndValues) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        for (int i = 0; i < namesAndValues.length; i += 2) item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        return item;
    }

    static ExpectedAttributeValue value(AttributeValue value) {
        return ExpectedAttributeValue.builder().value(value).build();
    }

    static ExpectedAttributeValue compare(ComparisonOperator operator, AttributeValue... values) {
        return ExpectedAttributeValue.builder().comparisonOperator(operator).attributeValueList(values).build();
    }

    static ExpectedAttributeValue absent() {
        return ExpectedAttributeValue.builder().exists(false).build();
    }

    static AttributeValueUpdate action(AttributeAction action, AttributeValue value) {
        return AttributeValueUpdate.builder().action(action).value(value).build();
    }

    @Test
    void putItemWithExpected() {
        ddb.putItem(b -> b.tableName("Things").item(item("put", "a", n("1"))).expected(Map.of("id", absent())));
        ddb.putItem(b -> b.tableName("Things").item(item("put", "a", n("2"))).expected(Map.of("a", value(n("1")))));
        ddb.putItem(b -> b.tableName("Things").item(item("put", "a", n("3")))
                .expected(Map.of("a", compare(ComparisonOperator.GT, n("1")), "b", compare(ComparisonOperator.NULL))));
        assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName("Things")
                .item(item("put", "a", n("4"))).expected(Map.of("a", value(n("2"))))));
        assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName("Things")
                .item(item("put", "a", n("4"))).expected(Map.of("id", absent()))));
        assertEquals(n("3"), get("put").get("a"));
        Map<String, ExpectedAttributeValue> eitherOne = new LinkedHashMap<>();
        eitherOne.put("a", value(n("99")));
        eitherOne.put("b", absent());
        ddb.putItem(b -> b.tableName("Things").item(item("put", "a", n("5"))).expected(eitherOne).conditionalOperator(ConditionalOperator.OR));
        assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName("Things")
                .item(item("put", "a", n("6"))).expected(eitherOne).conditionalOperator(ConditionalOperator.AND)));
        assertEquals(n("5"), get("put").get("a"));
    }

    @Test
    void deleteItemWithExpected() {
        ddb.putItem(b -> b.tableName("Things").item(item("del", "tags", AttributeValue.fromSs(List.of("x", "y")))));
        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class,
                () -> ddb.deleteItem(b -> b.tableName("Things").key(key("del"))
                        .expected(Map.of("tags", compare(ComparisonOperator.NOT_CONTAINS, s("x"))))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(Set.of("x", "y"), Set.copyOf(failed.item().get("tags").ss()));
        ddb.deleteItem(b -> b.tableName("Things").key(key("del")).expected(Map.of("tags", compare(ComparisonOperator.CONTAINS, s("x")))));
        assertTrue(get("del").isEmpty());
    }

    @Test
    void updateItemWithAttributeUpdates() {
        ddb.putItem(b -> b.tableName("Things").item(item("upd", "gone", s("x"), "total", n("1"), "tags", AttributeValue.fromSs(List.of("a", "b")),
                "log", AttributeValue.fromL(List.of(s("one"))), "kept", s("k"))));
        Map<String, AttributeValueUpdate> updates = new LinkedHashMap<>();
        updates.put("title", action(AttributeAction.PUT, s("hello")));
        updates.put("gone", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build());
        updates.put("total", action(AttributeAction.ADD, n("4")));
        updates.put("tags", action(AttributeAction.DELETE, AttributeValue.fromSs(List.of("a"))));
        updates.put("log", action(AttributeAction.ADD, AttributeValue.fromL(List.of(s("two")))));
        Map<String, AttributeValue> old = ddb.updateItem(b -> b.tableName("Things").key(key("upd")).attributeUpdates(updates)
                .returnValues(ReturnValue.UPDATED_OLD)).attributes();
        assertEquals(Map.of("gone", s("x"), "total", n("1"), "tags", AttributeValue.fromSs(List.of("a", "b")),
                "log", AttributeValue.fromL(List.of(s("one")))), old);
        assertEquals(item("upd", "title", s("hello"), "total", n("5"), "tags", AttributeValue.fromSs(List.of("b")),
                "log", AttributeValue.fromL(List.of(s("one"), s("two"))), "kept", s("k")), get("upd"));
        Map<String, AttributeValue> fresh = ddb.updateItem(b -> b.tableName("Things").key(key("upd"))
                .attributeUpdates(Map.of("total", action(AttributeAction.ADD, n("-5")), "tags", action(AttributeAction.DELETE,
                        AttributeValue.fromSs(List.of("b"))))).returnValues(ReturnValue.UPDATED_NEW)).attributes();
        assertEquals(Map.of("total", n("0")), fresh);
        assertFalse(get("upd").containsKey("tags"));
    }

    @Test
    void attributeUpdatesCreateTheItem() {
        Map<String, AttributeValue> created = ddb.updateItem(b -> b.tableName("Things").key(key("made"))
                .attributeUpdates(Map.of("n", action(AttributeAction.ADD, n("5")), "ss", action(AttributeAction.ADD, AttributeValue.fromSs(List.of("a"))),
                        "nothing", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build()))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        assertEquals(item("made", "n", n("5"), "ss", AttributeValue.fromSs(List.of("a"))), created);
    }

    @Test
    void updateItemWithExpected() {
        ddb.putItem(b -> b.tableName("Things").item(item("cond", "v", n("1"))));
        ddb.updateItem(b -> b.tableName("Things").key(key("cond")).attributeUpdates(Map.of("v", action(AttributeAction.PUT, n("2"))))
                .expected(Map.of("v", compare(ComparisonOperator.BETWEEN, n("0"), n("1")))));
        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class, () -> ddb.updateItem(b -> b
                .tableName("Things").key(key("cond")).attributeUpdates(Map.of("v", action(AttributeAction.PUT, n("3"))))
                .expected(Map.of("v", compare(ComparisonOperator.IN, n("0"), n("1"))))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(item("cond", "v", n("2")), failed.item());
        assertEquals(n("2"), get("cond").get("v"));
    }

    @Test
    void placeholderValuesWithoutExpressionsAreRefused() {
        // Without the ": ConditionExpression is null" us-east-1 appended until mid-2026 (the conformance suite's captures).
        Map<String, AttributeValue> values = Map.of(":v", s("x"));
        String refused = "ExpressionAttributeValues can only be specified when using expressions";
        // The single-item writes refuse it inside the envelope of their newer request layer (RequestLayer).
        invalid(ENVELOPE + refused, () -> ddb.putItem(b -> b.tableName("Things").item(key("ph")).expressionAttributeValues(values)));
        invalid(ENVELOPE + refused, () -> ddb.deleteItem(b -> b.tableName("Things").key(key("ph")).expressionAttributeValues(values)));
        invalid(ENVELOPE + refused, () -> ddb.updateItem(b -> b.tableName("Things").key(key("ph")).expressionAttributeValues(values)));
        invalid(refused, () -> ddb.scan(b -> b.tableName("Things").expressionAttributeValues(values)));
        invalid(refused, () -> ddb.query(b -> b.tableName("Readings").expressionAttributeValues(values)
                .keyConditions(Map.of("pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p")).build()))));
        invalid("ExpressionAttributeNames can only be specified when using expressions",
                () -> ddb.scan(b -> b.tableName("Things").expressionAttributeNames(Map.of("#a", "a"))));
        assertTrue(get("ph").isEmpty());
    }

    /** The request checks of the single-item writes are refused in the envelope; what they find against the table, bare. */
    @Test
    void legacyErrors() {
        invalid(ENVELOPE + "Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}",
                () -> ddb.updateItem(b -> b.tableName("Things").key(key("e")).updateExpression("REMOVE a").conditionExpression("attribute_exists(b)")
                        .attributeUpdates(Map.of("a", action(AttributeAction.PUT, n("1")))).expected(Map.of("a", absent()))));
        invalid(ENVELOPE + "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a",
                () -> ddb.putItem(b -> b.tableName("Things").item(key("e")).expected(Map.of("a",
                        ExpectedAttributeValue.builder().exists(true).build()))));
        invalid(ENVELOPE + "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
                () -> ddb.putItem(b -> b.tableName("Things").item(key("e")).expected(Map.of("a", compare(ComparisonOperator.BEGINS_WITH, n("3"))))));
        invalid(ENVELOPE + "ConditionalOperator cannot be used without Filter or Expected",
                () -> ddb.putItem(b -> b.tableName("Things").item(key("e")).conditionalOperator(ConditionalOperator.OR)));
        invalid(ENVELOPE + "One or more parameter values were invalid: ADD action is not supported for the type S",
                () -> ddb.updateItem(b -> b.tableName("Things").key(key("e")).attributeUpdates(Map.of("a", action(AttributeAction.ADD, s("x"))))));
        invalid(ENVELOPE + "One or more parameter values were invalid: DELETE action with value is not supported for the type N",
                () -> ddb.updateItem(b -> b.tableName("Things").key(key("e")).attributeUpdates(Map.of("a", action(AttributeAction.DELETE, n("1"))))));
        invalid(ENVELOPE + "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                () -> ddb.updateItem(b -> b.tableName("Things").key(key("e")).attributeUpdates(Map.of("a",
                        AttributeValueUpdate.builder().action(AttributeAction.ADD).build()))));
        invalid("One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
                () -> ddb.updateItem(b -> b.tableName("Things").key(key("e")).attributeUpdates(Map.of("id", action(AttributeAction.PUT, s("f"))))));
        ddb.putItem(b -> b.tableName("Things").item(item("typed", "ns", AttributeValue.fromNs(List.of("1")))));
        invalid("Type mismatch for attribute to update",
                () -> ddb.updateItem(b -> b.tableName("Things").key(key("typed")).attributeUpdates(Map.of("ns", action(AttributeAction.ADD, n("1"))))));
        assertTrue(get("e").isEmpty());
        assertEquals(item("typed", "ns", AttributeValue.fromNs(List.of("1"))), get("typed"));
    }

    @Test
    void legacyErrorsTheSdkWouldNotSend() throws Exception {
        assertEquals(ENVELOPE + "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a",
                TestTables.raw(node.server(), "PutItem", "{'TableName':'Things','Item':{'id':{'S':'x'}},'Expected':{'a':{}}}").message());
        assertEquals("1 validation error detected: Value 'PUSH' at 'attributeUpdates.a.member.action' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ADD, PUT, DELETE]",
                TestTables.raw(node.server(), "UpdateItem", "{'TableName':'Things','Key':{'id':{'S':'x'}},'AttributeUpdates':{'a':{'Action':'PUSH'}}}").message());
        TestTables.Raw badExists = TestTables.raw(node.server(), "PutItem", "{'TableName':'Things','Item':{'id':{'S':'x'}},'Expected':{'a':{'Exists':'yes'}}}");
        assertEquals("com.amazon.coral.service#SerializationException", badExists.type());
        assertTrue(get("x").isEmpty());
    }

    @Test
    void queryFilterAndScanFilter() {
        Condition even = Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).build();
        Condition big = Condition.builder().comparisonOperator(ComparisonOperator.GE).attributeValueList(n("40")).build();
        List<Map<String, AttributeValue>> queried = ddb.query(r -> r.tableName("Readings").keyConditions(Map.of("pk",
                        Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p")).build()))
                .queryFilter(Map.of("even", even, "v", big)).conditionalOperator(ConditionalOperator.OR)).items();
        assertEquals(List.of("0", "2", "4", "5"), queried.stream().map(i -> i.get("sk").n()).toList());
        List<Map<String, AttributeValue>> scanned = ddb.scan(r -> r.tableName("Readings").scanFilter(Map.of("even", even, "v", big))).items();
        assertEquals(Set.of("4"), Set.copyOf(scanned.stream().map(i -> i.get("sk").n()).toList()));
        List<Map<String, AttributeValue>> byKey = ddb.scan(r -> r.tableName("Readings").scanFilter(Map.of("sk",
                Condition.builder().comparisonOperator(ComparisonOperator.IN).attributeValueList(n("1"), n("3")).build()))).items();
        assertEquals(Set.of("1", "3"), Set.copyOf(byKey.stream().map(i -> i.get("sk").n()).toList()));
    }

    @Test
    void attributesToGet() {
        ddb.putItem(b -> b.tableName("Things").item(item("proj", "a", n("1"), "b", n("2"))));
        assertEquals(Map.of("a", n("1")), ddb.getItem(b -> b.tableName("Things").key(key("proj")).attributesToGet("a")).item());
        invalid("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                () -> ddb.getItem(b -> b.tableName("Things").key(key("proj")).attributesToGet("a").projectionExpression("b")));
        invalid("One or more parameter values were invalid: Duplicate value in attribute name: a",
                () -> ddb.getItem(b -> b.tableName("Things").key(key("proj")).attributesToGet("a", "a")));
    }
}
