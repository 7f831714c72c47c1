package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** UpdateItem end to end with UpdateExpression: every clause, ReturnValues mode, condition and error path. */
class UpdateItemTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    /** UpdateItem's request checks are refused inside it (the conformance suite's captures, 2026-10). */
    private static final String ENVELOPE = "1 validation error detected: ";
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Things", "id", ScalarAttributeType.S, null, null);
        TestTables.create(ddb, "Events", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    static Map<String, AttributeValue> get(String id) {
        return node.client().getItem(b -> b.tableName("Things").key(key(id)).consistentRead(true)).item();
    }

    static void put(Map<String, AttributeValue> item) {
        node.client().putItem(b -> b.tableName("Things").item(item));
    }

    static Map<String, AttributeValue> item(String id, Object... namesAndValues) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        for (int i = 0; i < namesAndValues.length; i += 2) item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        return item;
    }

    /** An UpdateItem of item {@code id} in Things with this expression and values ":v0", ":v1", …. */
    static UpdateItemResponse update(String id, String expression, AttributeValue... values) {
        return node.client().updateItem(request(id, expression, values, b -> {}));
    }

    static UpdateItemRequest request(String id, String expression, AttributeValue[] values, Consumer<UpdateItemRequest.Builder> more) {
        UpdateItemRequest.Builder b = UpdateItemRequest.builder().tableName("Things").key(key(id)).updateExpression(expression);
        if (values.length > 0) {
            Map<String, AttributeValue> placeholders = new HashMap<>();
            for (int i = 0; i < values.length; i++) placeholders.put(":v" + i, values[i]);
            b.expressionAttributeValues(placeholders);
        }
        more.accept(b);
        return b.build();
    }

    static AttributeValue list(AttributeValue... elements) {
        return AttributeValue.fromL(List.of(elements));
    }

    static AttributeValue map(Object... namesAndValues) {
        Map<String, AttributeValue> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) map.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        return AttributeValue.fromM(map);
    }

    @Test
    void createsTheItemWhenItDoesNotExist() {
        update("new", "SET a = :v0", s("x"));
        assertEquals(item("new", "a", s("x")), get("new"));
        ddb.updateItem(b -> b.tableName("Things").key(key("bare")));
        assertEquals(key("bare"), get("bare"));
    }

    /** As DynamoDB (ScyllaDB's Alternator tests, recorded from it): an update that only removes creates nothing. */
    @Test
    void anUpdateThatOnlyRemovesDoesNotCreateTheItem() {
        assertFalse(ddb.updateItem(request("removed", "REMOVE a, b.c", new AttributeValue[0],
                b -> b.returnValues(ReturnValue.ALL_NEW))).hasAttributes());
        update("removed", "DELETE tags :v0", AttributeValue.fromSs(List.of("a")));
        ddb.updateItem(b -> b.tableName("Things").key(key("removed"))
                .attributeUpdates(Map.of("a", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build())));
        ddb.transactWriteItems(b -> b.transactItems(t -> t.update(u -> u.tableName("Things").key(key("removed"))
                .updateExpression("REMOVE a"))));
        assertTrue(get("removed").isEmpty(), "no item was created");
        put(item("removed", "a", s("x"), "b", s("y")));
        update("removed", "REMOVE a");
        assertEquals(item("removed", "b", s("y")), get("removed"));
    }

    @Test
    void everyClauseInOneUpdate() {
        put(item("all", "gone", s("x"), "tally", n("5"), "tags", AttributeValue.fromSs(List.of("a", "b", "c")),
                "nums", AttributeValue.fromNs(List.of("1", "2"))));
        update("all", "SET title = :v0, copied = tally REMOVE gone ADD tally :v1, nums :v2 DELETE tags :v3",
                s("hello"), n("2"), AttributeValue.fromNs(List.of("2", "3")), AttributeValue.fromSs(List.of("a", "z")));
        Map<String, AttributeValue> after = get("all");
        assertEquals(Set.of("id", "title", "copied", "tally", "tags", "nums"), after.keySet());
        assertEquals(s("hello"), after.get("title"));
        assertEquals(n("5"), after.get("copied"));
        assertEquals(n("7"), after.get("tally"));
        assertEquals(Set.of("b", "c"), Set.copyOf(after.get("tags").ss()));
        assertEquals(Set.of("1", "2", "3"), Set.copyOf(after.get("nums").ns()));
    }

    @Test
    void nestedMapsAndLists() {
        put(item("doc", "a", map("b", n("3"), "c", list(s("hi"), map("x", list(n("3"), n("5"), n("7")))))));
        ddb.updateItem(request("doc", "SET a.c[1].#x[1] = :v0, a.d = :v1 REMOVE a.b", new AttributeValue[] {n("9"), s("new")},
                b -> b.expressionAttributeNames(Map.of("#x", "x"))));
        assertEquals(map("c", list(s("hi"), map("x", list(n("3"), n("9"), n("7")))), "d", s("new")), get("doc").get("a"));
    }

    @Test
    void listPositionsAreThoseBeforeTheUpdate() {
        put(item("list", "l", list(n("2"), n("3"), n("4"), n("5"), n("6"))));
        update("list", "REMOVE l[1] SET l[3] = :v0, l[17] = :v1, l[9] = :v2", n("17"), s("last"), s("first"));
        assertEquals(list(n("2"), n("4"), n("17"), n("6"), s("first"), s("last")), get("list").get("l"));
    }

    @Test
    void countersAndFunctions() {
        for (int i = 0; i < 3; i++) update("counter", "SET hits = if_not_exists(hits, :v0) + :v1", n("0"), n("1"));
        assertEquals(n("3"), get("counter").get("hits"));
        update("counter", "SET hits = hits - :v0, entries = list_append(if_not_exists(entries, :v1), :v2)", n("0.5"), list(), list(s("a")));
        update("counter", "SET entries = list_append(:v0, entries)", list(s("z")));
        assertEquals(n("2.5"), get("counter").get("hits"));
        assertEquals(list(s("z"), s("a")), get("counter").get("entries"));
    }

    @Test
    void numbersKeep38Digits() {
        update("precise", "SET n = :v0 + :v1", n("1"), n("10000000000000000000000000000000000000"));
        assertEquals(n("10000000000000000000000000000000000001"), get("precise").get("n"));
        invalid("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> update("precise", "SET n = :v0 + :v1", n("9E+125"), n("9E+125")));
    }

    @Test
    void returnValuesModes() {
        put(item("rv", "a", s("old"), "m", map("x", n("1"), "y", n("2")), "keep", s("k")));
        String expression = "SET a = :v0, m.x = :v1 REMOVE keep";
        AttributeValue[] values = {s("new"), n("10")};
        assertFalse(ddb.updateItem(request("rv", expression, values, b -> b.returnValues(ReturnValue.NONE))).hasAttributes());
        put(item("rv", "a", s("old"), "m", map("x", n("1"), "y", n("2")), "keep", s("k")));
        assertEquals(item("rv", "a", s("old"), "m", map("x", n("1"), "y", n("2")), "keep", s("k")),
                ddb.updateItem(request("rv", expression, values, b -> b.returnValues(ReturnValue.ALL_OLD))).attributes());
        put(item("rv", "a", s("old"), "m", map("x", n("1"), "y", n("2")), "keep", s("k")));
        assertEquals(Map.of("a", s("old"), "m", map("x", n("1")), "keep", s("k")),
                ddb.updateItem(request("rv", expression, values, b -> b.returnValues(ReturnValue.UPDATED_OLD))).attributes());
        put(item("rv", "a", s("old"), "m", map("x", n("1"), "y", n("2")), "keep", s("k")));
        assertEquals(item("rv", "a", s("new"), "m", map("x", n("10"), "y", n("2"))),
                ddb.updateItem(request("rv", expression, values, b -> b.returnValues(ReturnValue.ALL_NEW))).attributes());
        put(item("rv", "a", s("old"), "m", map("x", n("1"), "y", n("2")), "keep", s("k")));
        assertEquals(Map.of("a", s("new"), "m", map("x", n("10"))),
                ddb.updateItem(request("rv", expression, values, b -> b.returnValues(ReturnValue.UPDATED_NEW))).attributes());
    }

    @Test
    void returnValuesOfANewItem() {
        assertFalse(ddb.updateItem(request("rv-new", "SET a = :v0", new AttributeValue[] {s("x")},
                b -> b.returnValues(ReturnValue.ALL_OLD))).hasAttributes());
        assertFalse(ddb.updateItem(request("rv-new2", "SET a = :v0", new AttributeValue[] {s("x")},
                b -> b.returnValues(ReturnValue.UPDATED_OLD))).hasAttributes());
        assertEquals(Map.of("a", s("x")), ddb.updateItem(request("rv-new3", "SET a = :v0", new AttributeValue[] {s("x")},
                b -> b.returnValues(ReturnValue.UPDATED_NEW))).attributes());
        assertEquals(item("rv-new4", "a", s("x")), ddb.updateItem(request("rv-new4", "SET a = :v0", new AttributeValue[] {s("x")},
                b -> b.returnValues(ReturnValue.ALL_NEW))).attributes());
    }

    /**
     * UPDATED_NEW projects the expression's own paths onto the new item, as DynamoDB does
     * (ScyllaDB's Alternator tests record it): not where the written values end up.
     */
    @Test
    void updatedNewProjectsTheExpressionsPathsOntoTheNewItem() {
        put(item("moved", "l", list(n("0"), n("1"), n("2"))));
        // The new list is [1, 9, end]: l[0] is now 1, l[2] is "end", and there is no l[8].
        assertEquals(Map.of("l", list(n("1"), s("end"))), ddb.updateItem(request("moved", "REMOVE l[0] SET l[2] = :v0, l[8] = :v1",
                new AttributeValue[] {n("9"), s("end")}, b -> b.returnValues(ReturnValue.UPDATED_NEW))).attributes());

        put(item("appended", "a", map("c", list(n("1"), n("2"), n("3")))));
        assertFalse(ddb.updateItem(request("appended", "SET a.c[100] = :v0", new AttributeValue[] {n("70")},
                b -> b.returnValues(ReturnValue.UPDATED_NEW))).hasAttributes(), "an element set past the end is not returned");
        assertEquals(Map.of("a", map("c", list(n("3")))), ddb.updateItem(request("appended", "REMOVE a.c[1]",
                new AttributeValue[] {}, b -> b.returnValues(ReturnValue.UPDATED_NEW))).attributes(),
                "after REMOVE a.c[1], the element that moved into a.c[1]");
        assertEquals(item("appended", "a", map("c", list(n("1"), n("3"), n("70")))), get("appended"));
        assertEquals(Map.of("a", map("c", list(n("3")))), ddb.updateItem(request("appended", "REMOVE a.c[1], a.c[5]",
                new AttributeValue[] {}, b -> b.returnValues(ReturnValue.UPDATED_OLD))).attributes(),
                "UPDATED_OLD: what the paths held before; a.c[5] held nothing");
    }

    @Test
    void conditions() {
        put(item("cond", "v", n("1")));
        update("cond", "SET v = :v0", n("2"));
        ddb.updateItem(request("cond", "SET v = :v0", new AttributeValue[] {n("3"), n("2")}, b -> b.conditionExpression("v = :v1")));
        assertEquals(n("3"), get("cond").get("v"));
        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class,
                () -> ddb.updateItem(request("cond", "SET v = :v0", new AttributeValue[] {n("4"), n("2")},
                        b -> b.conditionExpression("v = :v1").returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))));
        assertEquals("The conditional request failed", failed.awsErrorDetails().errorMessage());
        assertEquals(item("cond", "v", n("3")), failed.item());
        ConditionalCheckFailedException bare = assertThrows(ConditionalCheckFailedException.class,
                () -> ddb.updateItem(request("cond", "SET v = :v0", new AttributeValue[] {n("4")},
                        b -> b.conditionExpression("attribute_not_exists(id)"))));
        assertFalse(bare.hasItem());
        assertEquals(n("3"), get("cond").get("v"));
        // A condition on an item that does not exist sees no attributes, and nothing is created.
        assertThrows(ConditionalCheckFailedException.class, () -> ddb.updateItem(request("cond-none", "SET v = :v0",
                new AttributeValue[] {n("1")}, b -> b.conditionExpression("attribute_exists(id)"))));
        assertTrue(get("cond-none").isEmpty());
    }

    @Test
    void consumedCapacity() {
        UpdateItemResponse response = ddb.updateItem(request("cap", "SET a = :v0", new AttributeValue[] {s("x".repeat(1500))},
                b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        assertEquals(2.0, response.consumedCapacity().capacityUnits());
        assertEquals("Things", response.consumedCapacity().tableName());
    }

    @Test
    void keyAttributesCannotBeUpdated() {
        invalid("One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
                () -> update("k", "SET id = :v0", s("other")));
        invalid("One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
                () -> update("k", "REMOVE id"));
        invalid("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
                () -> ddb.updateItem(b -> b.tableName("Events").key(Map.of("pk", s("p"), "sk", n("1")))
                        .updateExpression("SET d[1] = :a ADD sk.b :a").expressionAttributeValues(Map.of(":a", n("1")))));
        assertTrue(get("k").isEmpty());
    }

    @Test
    void problemsFoundWhenApplyingWriteNothing() {
        put(item("bad", "label", s("text"), "l", list(n("1")), "ns", AttributeValue.fromNs(List.of("1"))));
        Map<String, AttributeValue> before = get("bad");
        invalid("The provided expression refers to an attribute that does not exist in the item",
                () -> update("bad", "SET a = :v0, b = absent", s("x")));
        invalid("The document path provided in the update expression is invalid for update",
                () -> update("bad", "SET a = :v0, label.child = :v0", s("x")));
        invalid("The document path provided in the update expression is invalid for update",
                () -> update("bad", "SET nothing[0] = :v0", s("x")));
        invalid("An operand in the update expression has an incorrect data type",
                () -> update("bad", "ADD label :v0", n("1")));
        invalid("An operand in the update expression has an incorrect data type",
                () -> update("bad", "DELETE ns :v0", AttributeValue.fromSs(List.of("1"))));
        invalid("An operand in the update expression has an incorrect data type",
                () -> update("bad", "SET x = label + :v0", n("1")));
        invalid("Item size to update has exceeded the maximum allowed size",
                () -> update("bad", "SET a = :v0, b = :v0", s("x".repeat(210 * 1024))));
        assertEquals(before, get("bad"));
    }

    /** Each refused in the newer request layer's envelope ({@link RequestLayer}). */
    @Test
    void invalidExpressions() {
        invalid(ENVELOPE + "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"", () -> update("e", "set a b"));
        invalid(ENVELOPE + "Invalid UpdateExpression: The expression can not be empty;", () -> update("e", ""));
        invalid(ENVELOPE + "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                () -> update("e", "SET a = :v0 SET b = :v0", n("1")));
        invalid(ENVELOPE + "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
                + "path one: [a], path two: [a, b]", () -> update("e", "SET a = :v0, a.b = :v0", n("1")));
        invalid(ENVELOPE + "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; "
                + "path one: [a, b], path two: [a, [1]]", () -> update("e", "SET a.b = :v0, a[1] = :v0", n("1")));
        invalid(ENVELOPE + "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name",
                () -> update("e", "SET name = :v0", n("1")));
        invalid(ENVELOPE + "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope",
                () -> update("e", "SET a = :nope"));
        invalid(ENVELOPE + "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, "
                + "typeSet: ALLOWED_FOR_ADD_OPERAND", () -> update("e", "ADD a :v0", s("x")));
        invalid(ENVELOPE + "Invalid UpdateExpression: Invalid function name; function: f", () -> update("e", "SET a = f(:v0)", n("1")));
        invalid(ENVELOPE + "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v1}",
                () -> update("e", "SET a = :v0", n("1"), n("2")));
        invalid(ENVELOPE + "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}",
                () -> ddb.updateItem(request("e", "SET a = :v0", new AttributeValue[] {n("1")},
                        b -> b.expressionAttributeNames(Map.of("#x", "x")))));
        invalid(ENVELOPE + "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists",
                () -> ddb.updateItem(request("e", "SET a = :v0", new AttributeValue[] {n("1")},
                        b -> b.conditionExpression("if_not_exists(a, :v0) = :v0"))));
        String longName = "#" + "n".repeat(255);
        invalid(ENVELOPE + "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256",
                () -> ddb.updateItem(request("e", "SET " + longName + " = :v0", new AttributeValue[] {n("1")},
                        b -> b.expressionAttributeNames(Map.of(longName, "x")))));
        invalid(ENVELOPE + "ExpressionAttributeValues exceeds max size",
                () -> update("e", "SET a = :v0, b = :v1, c = :v2", s("x".repeat(700_000)), s("y".repeat(700_000)), s("z".repeat(700_000))));
        invalid(ENVELOPE + "Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
                () -> update("e", "SET a=:v0+:v0" + ",a%d=:v0+:v0".repeat(300).formatted(
                        java.util.stream.IntStream.range(0, 300).boxed().toArray()), n("1")));
        invalid(ENVELOPE + "Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                () -> ddb.updateItem(request("e", "SET a = :v0", new AttributeValue[] {n("1")},
                        b -> b.conditionExpression("a < :v0" + " OR a < :v0".repeat(150)))));
        assertTrue(get("e").isEmpty());
    }

    @Test
    void requestLevelErrors() throws Exception {
        TestTables.Raw enumError = TestTables.raw(node.server(), "UpdateItem", "{'TableName':'Things','Key':{'id':{'S':'x'}},'ReturnValues':'SOME'}");
        assertEquals("1 validation error detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", enumError.message());
        TestTables.Raw noKey = TestTables.raw(node.server(), "UpdateItem", "{'TableName':'Things'}");
        assertEquals("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null",
                noKey.message());
        invalid("The provided key element does not match the schema",
                () -> ddb.updateItem(b -> b.tableName("Things").key(Map.of("id", n("1"))).updateExpression("REMOVE a")));
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found",
                () -> ddb.updateItem(b -> b.tableName("Nope").key(key("x")).updateExpression("REMOVE a")));
    }
}
