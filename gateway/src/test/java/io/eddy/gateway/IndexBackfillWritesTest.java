package io.eddy.gateway;

import static io.eddy.gateway.GlobalSecondaryIndexTest.awaitUntil;
import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * While a global index added to a table is backfilled, DynamoDB takes writes whose values would
 * violate its key and leaves those items out of the index ("index key violations"); once the
 * index is ACTIVE, such writes are refused.
 */
class IndexBackfillWritesTest {

    @Test
    void writesDuringBackfillAreNotHeldToTheNewKey(@TempDir Path dir) throws Exception {
        try (TestNode held = GlobalSecondaryIndexTest.startWithIndexesHeld(dir)) {
            DynamoDbClient ddb = held.client;
            TestTables.create(ddb, "Scores", "id", ScalarAttributeType.S, null, null);
            ddb.putItem(b -> b.tableName("Scores").item(Map.of("id", s("before"), "score", s("high"))));
            var created = GlobalSecondaryIndexTest.addIndex(ddb, "Scores", "byScore", "score", ScalarAttributeType.N);
            assertEquals(IndexStatus.CREATING, created.globalSecondaryIndexes().get(0).indexStatus());

            ddb.putItem(b -> b.tableName("Scores").item(Map.of("id", s("during"), "score", s("low"))));
            ddb.updateItem(b -> b.tableName("Scores").key(Map.of("id", s("updated")))
                    .updateExpression("SET score = :s").expressionAttributeValues(Map.of(":s", s("medium"))));
            ddb.putItem(b -> b.tableName("Scores").item(Map.of("id", s("valid"), "score", n("7"))));
            assertEquals(s("low"), ddb.getItem(b -> b.tableName("Scores").key(Map.of("id", s("during")))).item().get("score"));
        }

        try (TestNode settled = TestNode.start(dir)) {
            DynamoDbClient ddb = settled.client;
            awaitUntil("byScore active", () -> ddb.describeTable(b -> b.tableName("Scores")).table()
                    .globalSecondaryIndexes().get(0).indexStatus() == IndexStatus.ACTIVE);
            List<Map<String, AttributeValue>> indexed = ddb.scan(b -> b.tableName("Scores").indexName("byScore")).items();
            assertEquals(List.of(Map.of("id", s("valid"), "score", n("7"))), indexed, "the violating items are left out");
            String mismatch = "One or more parameter values were invalid: Type mismatch for Index Key score Expected: N Actual: S "
                    + "IndexName: byScore";
            invalid(mismatch, () -> ddb.putItem(b -> b.tableName("Scores").item(Map.of("id", s("after"), "score", s("x")))));
            // Put again as it is, an item the backfill left out is held to the key now, in a transaction too.
            Map<String, AttributeValue> before = Map.of("id", s("before"), "score", s("high"));
            invalid(mismatch, () -> ddb.putItem(b -> b.tableName("Scores").item(before)));
            TransactionCanceledException cancelled = assertThrows(TransactionCanceledException.class,
                    () -> ddb.transactWriteItems(r -> r.transactItems(t -> t.put(p -> p.tableName("Scores").item(before)))));
            assertEquals(List.of("ValidationError"), cancelled.cancellationReasons().stream().map(CancellationReason::code).toList());
            assertEquals(mismatch, cancelled.cancellationReasons().get(0).message());
        }
    }
}
