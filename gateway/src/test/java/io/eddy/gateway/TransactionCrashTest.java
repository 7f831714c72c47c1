package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A server in its own process is killed with SIGKILL in the middle of a stream of transfers, each
 * a transaction of three items in different partitions: two balances and a record of the
 * transfer. After a restart on the same data directory every transfer is all there or not there
 * at all (each balance is exactly what the recorded transfers make it), every acknowledged transfer
 * is there, and nothing stays locked.
 */
class TransactionCrashTest {

    private static final int ACCOUNTS = 8;
    private static final int INITIAL = 100;
    private static final int WRITERS = 6;

    @TempDir
    Path dataDir;

    @Test
    void everyTransactionIsAllOrNothingAfterKillDashNine() throws Exception {
        ServerProcess serverProcess = ServerProcess.fromClassPath(dataDir);
        Process server = serverProcess.process;
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            DynamoDbClient ddb = TestNode.noRetryClient(TestNode.endpoint(serverProcess.port));
            TestTables.create(ddb, "Ledger", "id", ScalarAttributeType.S, null, null);
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = account(i);
                ddb.putItem(b -> b.tableName("Ledger").item(Map.of("id", s(id), "balance", n(Integer.toString(INITIAL)))));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    Random random = new Random(writer);
                    for (int t = 0; running.get(); t++) {
                        String transfer = "transfer-" + writer + "-" + t;
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        int amount = 1 + random.nextInt(20);
                        attempted.add(transfer);
                        try {
                            transfer(ddb, transfer, from, to, amount);
                            acknowledged.add(transfer);
                        } catch (TransactionCanceledException refused) {
                            // a condition or a conflict: nothing was written
                        } catch (RuntimeException e) {
                            if (!server.isAlive()) return;
                        }
                    }
                });
                thread.start();
                writers.add(thread);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (acknowledged.size() < 40 && System.nanoTime() < deadline) Thread.sleep(20);
            server.destroyForcibly(); // SIGKILL, transactions in every phase
            server.waitFor();
            running.set(false);
            for (Thread t : writers) t.join();
            ddb.close();
            assertTrue(acknowledged.size() >= 40, "transfers acknowledged before the kill: " + acknowledged.size());
        } finally {
            server.destroyForcibly();
        }

        try (TestNode restarted = TestNode.start(dataDir)) {
            DynamoDbClient ddb = restarted.client;
            List<String> everyItem = new ArrayList<>(attempted);
            for (int i = 0; i < ACCOUNTS; i++) everyItem.add(account(i));
            awaitNoTransactionInDoubt(ddb, everyItem);
            Map<String, Integer> balances = balances(ddb);
            Map<String, Map<String, AttributeValue>> transfers = new HashMap<>();
            for (Map<String, AttributeValue> item : ddb.scan(b -> b.tableName("Ledger")).items()) {
                if (item.get("id").s().startsWith("transfer-")) transfers.put(item.get("id").s(), item);
            }
            Map<String, Integer> expected = new HashMap<>();
            for (int i = 0; i < ACCOUNTS; i++) expected.put(account(i), INITIAL);
            for (Map<String, AttributeValue> transfer : transfers.values()) {
                int amount = Integer.parseInt(transfer.get("amount").n());
                expected.merge(transfer.get("from").s(), -amount, Integer::sum);
                expected.merge(transfer.get("to").s(), amount, Integer::sum);
            }
            assertEquals(expected, balances, "balances are exactly what the " + transfers.size() + " recorded transfers make them");
            assertEquals(ACCOUNTS * INITIAL, balances.values().stream().mapToInt(Integer::intValue).sum());
            List<String> lost = acknowledged.stream().filter(id -> !transfers.containsKey(id)).toList();
            assertEquals(List.of(), lost, "acknowledged transfers lost after kill -9");
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = account(i);
                ddb.updateItem(b -> b.tableName("Ledger").key(Map.of("id", s(id))).updateExpression("SET checked = :t")
                        .expressionAttributeValues(Map.of(":t", n("1"))));
            }
        }
    }

    private static String account(int i) {
        return "account-" + i;
    }

    private static void transfer(DynamoDbClient ddb, String transfer, int from, int to, int amount) {
        Map<String, AttributeValue> x = Map.of(":x", n(Integer.toString(amount)));
        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName("Ledger").key(Map.of("id", s(account(from))))
                        .updateExpression("SET balance = balance - :x").conditionExpression("balance >= :x")
                        .expressionAttributeValues(x)).build(),
                TransactWriteItem.builder().update(u -> u.tableName("Ledger").key(Map.of("id", s(account(to))))
                        .updateExpression("SET balance = balance + :x").expressionAttributeValues(x)).build(),
                TransactWriteItem.builder().put(p -> p.tableName("Ledger").conditionExpression("attribute_not_exists(id)")
                        .item(Map.of("id", s(transfer), "from", s(account(from)), "to", s(account(to)), "amount", x.get(":x")))).build()));
    }

    /**
     * Waits until no item is held by a transaction that the kill interrupted (the restarted
     * partitions resolve those with their coordinators). No transaction starts after the restart,
     * so once each item has been read unlocked, all are. The deadline is for liveness only.
     */
    private static void awaitNoTransactionInDoubt(DynamoDbClient ddb, List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int from = 0; from < ids.size(); ) {
            List<TransactGetItem> gets = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> TransactGetItem.builder().get(g -> g.tableName("Ledger").key(Map.of("id", s(id)))).build())
                    .toList();
            try {
                ddb.transactGetItems(b -> b.transactItems(gets));
                from += gets.size();
            } catch (TransactionCanceledException stillInDoubt) {
                if (System.nanoTime() > deadline) throw stillInDoubt;
                Thread.sleep(50);
            }
        }
    }

    /** The balances, read as one snapshot. */
    private static Map<String, Integer> balances(DynamoDbClient ddb) {
        List<TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = account(i);
            gets.add(TransactGetItem.builder().get(g -> g.tableName("Ledger").key(Map.of("id", s(id)))).build());
        }
        Map<String, Integer> balances = new HashMap<>();
        for (ItemResponse item : ddb.transactGetItems(b -> b.transactItems(gets)).responses()) {
            balances.put(item.item().get("id").s(), Integer.parseInt(item.item().get("balance").n()));
        }
        return balances;
    }
}
