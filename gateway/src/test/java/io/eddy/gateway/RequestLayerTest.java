package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The words of refusals by operation, as the conformance suite captured DynamoDB (eu-west-2 and
 * us-east-1 agreeing, 2026-10): GetItem, BatchGetItem and Query give a value's problem bare in the
 * newer wording; PutItem, UpdateItem and DeleteItem give their request checks in the newer wording
 * inside "1 validation error detected: " and what they find against the table bare; BatchWriteItem
 * keeps the older wording. Nothing refused is written.
 */
class RequestLayerTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    private static final String ONE = "1 validation error detected: ";
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String STRING_REPEAT = INVALID + "Input collection [\"a\", \"b\", \"b\"] contains duplicates.";
    private static final String NOT_NUMERIC = "The parameter cannot be converted to a numeric value";

    @BeforeAll
    static void start() {
        node.client().createTable(b -> b.tableName("Things").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static final AttributeValue REPEATED = AttributeValue.fromSs(List.of("b", "a", "b"));

    private static String refusal(Runnable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call::run);
        assertEquals("ValidationException", e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void singleItemWritesPutTheirRequestChecksInsideTheEnvelope() {
        assertEquals(ONE + STRING_REPEAT, refusal(() -> ddb.putItem(b -> b.tableName("Things")
                .item(Map.of("id", s("w"), "set", REPEATED)))));
        assertEquals(ONE + NOT_NUMERIC + ": ", refusal(() -> ddb.putItem(b -> b.tableName("Things")
                .item(Map.of("id", s("w"))).conditionExpression("attribute_not_exists(id) OR n = :v")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(""))))));
        assertEquals(ONE + "ExpressionAttributeValues can only be specified when using expressions", refusal(() -> ddb.putItem(b -> b
                .tableName("Things").item(Map.of("id", s("w"))).expressionAttributeValues(Map.of(":v", s("x"))))));
        assertEquals(ONE + STRING_REPEAT, refusal(() -> ddb.updateItem(b -> b.tableName("Things").key(Map.of("id", s("w")))
                .updateExpression("SET o = :o").conditionExpression("attribute_not_exists(id) OR s = :t")
                .expressionAttributeValues(Map.of(":o", s("1"), ":t", REPEATED)))));
        assertEquals(ONE + "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v",
                refusal(() -> ddb.updateItem(b -> b.tableName("Things").key(Map.of("id", s("w"))).updateExpression("SET b = :w")
                        .conditionExpression("a = :v").expressionAttributeValues(Map.of(":w", s("x"))))));
        assertEquals(ONE + "ReturnValues can only be ALL_OLD or NONE", refusal(() -> ddb.deleteItem(b -> b.tableName("Things")
                .key(Map.of("id", s("w"))).returnValues("ALL_NEW"))));
        assertEquals(ONE + INVALID + "Input collection contains duplicates.", refusal(() -> ddb.deleteItem(b -> b.tableName("Things")
                .key(Map.of("id", AttributeValue.fromNs(List.of("2", "1", "2")))))));
        assertEquals(0, ddb.scan(b -> b.tableName("Things")).count());
    }

    @Test
    void singleItemWritesGiveWhatTheyFindAgainstTheTableBare() throws Exception {
        assertEquals("One or more parameter values were invalid: Type mismatch for key id expected: S actual: N",
                refusal(() -> ddb.putItem(b -> b.tableName("Things").item(Map.of("id", AttributeValue.fromN("1"))))));
        assertEquals(INVALID + "Cannot update attribute id. This attribute is part of the key", refusal(() -> ddb.updateItem(b -> b
                .tableName("Things").key(Map.of("id", s("w"))).updateExpression("SET id = :v")
                .expressionAttributeValues(Map.of(":v", s("x"))))));
        assertEquals("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                TestTables.raw(node.server(), "PutItem", "{'TableName':'Things','Item':{'id':{'S':'w'},'a':{}}}").message());
        assertEquals(0, ddb.scan(b -> b.tableName("Things")).count());
    }

    @Test
    void readsGiveAValuesProblemBareInTheNewerWords() {
        assertEquals(STRING_REPEAT, refusal(() -> ddb.getItem(b -> b.tableName("Things").key(Map.of("id", REPEATED)))));
        assertEquals(NOT_NUMERIC + ": ", refusal(() -> ddb.query(b -> b.tableName("Things").keyConditionExpression("id = :p")
                .filterExpression("n = :v").expressionAttributeValues(Map.of(":p", s("w"), ":v", AttributeValue.fromN(""))))));
        assertEquals(STRING_REPEAT, refusal(() -> ddb.batchGetItem(b -> b.requestItems(Map.of("Things",
                KeysAndAttributes.builder().keys(Map.of("id", REPEATED)).build())))));
    }

    @Test
    void batchWriteItemKeepsTheOlderWords() {
        assertEquals(INVALID + "Input collection [b, a, b] contains duplicates.", refusal(() -> ddb.batchWriteItem(b -> b.requestItems(
                Map.of("Things", List.of(WriteRequest.builder().putRequest(PutRequest.builder()
                        .item(Map.of("id", s("w"), "set", REPEATED)).build()).build()))))));
        assertEquals("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                refusal(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of("Things", List.of(WriteRequest.builder()
                        .putRequest(PutRequest.builder().item(Map.of("id", s("w"), "n", AttributeValue.fromN("1e2147483647")))
                                .build()).build()))))));
        assertEquals(0, ddb.scan(b -> b.tableName("Things")).count());
    }
}
