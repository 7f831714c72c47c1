package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Many clients move money between accounts with conditional transactions while others read every
 * account with TransactGetItems: each read that succeeds sees the total unchanged (a serializable
 * snapshot across partitions), the balances end where the committed transfers put them, none is
 * negative, and no item stays locked.
 */
class TransactionConcurrencyTest {

    private static final int ACCOUNTS = 12;
    private static final int INITIAL = 100;
    private static final int WRITERS = 6;
    private static final int TRANSFERS_PER_WRITER = 40;
    private static final int READERS = 2;

    @TempDir
    Path dataDir;

    @Test
    void concurrentTransfersKeepTheTotalInEveryRead() throws Exception {
        try (TestNode server = TestNode.start(dataDir)) {
            DynamoDbClient ddb = server.client;
            TestTables.create(ddb, "Bank", "id", ScalarAttributeType.S, null, null);
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = account(i);
                ddb.putItem(b -> b.tableName("Bank").item(Map.of("id", s(id), "balance", n(Integer.toString(INITIAL)))));
            }

            AtomicIntegerArray expected = new AtomicIntegerArray(ACCOUNTS);
            for (int i = 0; i < ACCOUNTS; i++) expected.set(i, INITIAL);
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger conditionFailures = new AtomicInteger();
            AtomicInteger writeConflicts = new AtomicInteger();
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger readConflicts = new AtomicInteger();
            List<String> badTotals = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean writing = new AtomicBoolean(true);

            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(start(() -> {
                    while (writing.get()) {
                        try {
                            int total = total(ddb);
                            reads.incrementAndGet();
                            if (total != ACCOUNTS * INITIAL) badTotals.add("read a total of " + total);
                        } catch (TransactionCanceledException e) {
                            assertCodes(e, "TransactionConflict");
                            readConflicts.incrementAndGet();
                        } catch (Throwable e) {
                            badTotals.add("reader failed: " + e);
                            return;
                        }
                    }
                }));
            }
            ConcurrentWritesTest.concurrently(WRITERS, writer -> {
                Random random = new Random(writer);
                for (int t = 0; t < TRANSFERS_PER_WRITER; t++) {
                    int from = random.nextInt(ACCOUNTS);
                    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    int amount = 1 + random.nextInt(40);
                    try {
                        transfer(ddb, from, to, amount);
                        committed.incrementAndGet();
                        expected.addAndGet(from, -amount);
                        expected.addAndGet(to, amount);
                    } catch (TransactionCanceledException e) {
                        List<String> codes = e.cancellationReasons().stream().map(CancellationReason::code).toList();
                        if (codes.contains("TransactionConflict")) writeConflicts.incrementAndGet();
                        else conditionFailures.incrementAndGet();
                        assertCodes(e, "ConditionalCheckFailed", "TransactionConflict");
                    }
                }
            });
            writing.set(false);
            for (Thread reader : readers) reader.join();

            assertEquals(List.of(), badTotals, "every successful read sees the whole total");
            assertEquals(ACCOUNTS * INITIAL, total(ddb));
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = account(i);
                int balance = Integer.parseInt(ddb.getItem(b -> b.tableName("Bank").key(Map.of("id", s(id)))).item().get("balance").n());
                assertEquals(expected.get(i), balance, "balance of " + id + " after the committed transfers");
                assertTrue(balance >= 0, "the condition kept " + id + " from going negative");
                // No item stays locked: a single-item write to each account goes through.
                ddb.updateItem(b -> b.tableName("Bank").key(Map.of("id", s(id))).updateExpression("SET checked = :t")
                        .expressionAttributeValues(Map.of(":t", n("1"))));
            }
            assertTrue(committed.get() > 0, "some transfers committed");
            System.out.printf("transfers: %d committed, %d refused by their condition, %d conflicts; reads: %d consistent, %d conflicts%n",
                    committed.get(), conditionFailures.get(), writeConflicts.get(), reads.get(), readConflicts.get());
        }
    }

    private static String account(int i) {
        return "acct-" + i;
    }

    private static void transfer(DynamoDbClient ddb, int from, int to, int amount) {
        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName("Bank").key(Map.of("id", s(account(from))))
                        .updateExpression("SET balance = balance - :x").conditionExpression("balance >= :x")
                        .expressionAttributeValues(Map.of(":x", n(Integer.toString(amount))))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("Bank").key(Map.of("id", s(account(to))))
                        .updateExpression("SET balance = balance + :x")
                        .expressionAttributeValues(Map.of(":x", n(Integer.toString(amount))))).build()));
    }

    /** The sum of all balances, read as one snapshot. */
    private static int total(DynamoDbClient ddb) {
        List<TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = account(i);
            gets.add(TransactGetItem.builder().get(g -> g.tableName("Bank").key(Map.of("id", s(id)))).build());
        }
        int total = 0;
        for (ItemResponse item : ddb.transactGetItems(b -> b.transactItems(gets)).responses()) {
            total += Integer.parseInt(item.item().get("balance").n());
        }
        return total;
    }

    /** Every reason is None or one of {@code allowed}, and at least one is not None. */
    private static void assertCodes(TransactionCanceledException e, String... allowed) {
        List<String> codes = e.cancellationReasons().stream().map(CancellationReason::code).toList();
        assertTrue(codes.stream().allMatch(code -> code.equals("None") || List.of(allowed).contains(code)), codes.toString());
        assertTrue(codes.stream().anyMatch(code -> !code.equals("None")), codes.toString());
    }

    private static Thread start(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }
}
