package io.eddy.gateway;

import static io.eddy.gateway.GlobalSecondaryIndexTest.awaitUntil;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * DeleteTable is refused while a global secondary or vector index of the table is being built or
 * dropped, as DynamoDB refuses it, and goes through once the index has settled.
 */
class DeleteTableWhileIndexesChangeTest {

    private static final String IN_USE = "Attempt to change a resource which is still in use: "
            + "Cannot delete table while indexes are being created, updated, or deleted.";

    @Test
    void refusedWhileAnIndexIsBuiltOrDroppedThenDeleted(@TempDir Path dir) throws Exception {
        try (TestNode held = GlobalSecondaryIndexTest.startWithIndexesHeld(dir)) {
            DynamoDbClient ddb = held.client;
            TestTables.create(ddb, "Players", "id", ScalarAttributeType.S, null, null);
            ddb.putItem(b -> b.tableName("Players").item(Map.of("id", s("p1"), "team", s("red"))));
            var created = GlobalSecondaryIndexTest.addIndex(ddb, "Players", "byTeam", "team", ScalarAttributeType.S);
            assertEquals(IndexStatus.CREATING, created.globalSecondaryIndexes().get(0).indexStatus());

            rejected("ResourceInUseException", IN_USE, () -> ddb.deleteTable(b -> b.tableName("Players")));
            assertEquals(TableStatus.ACTIVE, ddb.describeTable(b -> b.tableName("Players")).table().tableStatus());
            assertEquals(s("red"), ddb.getItem(b -> b.tableName("Players").key(Map.of("id", s("p1")))).item().get("team"),
                    "nothing of the table was dropped");

            rejected("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
                    + "per table", () -> ddb.updateTable(b -> b.tableName("Players")
                    .attributeDefinitions(a -> a.attributeName("score").attributeType(ScalarAttributeType.N))
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byScore")
                            .keySchema(k -> k.attributeName("score").keyType(KeyType.HASH))
                            .projection(p -> p.projectionType(ProjectionType.ALL))))));

            // The index being built may be deleted (DynamoDB allows it while the index backfills).
            var deleting = ddb.updateTable(b -> b.tableName("Players")
                    .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byTeam")))).tableDescription();
            assertEquals(IndexStatus.DELETING, deleting.globalSecondaryIndexes().get(0).indexStatus());
            rejected("ResourceInUseException", IN_USE, () -> ddb.deleteTable(b -> b.tableName("Players")));

            TestTables.create(ddb, "Products", "id", ScalarAttributeType.S, null, null);
            ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("p1"), "embedding",
                    AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromN("0"), AttributeValue.fromN("0"))))));
            var vector = ddb.updateTable(b -> b.tableName("Products").vectorIndexUpdates(u -> u.create(c -> c.indexName("byEmbedding")
                    .vectorAttribute(v -> v.attributeName("embedding")).dimensions(3L).distanceFunction("COSINE")
                    .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))))).tableDescription();
            assertEquals("CREATING", vector.vectorIndexes().get(0).indexStatusAsString());
            rejected("ResourceInUseException", IN_USE, () -> ddb.deleteTable(b -> b.tableName("Products")));
            var vectorDeleting = ddb.updateTable(b -> b.tableName("Products")
                    .vectorIndexUpdates(u -> u.delete(d -> d.indexName("byEmbedding")))).tableDescription();
            assertEquals("DELETING", vectorDeleting.vectorIndexes().get(0).indexStatusAsString());
            rejected("ResourceInUseException", IN_USE, () -> ddb.deleteTable(b -> b.tableName("Products")));
        }

        // Restarted with the default interval, the indexes settle and the tables can go.
        try (TestNode settled = TestNode.start(dir)) {
            DynamoDbClient ddb = settled.client;
            awaitUntil("byTeam dropped", () -> !ddb.describeTable(b -> b.tableName("Players")).table().hasGlobalSecondaryIndexes());
            awaitUntil("byEmbedding dropped", () -> !ddb.describeTable(b -> b.tableName("Products")).table().hasVectorIndexes());
            assertEquals(TableStatus.DELETING, ddb.deleteTable(b -> b.tableName("Players")).tableDescription().tableStatus());
            assertEquals(TableStatus.DELETING, ddb.deleteTable(b -> b.tableName("Products")).tableDescription().tableStatus());
            assertTrue(ddb.listTables().tableNames().isEmpty());
        }
    }
}
