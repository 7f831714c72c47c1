package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What the rest of the API sees of a transaction between its two phases: the test holds one
 * prepared on an item (playing its coordinator) and looks at the item every way there is.
 */
class TransactionIsolationTest {

    // The test resolves its transactions itself: partitions must not ask for them meanwhile.
    @RegisterExtension
    static final NodeExtension node = NodeExtension.with(Map.of("eddy.transactions.participant-inquiry-after", "10m"));
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        TestTables.create(node.client(), "Isolated", "id", ScalarAttributeType.S, null, null);
    }

    static Map<String, AttributeValue> item(String id, int v) {
        return Map.of("id", s(id), "v", n(Integer.toString(v)));
    }

    /** The item as the partition stores it. */
    static Optional<Map<String, io.eddy.model.AttributeValue>> modelItem(String id, int v) {
        return Optional.of(Map.of("id", io.eddy.model.AttributeValue.s(id), "v", io.eddy.model.AttributeValue.n(Integer.toString(v))));
    }

    static Map<String, AttributeValue> get(String id) {
        return node.client().getItem(b -> b.tableName("Isolated").key(Map.of("id", s(id)))).item();
    }

    @Test
    void aPendingTransactionLocksItsItemAgainstWritesAndHidesItsImageFromReads() throws Exception {
        ddb.putItem(b -> b.tableName("Isolated").item(item("locked", 1)));
        ddb.putItem(b -> b.tableName("Isolated").item(item("free", 1)));
        PendingTransaction pending = PendingTransaction.prepare(node.server(), "Isolated", "locked", modelItem("locked", 2));

        String conflict = "Transaction is ongoing for the item";
        rejected("TransactionConflictException", conflict, () -> ddb.putItem(b -> b.tableName("Isolated").item(item("locked", 3))));
        rejected("TransactionConflictException", conflict, () -> ddb.updateItem(b -> b.tableName("Isolated")
                .key(Map.of("id", s("locked"))).updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", n("3")))));
        TransactionConflictException typed = assertThrows(TransactionConflictException.class,
                () -> ddb.deleteItem(b -> b.tableName("Isolated").key(Map.of("id", s("locked")))));
        assertEquals(conflict, typed.awsErrorDetails().errorMessage());
        var batch = ddb.batchWriteItem(b -> b.requestItems(Map.of("Isolated", List.of(
                WriteRequest.builder().putRequest(p -> p.item(item("locked", 4))).build(),
                WriteRequest.builder().putRequest(p -> p.item(item("free", 4))).build()))));
        assertEquals(List.of(item("locked", 4)), batch.unprocessedItems().get("Isolated").stream()
                .map(w -> w.putRequest().item()).toList(), "a batch write to the locked item stays unprocessed");

        TransactionCanceledException write = assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("Isolated").item(item("other", 1))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("Isolated").key(Map.of("id", s("locked")))
                        .conditionExpression("attribute_exists(id)")).build())));
        assertEquals(List.of("None", "TransactionConflict"), write.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals(conflict, write.cancellationReasons().get(1).message());
        TransactionCanceledException read = assertThrows(TransactionCanceledException.class, () -> ddb.transactGetItems(b -> b.transactItems(
                TransactGetItem.builder().get(g -> g.tableName("Isolated").key(Map.of("id", s("free")))).build(),
                TransactGetItem.builder().get(g -> g.tableName("Isolated").key(Map.of("id", s("locked")))).build())));
        assertEquals(List.of("None", "TransactionConflict"), read.cancellationReasons().stream().map(CancellationReason::code).toList());

        // Readers see the committed image only.
        assertEquals(item("locked", 1), get("locked"));
        assertEquals(item("locked", 1), ddb.query(b -> b.tableName("Isolated").keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s("locked")))).items().get(0));
        assertTrue(ddb.scan(b -> b.tableName("Isolated")).items().contains(item("locked", 1)));
        assertEquals(item("free", 4), get("free"), "other items stay writable");

        pending.commit();
        assertEquals(item("locked", 2), get("locked"));
        ddb.putItem(b -> b.tableName("Isolated").item(item("locked", 5)));
        assertEquals(item("locked", 5), get("locked"), "unlocked once committed");
    }

    @Test
    void anAbortedTransactionLeavesTheItemAsItWasAndUnlocked() throws Exception {
        ddb.putItem(b -> b.tableName("Isolated").item(item("aborted", 1)));
        PendingTransaction pending = PendingTransaction.prepare(node.server(), "Isolated", "aborted", Optional.empty());
        rejected("TransactionConflictException", "Transaction is ongoing for the item",
                () -> ddb.deleteItem(b -> b.tableName("Isolated").key(Map.of("id", s("aborted")))));
        pending.abort();
        assertEquals(item("aborted", 1), get("aborted"));
        ddb.updateItem(b -> b.tableName("Isolated").key(Map.of("id", s("aborted"))).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", n("2"))));
        assertEquals(item("aborted", 2), get("aborted"));
    }

    @Test
    void aPreparedTransactionSurvivesARestartAndItsLockWithIt(@TempDir Path restartDir) throws Exception {
        String id = "restarted";
        try (TestNode first = TestNode.start(restartDir, Map.of("eddy.transactions.participant-inquiry-after", "10m"))) {
            TestTables.create(first.client, "Restarted", "id", ScalarAttributeType.S, null, null);
            first.client.putItem(b -> b.tableName("Restarted").item(item(id, 1)));
            PendingTransaction.prepare(first, "Restarted", id, modelItem(id, 2));
        }
        // Its coordinator never heard of it: after the restart the partition asks, and it is aborted.
        try (TestNode second = TestNode.start(restartDir)) {
            awaitUnlocked(second.client, "Restarted", id);
            assertEquals(item(id, 1), second.client.getItem(b -> b.tableName("Restarted").key(Map.of("id", s(id)))).item());
        }
    }

    @Test
    void aLostCoordinatorNeverLeavesItemsLocked(@TempDir Path lostDir) throws Exception {
        try (TestNode node = TestNode.start(lostDir, Map.of("eddy.transactions.participant-inquiry-after", "200ms"))) {
            TestTables.create(node.client, "Lost", "id", ScalarAttributeType.S, null, null);
            node.client.putItem(b -> b.tableName("Lost").item(item("orphan", 1)));
            PendingTransaction.prepare(node, "Lost", "orphan", modelItem("orphan", 2));
            awaitUnlocked(node.client, "Lost", "orphan");
            assertEquals(item("orphan", 1), node.client.getItem(b -> b.tableName("Lost").key(Map.of("id", s("orphan")))).item());
        }
    }

    /** Waits (with a generous deadline, for liveness only) until a write to the item is accepted. */
    private static void awaitUnlocked(DynamoDbClient client, String table, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                client.updateItem(b -> b.tableName(table).key(Map.of("id", s(id))).updateExpression("SET touched = :t")
                        .expressionAttributeValues(Map.of(":t", n("1"))).conditionExpression("attribute_exists(id)"));
                client.updateItem(b -> b.tableName(table).key(Map.of("id", s(id))).updateExpression("REMOVE touched"));
                return;
            } catch (TransactionConflictException stillLocked) {
                if (System.nanoTime() > deadline) throw new AssertionError("item " + id + " still locked");
                Thread.sleep(50);
            }
        }
    }
}
