package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.streams.PointInTimeItems;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import io.eddy.shards.TransactionCoordinator;
import io.eddy.shards.TransactionEvent;

/**
 * A node stops with transactions between their phases, their coordinators' journals as a crash
 * leaves them: one decided to commit, one only started. After the restart the partitions ask, the
 * coordinators recover from their journals, and the first transaction commits while the second
 * aborts; neither item stays locked.
 */
class CoordinatorRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void recoveredCoordinatorsFinishWhatTheyDecidedAndAbortTheRest() throws Exception {
        try (TestNode first = TestNode.start(dataDir, Map.of("eddy.transactions.participant-inquiry-after", "10m"))) {
            TestTables.create(first.client, "Recovered", "id", ScalarAttributeType.S, null, null);
            for (String id : List.of("decided", "undecided")) {
                first.client.putItem(b -> b.tableName("Recovered").item(Map.of("id", s(id), "v", n("1"))));
            }
            prepareUnder(first, "request:decided-coordinator", "decided", true);
            prepareUnder(first, "request:undecided-coordinator", "undecided", false);
        }
        try (TestNode second = TestNode.start(dataDir)) {
            awaitValue(second, "decided", "2");
            awaitValue(second, "undecided", "1");
            for (String id : List.of("decided", "undecided")) {
                second.client.updateItem(b -> b.tableName("Recovered").key(Map.of("id", s(id))).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", n("3"))));
            }
        }
    }

    /**
     * A coordinator a crash left unfinished (Committing journaled, Finished not) whose participant
     * had already applied the outcome: no participant will ever ask about it, so the next journal
     * trimming pass (every 100 ms here) starts it, it finishes, and its journal can be forgotten.
     */
    @Test
    void aCoordinatorACrashLeftUnfinishedIsStartedByTheNextTrimmingPass() throws Exception {
        try (TestNode first = TestNode.start(dataDir)) {
            TestTables.create(first.client, "Recovered", "id", ScalarAttributeType.S, null, null);
            first.client.putItem(b -> b.tableName("Recovered").item(Map.of("id", s("orphan"), "v", n("1"))));
            prepareUnder(first, "request:orphan-coordinator", "orphan", true).commit();
        }
        try (TestNode second = TestNode.start(dataDir, Map.of("eddy.journal-trimming.interval", "100ms"))) {
            assertEquals("2", second.client.getItem(b -> b.tableName("Recovered").key(Map.of("id", s("orphan")))).item().get("v").n());
            var journal = JournalTrimmingTest.journal(second);
            var serialization = org.apache.pekko.serialization.SerializationExtension.get(
                    org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(second.node.system()));
            long afterTheWindow = System.currentTimeMillis() + Duration.ofMinutes(11).toMillis();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Finished once started: then, past the idempotency window, it is forgotten.
            while (io.eddy.shards.FinishedCoordinators.forget(journal, serialization, afterTheWindow, 100, () -> false, unfinished -> {}) == 0) {
                assertTrue(System.nanoTime() < deadline, "the coordinator never finished");
                Thread.sleep(100);
            }
            assertEquals(List.of(), journal.persistenceIds("transaction-request:orphan"));
        }
    }

    /**
     * A client whose answer a crash lost sends its token again: the recovered coordinator, still
     * finishing the transaction, answers it once done (here a mismatch: the journaled request hash
     * is not this request's), not with TransactionInProgressException. Partitions inquire only
     * after 10 minutes here, so the retry is what wakes the coordinator.
     */
    @Test
    void aTokenSentAgainAfterACrashIsAnsweredOnceTheRecoveredTransactionFinishes() throws Exception {
        String token = "sent-again-after-a-crash";
        Map<String, Object> noInquiries = Map.of("eddy.transactions.participant-inquiry-after", "10m");
        try (TestNode first = TestNode.start(dataDir, noInquiries)) {
            TestTables.create(first.client, "Recovered", "id", ScalarAttributeType.S, null, null);
            first.client.putItem(b -> b.tableName("Recovered").item(Map.of("id", s("retried"), "v", n("1"))));
            prepareUnder(first, io.eddy.shards.TransactionCoordinator.entityIdForToken(token), "retried", true);
        }
        try (TestNode second = TestNode.start(dataDir, noInquiries);
             software.amazon.awssdk.services.dynamodb.DynamoDbClient once = TestNode.noRetryClient(second.endpoint())) {
            TestTables.rejected("IdempotentParameterMismatchException", "The request uses the same client token as a previous, but "
                    + "non-identical request. Do not reuse a client token with different requests, unless the requests are identical.",
                    () -> once.transactWriteItems(b -> b.clientRequestToken(token).transactItems(t -> t.update(u -> u
                            .tableName("Recovered").key(Map.of("id", s("retried"))).updateExpression("SET v = :v")
                            .expressionAttributeValues(Map.of(":v", n("5")))))));
            awaitValue(second, "retried", "2");
        }
    }

