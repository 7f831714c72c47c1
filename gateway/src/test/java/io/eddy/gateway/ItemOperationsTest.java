package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** PutItem, GetItem and DeleteItem through the AWS SDK v2: every type, conditions, projections, errors. */
class ItemOperationsTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        ddb.createTable(b -> b.tableName("Things").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        ddb.createTable(b -> b.tableName("Events").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("device").attributeType(ScalarAttributeType.B).build(),
                        AttributeDefinition.builder().attributeName("at").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("device").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("at").keyType(KeyType.RANGE).build()));
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    static Map<String, AttributeValue> get(String id) {
        return node.client().getItem(b -> b.tableName("Things").key(key(id)).consistentRead(true)).item();
    }

    static DynamoDbException rejected(String expectedCode, Runnable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call::run);
        assertEquals(expectedCode, e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        return e;
    }

    @Test
    void attributeNamesAreTakenUpTo65535BytesAndRefusedBeyond() {
        String longest = "n".repeat(65_535);
        String tooLong = "n".repeat(65_536);
        String farTooLong = "é".repeat(40_000);
        String message = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
        for (String name : List.of(tooLong, farTooLong)) {
            DynamoDbException top = rejected("ValidationException",
                    () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("long-name"), name, n("1")))));
            assertEquals(message, top.awsErrorDetails().errorMessage());
            DynamoDbException nested = rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things")
                    .item(Map.of("id", s("long-name"), "doc", AttributeValue.fromM(Map.of(name, n("1")))))));
            assertEquals(message, nested.awsErrorDetails().errorMessage());
            DynamoDbException placeholder = rejected("ValidationException", () -> ddb.updateItem(b -> b.tableName("Things")
                    .key(key("long-name")).updateExpression("SET #n = :v")
                    .expressionAttributeNames(Map.of("#n", name)).expressionAttributeValues(Map.of(":v", n("1")))));
            assertEquals(message, placeholder.awsErrorDetails().errorMessage());
        }
        assertTrue(get("long-name").isEmpty());

        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("long-name"), longest, n("1"),
                "doc", AttributeValue.fromM(Map.of(longest, n("2"))))));
        // Checked on the server: the SDK's own parser may not read such a name back.
        ddb.updateItem(b -> b.tableName("Things").key(key("long-name")).updateExpression("SET #n = #n + :v")
                .conditionExpression("attribute_exists(doc.#n)")
                .expressionAttributeNames(Map.of("#n", longest)).expressionAttributeValues(Map.of(":v", n("1"))));
        assertEquals(List.of("id"), List.copyOf(ddb.getItem(b -> b.tableName("Things").key(key("long-name"))
                .projectionExpression("id").consistentRead(true)).item().keySet()));
    }

    @Test
    void everyAttributeTypeRoundTripsExactly() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s("all-types"));
        item.put("str", s("héllo 世界 \uD83D\uDE00"));
        item.put("emptyStr", s(""));
        item.put("num", n("-12345.678"));
        item.put("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xFF, (byte) 0x80})));
        item.put("emptyBin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b", "c")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.5", "-3")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2, 3}))));
        item.put("map", AttributeValue.fromM(Map.of("nested", AttributeValue.fromM(Map.of("deep", s("x"))), "n", n("7"))));
        item.put("list", AttributeValue.fromL(List.of(s("a"), n("1"), AttributeValue.fromL(List.of()), AttributeValue.fromBool(false))));
        item.put("emptyMap", AttributeValue.fromM(Map.of()));
        item.put("yes", AttributeValue.fromBool(true));
        item.put("nothing", AttributeValue.fromNul(true));
        ddb.putItem(b -> b.tableName("Things").item(item));

        Map<String, AttributeValue> back = get("all-types");
        assertEquals(item.keySet(), back.keySet());
        for (String name : item.keySet()) {
            AttributeValue expected = item.get(name);
            AttributeValue actual = back.get(name);
            if (expected.hasSs()) assertEquals(new java.util.HashSet<>(expected.ss()), new java.util.HashSet<>(actual.ss()));
            else if (expected.hasNs()) assertEquals(new java.util.HashSet<>(expected.ns()), new java.util.HashSet<>(actual.ns()));
            else if (expected.hasBs()) assertEquals(new java.util.HashSet<>(expected.bs()), new java.util.HashSet<>(actual.bs()));
            else assertEquals(expected, actual, name);
        }
    }

    @Test
    void numbersComeBackInCanonicalForm() {
        Map<String, String> canonical = Map.of(
                "1.0", "1", "1E+2", "100", "-0.50", "-0.5", "0.000", "0", "1.5e-3", "0.0015",
                "12345678901234567890123456789012345678", "12345678901234567890123456789012345678",
                "9.9999999999999999999999999999999999999E+125",
                new java.math.BigDecimal("9.9999999999999999999999999999999999999E+125").toPlainString(),
                "1E-130", new java.math.BigDecimal("1E-130").toPlainString());
        int i = 0;
        for (var e : canonical.entrySet()) {
            String id = "num-" + i++;
            ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s(id), "v", n(e.getKey()))));
            assertEquals(e.getValue(), get(id).get("v").n(), "canonical form of " + e.getKey());
        }
    }

    @Test
    void badNumbersAreRejectedAndNothingIsWritten() {
        for (String bad : List.of("123456789012345678901234567890123456789", "1E+126", "1E-131", "abc", "1..2")) {
            rejected("ValidationException",
                    () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("badnum"), "v", n(bad)))));
        }
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(key("badnum"))).hasItem());
    }

    @Test
    void invalidSetsAreRejected() {
        DynamoDbException dup = rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things")
                .item(Map.of("id", s("sets"), "ss", AttributeValue.fromSs(List.of("a", "a"))))));
        assertEquals("1 validation error detected: One or more parameter values were invalid: Input collection [\"a\", \"a\"] "
                + "contains duplicates.", dup.awsErrorDetails().errorMessage());
        DynamoDbException empty = rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things")
                .item(Map.of("id", s("sets"), "ss", AttributeValue.fromSs(List.of())))));
        assertEquals("1 validation error detected: One or more parameter values were invalid: An string set  may not be empty",
                empty.awsErrorDetails().errorMessage());
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things")
                .item(Map.of("id", s("sets"), "ns", AttributeValue.fromNs(List.of("1", "1.0"))))));
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(key("sets"))).hasItem());
    }

    @Test
    void keysMustMatchTheSchema() throws Exception {
        DynamoDbException missing = rejected("ValidationException",
                () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("other", s("x")))));
        assertEquals("One or more parameter values were invalid: Missing the key id in the item",
                missing.awsErrorDetails().errorMessage());
        DynamoDbException wrongType = rejected("ValidationException",
                () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", n("1")))));
        assertEquals("One or more parameter values were invalid: Type mismatch for key id expected: S actual: N",
                wrongType.awsErrorDetails().errorMessage());
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("")))));
        DynamoDbException badKey = rejected("ValidationException",
                () -> ddb.getItem(b -> b.tableName("Things").key(Map.of("id", s("x"), "extra", s("y")))));
        assertEquals("The provided key element does not match the schema", badKey.awsErrorDetails().errorMessage());
        rejected("ValidationException", () -> ddb.getItem(b -> b.tableName("Things").key(Map.of("id", n("1")))));
        rejected("ValidationException", () -> ddb.deleteItem(b -> b.tableName("Things").key(Map.of("nope", s("1")))));
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("k".repeat(2049))))));
        // An empty table name breaks only the minimum length of 1 (DynamoDB, captured in four regions).
        assertEquals("1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 1", TestTables.raw(node.server(), "GetItem", "{'TableName':'','Key':{'id':{'S':'x'}}}").message());
    }

    /** The conformance suite's validation-ordering captures (eu-west-2, 2026-06). */
    @Test
    void aWritesInvalidTableNameIsReportedBeforeItsOtherMembers() throws Exception {
        String tableOnly = "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 1";
        assertEquals(tableOnly, TestTables.raw(node.server(), "PutItem", "{'TableName':'','Item':{},'ReturnValues':'INVALID'}").message());
        assertEquals(tableOnly, TestTables.raw(node.server(), "DeleteItem", "{'TableName':'','Key':{},'ReturnValues':'INVALID'}").message());
        assertEquals(tableOnly, TestTables.raw(node.server(), "UpdateItem",
                "{'TableName':'','Key':{},'ReturnValues':'INVALID','ReturnConsumedCapacity':'INVALID'}").message());
        // PutItem and DeleteItem then report their enums together; UpdateItem stops at ReturnValues.
        assertTrue(TestTables.raw(node.server(), "PutItem", "{'TableName':'Things','Item':{'id':{'S':'x'}},"
                + "'ReturnConsumedCapacity':'INVALID','ReturnItemCollectionMetrics':'INVALID','ReturnValues':'INVALID'}")
                .message().startsWith("3 validation errors detected:"));
        assertTrue(TestTables.raw(node.server(), "DeleteItem", "{'TableName':'Things','Key':{'id':{'S':'x'}},"
                + "'ReturnConsumedCapacity':'INVALID','ReturnValues':'INVALID'}").message().startsWith("2 validation errors detected:"));
        assertEquals("1 validation error detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy "
                + "enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", TestTables.raw(node.server(), "UpdateItem",
                "{'TableName':'Things','Key':{'id':{'S':'x'}},'ReturnValues':'INVALID','ReturnConsumedCapacity':'INVALID'}").message());
    }

    /** With the key (or item) missing, every member violation is reported together (captured 2026-10). */
    @Test
    void aWriteMissingItsKeyReportsEveryMemberViolationTogether() throws Exception {
        String emptyName = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
        String noKey = "Value null at 'key' failed to satisfy constraint: Member must not be null";
        String update = "'UpdateExpression':'SET a = :a','ExpressionAttributeValues':{':a':{'S':'x'}}";
        assertEquals("2 validation errors detected: " + emptyName + "; " + noKey,
                TestTables.raw(node.server(), "UpdateItem", "{'TableName':''," + update + "}").message());
        assertEquals("4 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " + emptyName + "; Value 'INVALID' at 'returnValues' "
                + "failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
                + noKey, TestTables.raw(node.server(), "UpdateItem", "{'TableName':''," + update
                + ",'ReturnConsumedCapacity':'INVALID','ReturnValues':'INVALID'}").message());
        assertEquals("2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must "
                + "satisfy enum value set: [OR, AND]; " + noKey, TestTables.raw(node.server(), "UpdateItem", "{'TableName':'Things',"
                + "'AttributeUpdates':{'x':{'Action':'PUT','Value':{'S':'1'}}},'Expected':{'a':{'Exists':false},'b':{'Exists':false}},"
                + "'ConditionalOperator':'XOR'}").message());
        assertEquals("2 validation errors detected: " + emptyName + "; Value null at 'item' failed to satisfy constraint: Member must "
                + "not be null", TestTables.raw(node.server(), "PutItem", "{'TableName':''}").message());
    }

    @Test
    void itemSizeIsLimitedTo400KB() {
        String big = "x".repeat(400 * 1024);
        DynamoDbException e = rejected("ValidationException",
                () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("big"), "data", s(big)))));
        assertEquals("Item size has exceeded the maximum allowed size", e.awsErrorDetails().errorMessage());
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(key("big"))).hasItem());
        String fits = "x".repeat(400 * 1024 - 100);
        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("big"), "data", s(fits))));
        assertEquals(fits, get("big").get("data").s());
    }

    @Test
    void compositeKeysWithBinaryAndNumbers() {
        SdkBytes device = SdkBytes.fromByteArray(new byte[] {(byte) 0xFE, 0x00, 0x01});
        for (String at : List.of("-5", "0", "3.25", "1E+10")) {
            ddb.putItem(b -> b.tableName("Events").item(Map.of("device", AttributeValue.fromB(device), "at", n(at), "v", s(at))));
        }
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName("Events")
                .key(Map.of("device", AttributeValue.fromB(device), "at", n("3.250")))).item();
        assertEquals("3.25", item.get("v").s());
        assertEquals("10000000000", ddb.getItem(b -> b.tableName("Events")
                .key(Map.of("device", AttributeValue.fromB(device), "at", n("1E10")))).item().get("at").n());
        rejected("ValidationException", () -> ddb.getItem(b -> b.tableName("Events")
                .key(Map.of("device", AttributeValue.fromB(device)))));
    }

    @Test
    void putReturnsTheOldItemWhenAsked() {
        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("rv"), "v", n("1"))));
        var none = ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("rv"), "v", n("2"))));
        assertFalse(none.hasAttributes());
        var old = ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("rv"), "v", n("3"))).returnValues(ReturnValue.ALL_OLD));
        assertEquals("2", old.attributes().get("v").n());
        DynamoDbException e = rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things")
                .item(Map.of("id", s("rv"), "v", n("4"))).returnValues(ReturnValue.ALL_NEW)));
        assertEquals("1 validation error detected: ReturnValues can only be ALL_OLD or NONE", e.awsErrorDetails().errorMessage());
        assertEquals("3", get("rv").get("v").n());
    }

    @Test
    void conditionalPutsAndDeletes() {
        PutItemRequest create = PutItemRequest.builder().tableName("Things")
                .item(Map.of("id", s("cond"), "state", s("new"), "n", n("1")))
                .conditionExpression("attribute_not_exists(id)").build();
        ddb.putItem(create);
        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(create));
        assertEquals("The conditional request failed", failed.awsErrorDetails().errorMessage());

        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("cond"), "state", s("used"), "n", n("2")))
                .conditionExpression("#s = :expected AND attribute_exists(id)")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":expected", s("new"))));
        assertEquals("used", get("cond").get("state").s());

        ConditionalCheckFailedException withItem = assertThrows(ConditionalCheckFailedException.class,
                () -> ddb.deleteItem(b -> b.tableName("Things").key(key("cond"))
                        .conditionExpression("#s <> :v").expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":v", s("used")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals("used", withItem.item().get("state").s());
        assertTrue(get("cond").containsKey("state"), "a failed condition deletes nothing");

        var deleted = ddb.deleteItem(b -> b.tableName("Things").key(key("cond"))
                .conditionExpression("n = :two").expressionAttributeValues(Map.of(":two", n("2.0")))
                .returnValues(ReturnValue.ALL_OLD));
        assertEquals("used", deleted.attributes().get("state").s());
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(key("cond"))).hasItem());

        assertThrows(ConditionalCheckFailedException.class, () -> ddb.deleteItem(b -> b.tableName("Things")
                .key(key("cond")).conditionExpression("attribute_exists(id)")));
        var nothing = ddb.deleteItem(b -> b.tableName("Things").key(key("never-there")).returnValues(ReturnValue.ALL_OLD));
        assertFalse(nothing.hasAttributes());
    }

    @Test
    void badExpressionsAreRejectedAndNothingIsWritten() {
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("expr")))
                .conditionExpression("attribute_not_exists(")));
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("expr")))
                .conditionExpression("a = :missing")));
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("expr")))
                .conditionExpression("attribute_not_exists(id)").expressionAttributeValues(Map.of(":unused", s("x")))));
        rejected("ValidationException", () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("expr")))
                .expressionAttributeNames(Map.of("#a", "a"))));
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(key("expr"))).hasItem());
    }

    @Test
    void getItemProjections() {
        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", s("proj"), "name", s("n"), "size", n("3"),
                "info", AttributeValue.fromM(Map.of("a", s("A"), "b", s("B"))),
                "tags", AttributeValue.fromL(List.of(s("t0"), s("t1"), s("t2"))))));

        Map<String, AttributeValue> projected = ddb.getItem(b -> b.tableName("Things").key(key("proj"))
                .projectionExpression("#n, info.b, tags[1]").expressionAttributeNames(Map.of("#n", "name"))).item();
        assertEquals(Map.of("name", s("n"), "info", AttributeValue.fromM(Map.of("b", s("B"))),
                "tags", AttributeValue.fromL(List.of(s("t1")))), projected);

        Map<String, AttributeValue> legacy = ddb.getItem(b -> b.tableName("Things").key(key("proj"))
                .attributesToGet("id", "size")).item();
        assertEquals(Map.of("id", s("proj"), "size", n("3")), legacy);

        rejected("ValidationException", () -> ddb.getItem(b -> b.tableName("Things").key(key("proj"))
                .attributesToGet("id").projectionExpression("id")));
        rejected("ValidationException", () -> ddb.getItem(b -> b.tableName("Things").key(key("proj"))
                .projectionExpression("#n").expressionAttributeNames(Map.of("#n", "name", "#x", "x"))));
    }

    @Test
    void missingTableIsResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> ddb.putItem(b -> b.tableName("Nowhere").item(key("x"))));
        assertEquals("Requested resource not found", e.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> ddb.getItem(b -> b.tableName("Nowhere").key(key("x"))));
        assertThrows(ResourceNotFoundException.class, () -> ddb.deleteItem(b -> b.tableName("Nowhere").key(key("x"))));
    }

    @Test
    void describeTableCountsItems() {
        ddb.createTable(b -> b.tableName("Counted").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        for (int i = 0; i < 20; i++) {
            int k = i;
            ddb.putItem(b -> b.tableName("Counted").item(Map.of("id", s("k" + k), "v", s("value"))));
        }
        ddb.deleteItem(b -> b.tableName("Counted").key(key("k0")));
        var table = ddb.describeTable(b -> b.tableName("Counted")).table();
        assertEquals(19L, table.itemCount());
        assertTrue(table.tableSizeBytes() > 19 * 10, "size counts names and values: " + table.tableSizeBytes());
    }
    /** {@code levels} maps, one inside the other, around a string. */
    private static AttributeValue nested(int levels) {
        AttributeValue value = AttributeValue.fromS("leaf");
        for (int i = 0; i < levels; i++) value = AttributeValue.fromM(Map.of("a", value));
        return value;
    }

    @Test
    void attributeNamesOfLegacyParametersAreHeldToTheItemLimit() {
        // As PutItem's are (ScyllaDB's tests, run against DynamoDB).
        DynamoDbClient ddb = node.client();
        String name = "n".repeat(65_536);
        String refused = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
        DynamoDbException get = assertThrows(DynamoDbException.class, () -> ddb.getItem(b -> b.tableName("Things")
                .key(Map.of("id", AttributeValue.fromS("long"))).attributesToGet(name)));
        assertEquals(refused, get.awsErrorDetails().errorMessage());
        DynamoDbException update = assertThrows(DynamoDbException.class, () -> ddb.updateItem(b -> b.tableName("Things")
                .key(Map.of("id", AttributeValue.fromS("long"))).attributeUpdates(Map.of(name,
                        software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate.builder().value(AttributeValue.fromN("2"))
                                .action("PUT").build()))));
        assertEquals(refused, update.awsErrorDetails().errorMessage());
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(Map.of("id", AttributeValue.fromS("long")))).hasItem());
    }

    @Test
    void valuesOnlyComparedMayNestOneLevelDeeperThanAnAttribute() {
        // A 2026 test suite run against DynamoDB: 31 maps in an attribute, 32 in a value only compared, 33 refused.
        DynamoDbClient ddb = node.client();
        String nesting = "Nesting Levels have exceeded supported limits";
        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", AttributeValue.fromS("deep"), "v", nested(31))));
        DynamoDbException stored = assertThrows(DynamoDbException.class,
                () -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", AttributeValue.fromS("deep2"), "v", nested(32)))));
        assertTrue(stored.awsErrorDetails().errorMessage().startsWith(nesting), stored.awsErrorDetails().errorMessage());
        ddb.putItem(b -> b.tableName("Things").item(Map.of("id", AttributeValue.fromS("deep"))).conditionExpression("attribute_exists(id) OR :d = :d")
                .expressionAttributeValues(Map.of(":d", nested(32))));
        DynamoDbException over = assertThrows(DynamoDbException.class, () -> ddb.deleteItem(b -> b.tableName("Things")
                .key(Map.of("id", AttributeValue.fromS("deep"))).conditionExpression(":d = :d").expressionAttributeValues(Map.of(":d", nested(33)))));
        // Bare in the newer request layer, without the older one's "ExpressionAttributeValues contains invalid value: ".
        assertTrue(over.awsErrorDetails().errorMessage().startsWith(nesting), over.awsErrorDetails().errorMessage());
        // What an update would store from such a value is held to the attribute's limit.
        DynamoDbException set = assertThrows(DynamoDbException.class, () -> ddb.updateItem(b -> b.tableName("Things")
                .key(Map.of("id", AttributeValue.fromS("deep"))).updateExpression("SET v = :d").expressionAttributeValues(Map.of(":d", nested(32)))));
        assertTrue(set.awsErrorDetails().errorMessage().startsWith(nesting), set.awsErrorDetails().errorMessage());
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(Map.of("id", AttributeValue.fromS("deep"))).consistentRead(true)).item().containsKey("v"));
        assertFalse(ddb.getItem(b -> b.tableName("Things").key(Map.of("id", AttributeValue.fromS("deep2")))).hasItem());
    }
}
