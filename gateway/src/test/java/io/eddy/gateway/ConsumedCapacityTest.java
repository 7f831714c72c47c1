package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** ReturnConsumedCapacity and ReturnItemCollectionMetrics on GetItem, PutItem and DeleteItem. */
class ConsumedCapacityTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        TestTables.create(node.client(), "Docs", "id", ScalarAttributeType.S, null, null);
    }

    /** An item of exactly {@code bytes} accounting bytes: "id" + a 1-char id, "body" + the rest. */
    static Map<String, AttributeValue> doc(String id, int bytes) {
        return Map.of("id", s(id), "body", s("x".repeat(bytes - 3 - 4)));
    }

    static ConsumedCapacity put(Map<String, AttributeValue> item, ReturnConsumedCapacity mode) {
        return node.client().putItem(r -> r.tableName("Docs").item(item).returnConsumedCapacity(mode)).consumedCapacity();
    }

    static ConsumedCapacity get(String id, boolean consistent) {
        return node.client().getItem(r -> r.tableName("Docs").key(Map.of("id", s(id))).consistentRead(consistent)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
    }

    @Test
    void aTableNamedByItsArnIsReportedByItsArn() {
        // As DynamoDB echoes the TableName sent (a 2026 test suite run against it).
        String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Docs";
        ddb.putItem(r -> r.tableName(arn).item(doc("arn", 10)));
        assertEquals(arn, ddb.getItem(r -> r.tableName(arn).key(Map.of("id", s("arn"))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().tableName());
        assertEquals(arn, ddb.putItem(r -> r.tableName(arn).item(doc("arn", 10)).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
                .consumedCapacity().tableName());
        assertEquals(arn, ddb.query(r -> r.tableName(arn).keyConditionExpression("id = :id").expressionAttributeValues(Map.of(":id", s("arn")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().tableName());
        assertEquals("Docs", get("arn", false).tableName());
    }

    @Test
    void writesCostOneUnitPerKilobyteOfTheLargerImage() {
        assertEquals(1.0, put(doc("a", 1024), ReturnConsumedCapacity.TOTAL).capacityUnits());
        assertEquals(2.0, put(doc("b", 1025), ReturnConsumedCapacity.TOTAL).capacityUnits());
        assertEquals(3.0, put(doc("c", 2500), ReturnConsumedCapacity.TOTAL).capacityUnits());
        // Replacing a 2.5 KB item by a small one costs what the old one did.
        ConsumedCapacity replaced = put(doc("c", 10), ReturnConsumedCapacity.INDEXES);
        assertEquals(3.0, replaced.capacityUnits());
        assertEquals(3.0, replaced.table().capacityUnits());
        assertEquals("Docs", replaced.tableName());
        assertNull(put(doc("d", 10), ReturnConsumedCapacity.NONE));
        assertNull(ddb.putItem(r -> r.tableName("Docs").item(doc("d", 10))).consumedCapacity());

        put(doc("e", 2500), ReturnConsumedCapacity.NONE);
        assertEquals(3.0, ddb.deleteItem(r -> r.tableName("Docs").key(Map.of("id", s("e")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits());
        assertEquals(1.0, ddb.deleteItem(r -> r.tableName("Docs").key(Map.of("id", s("e")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits(), "deleting nothing costs a unit");
    }

    @Test
    void readsCostOneUnitPer4KilobytesAndHalfWhenEventual() {
        put(doc("r", 4096), ReturnConsumedCapacity.NONE);
        put(doc("s", 10 * 1024), ReturnConsumedCapacity.NONE);
        assertEquals(1.0, get("r", true).capacityUnits());
        assertEquals(0.5, get("r", false).capacityUnits());
        assertEquals(3.0, get("s", true).capacityUnits());
        assertEquals(1.5, get("s", false).capacityUnits());
        assertEquals(1.0, get("missing", true).capacityUnits(), "reading nothing costs a unit");
        assertEquals(0.5, get("missing", false).capacityUnits());
        ConsumedCapacity indexes = ddb.getItem(r -> r.tableName("Docs").key(Map.of("id", s("r")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
        assertEquals(0.5, indexes.table().capacityUnits());
        assertNull(ddb.getItem(r -> r.tableName("Docs").key(Map.of("id", s("r")))).consumedCapacity());
    }

    @Test
    void itemCollectionMetricsAreNotReturnedWithoutLocalIndexes() throws Exception {
        var put = ddb.putItem(r -> r.tableName("Docs").item(doc("m", 10)).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        assertNull(put.itemCollectionMetrics());
        var delete = ddb.deleteItem(r -> r.tableName("Docs").key(Map.of("id", s("m"))).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        assertNull(delete.itemCollectionMetrics());
        TestTables.Raw raw = TestTables.raw(node.server(), "PutItem", "{'TableName':'Docs','Item':{'id':{'S':'w'}},"
                + "'ReturnConsumedCapacity':'INDEXES','ReturnItemCollectionMetrics':'SIZE','ReturnValues':'ALL_OLD'}");
        assertEquals(Json.MAPPER.readTree("{\"ConsumedCapacity\":{\"TableName\":\"Docs\",\"CapacityUnits\":1.0,"
                + "\"Table\":{\"CapacityUnits\":1.0}}}"), raw.body());
        TestTables.Raw again = TestTables.raw(node.server(), "PutItem", "{'TableName':'Docs','Item':{'id':{'S':'w'}},"
                + "'ReturnConsumedCapacity':'TOTAL','ReturnValues':'ALL_OLD'}");
        assertEquals(Json.MAPPER.readTree("{\"Attributes\":{\"id\":{\"S\":\"w\"}},"
                + "\"ConsumedCapacity\":{\"TableName\":\"Docs\",\"CapacityUnits\":1.0}}"), again.body());
        assertFalse(again.body().has("ItemCollectionMetrics"));
    }

    @Test
    void invalidSettingsAreRejected() {
        invalid("2 validation errors detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'ALL' at 'returnItemCollectionMetrics' "
                        + "failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
                () -> ddb.putItem(r -> r.tableName("Docs").item(doc("z", 10)).returnConsumedCapacity("ALL").returnItemCollectionMetrics("ALL")));
        invalid("1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
                () -> ddb.deleteItem(r -> r.tableName("Docs").key(Map.of("id", s("z"))).returnConsumedCapacity("ALL")));
        invalid("1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
                () -> ddb.getItem(r -> r.tableName("Docs").key(Map.of("id", s("z"))).returnConsumedCapacity("ALL")));
        assertNull(get("z", true).table(), "TOTAL has no per-table breakdown");
    }
}