    @Test
    void aTransactionDecidedBeforeACrashCountsAtItsDecisionInAPointInTimeRestore() throws Exception {
        Instant decided;
        try (TestNode first = TestNode.start(dataDir, Map.of("eddy.transactions.participant-inquiry-after", "10m"))) {
            TestTables.create(first.client, "Recovered", "id", ScalarAttributeType.S, null, null);
            first.client.updateContinuousBackups(b -> b.tableName("Recovered")
                    .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
            first.client.putItem(b -> b.tableName("Recovered").item(Map.of("id", s("decided"), "v", n("1"))));
            prepareUnder(first, "request:decided-coordinator", "decided", true);
            Thread.sleep(5);
            decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            // The commit reaches the partition only after the restart, well past the moment.
            Thread.sleep(PointInTimeItems.SETTLE.toMillis() + 500);
        }
        try (TestNode second = TestNode.start(dataDir)) {
            awaitValue(second, "decided", "2");
            second.client.restoreTableToPointInTime(b -> b.sourceTableName("Recovered").targetTableName("RecoveredThen")
                    .restoreDateTime(decided));
            TestTables.awaitActive(second.client, "RecoveredThen");
            assertEquals("2", second.client.getItem(b -> b.tableName("RecoveredThen").key(Map.of("id", s("decided")))).item().get("v").n());
        }
    }

    /** Prepares a transaction setting v = 2 on the item, and journals its coordinator's state as a crash would leave it. */
    private static PendingTransaction prepareUnder(TestNode node, String coordinator, String id, boolean committing) throws Exception {
        String transactionId = coordinator + "/1";
        PendingTransaction pending = PendingTransaction.prepare(node, transactionId, "Recovered", id,
                Optional.of(Map.of("id", io.eddy.model.AttributeValue.s(id), "v", io.eddy.model.AttributeValue.n("2"))));
        List<TransactionEvent> events = committing
                ? List.of(new TransactionEvent.Started(transactionId, "hash", List.of(pending.partitionId)),
                        new TransactionEvent.Committing(transactionId, io.eddy.model.TableStream.micros(java.time.Instant.now())))
                : List.of(new TransactionEvent.Started(transactionId, "hash", List.of(pending.partitionId)));
        CompletableFuture<Void> written = new CompletableFuture<>();
        node.node.system().systemActorOf(journal(coordinator, events, written), "journal-" + id, Props.empty()).tell("write");
        written.get(30, TimeUnit.SECONDS);
        return pending;
    }

    /** Writes {@code events} to the coordinator's journal, as the coordinator would have, then stops. */
    private static Behavior<String> journal(String coordinator, List<TransactionEvent> events, CompletableFuture<Void> written) {
        return new EventSourcedBehavior<String, TransactionEvent, Integer>(TransactionCoordinator.persistenceId(coordinator)) {
            @Override
            public Integer emptyState() {
                return 0;
            }

            @Override
            public CommandHandler<String, TransactionEvent, Integer> commandHandler() {
                return newCommandHandlerBuilder().forAnyState()
                        .onAnyCommand(command -> Effect().persist(events).thenRun(state -> written.complete(null)).thenStop());
            }

            @Override
            public EventHandler<Integer, TransactionEvent> eventHandler() {
                return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state + 1);
            }
        };
    }

    private static void awaitValue(TestNode node, String id, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                // A write that changes nothing is still refused while the item is locked.
                node.client.updateItem(b -> b.tableName("Recovered").key(Map.of("id", s(id))).updateExpression("REMOVE absent"));
                Map<String, AttributeValue> item = node.client.getItem(b -> b.tableName("Recovered").key(Map.of("id", s(id)))).item();
                assertEquals(expected, item.get("v").n(), id);
                return;
            } catch (TransactionConflictException stillLocked) {
                if (System.nanoTime() > deadline) throw new AssertionError(id + " still locked");
                Thread.sleep(50);
            }
        }
    }
}
