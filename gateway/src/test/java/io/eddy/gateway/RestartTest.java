package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Tables and items survive a clean stop and a start on the same data directory. */
class RestartTest {

    @TempDir
    Path dataDir;

    @Test
    void everythingWrittenIsReadBackAfterRestart() throws Exception {
        TableDescription before;
        try (TestNode first = TestNode.start(dataDir)) {
            var ddb = first.client;
            ddb.createTable(b -> b.tableName("Durable").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
            ddb.createTable(b -> b.tableName("Dropped").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            for (int i = 0; i < 200; i++) {
                int k = i;
                ddb.putItem(b -> b.tableName("Durable").item(Map.of(
                        "pk", AttributeValue.fromS("p" + (k % 10)), "sk", AttributeValue.fromN(Integer.toString(k)),
                        "payload", AttributeValue.fromS("value-" + k))));
            }
            for (int i = 0; i < 200; i += 4) {
                int k = i;
                ddb.deleteItem(b -> b.tableName("Durable").key(Map.of(
                        "pk", AttributeValue.fromS("p" + (k % 10)), "sk", AttributeValue.fromN(Integer.toString(k)))));
            }
            ddb.updateTable(b -> b.tableName("Durable").billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(p -> p.readCapacityUnits(11L).writeCapacityUnits(12L)));
            ddb.deleteTable(b -> b.tableName("Dropped"));
            before = ddb.describeTable(b -> b.tableName("Durable")).table();
            assertEquals(150L, before.itemCount());
        }

        try (TestNode second = TestNode.start(dataDir)) {
            var ddb = second.client;
            TableDescription after = ddb.describeTable(b -> b.tableName("Durable")).table();
            assertEquals(before.tableId(), after.tableId());
            assertEquals(before.creationDateTime(), after.creationDateTime());
            assertEquals(11L, after.provisionedThroughput().readCapacityUnits());
            assertEquals(before.itemCount(), after.itemCount());
            assertEquals(before.tableSizeBytes(), after.tableSizeBytes());
            assertFalse(ddb.listTables().tableNames().contains("Dropped"));
            for (int i = 0; i < 200; i++) {
                int k = i;
                var item = ddb.getItem(b -> b.tableName("Durable").key(Map.of(
                        "pk", AttributeValue.fromS("p" + (k % 10)), "sk", AttributeValue.fromN(Integer.toString(k))))).item();
                if (k % 4 == 0) {
                    assertFalse(item.containsKey("payload"), "deleted item " + k + " stays deleted");
                } else {
                    assertEquals("value-" + k, item.get("payload").s());
                }
            }
            // The partitions' journals continue where they stopped.
            ddb.putItem(b -> b.tableName("Durable").item(Map.of(
                    "pk", AttributeValue.fromS("p0"), "sk", AttributeValue.fromN("1000"), "payload", AttributeValue.fromS("new"))));
            assertEquals(151L, ddb.describeTable(b -> b.tableName("Durable")).table().itemCount());
        }

        try (TestNode third = TestNode.start(dataDir)) {
            assertEquals(151L, third.client.describeTable(b -> b.tableName("Durable")).table().itemCount());
        }
    }
}
