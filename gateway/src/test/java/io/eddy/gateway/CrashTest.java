package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A server in its own process is killed with SIGKILL while clients write; every write that was
 * answered with 200 must be readable after a restart on the same data directory.
 */
class CrashTest {

    /** Client threads writing when the server is killed, each one request at a time. */
    private static final int WRITERS = 8;

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        ServerProcess serverProcess = ServerProcess.fromClassPath(dataDir);
        Process server = serverProcess.process;
        try {
            DynamoDbClient ddb = TestNode.noRetryClient(TestNode.endpoint(serverProcess.port));
            ddb.createTable(b -> b.tableName("Crash").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));

            Set<String> acknowledged = writeThenKill(server, (writer, i) -> {
                String id = writer + "-" + i;
                ddb.putItem(b -> b.tableName("Crash").item(Map.of("id", AttributeValue.fromS(id),
                        "v", AttributeValue.fromN(Integer.toString(writer)))));
                return id;
            });
            ddb.close();
            assertTrue(acknowledged.size() >= 300, "writes acknowledged before the kill: " + acknowledged.size());

            try (TestNode restarted = TestNode.start(dataDir)) {
                TestTables.assertAllPresent(restarted.client, "Crash", acknowledged, "acknowledged writes lost after kill -9");
                // Every partition has recovered (every item was read). A write is applied to the store
                // before it is answered, so the journal's un-applied tail holds at most the writes in
                // flight at the kill: one per writer. Recovery replays that tail, not the journal.
                long replayed = restarted.node.shards().partitions().replayedEvents();
                assertTrue(replayed <= WRITERS, "replayed " + replayed + " events; at most " + WRITERS + " writes were in flight");
            }
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * The same with a local and a global secondary index, and the journal trimmed as often as it
     * can be: after the restart each local index holds
     * exactly the table's items (its entries were written with them, and rebuilt by the replay),
     * and the global index converges to them (its feeds resume from their checkpoints).
     */
    @Test
    void indexesMatchTheTableAfterKillDashNine() throws Exception {
        // The journal is trimmed behind the writes and the index feeds all along: the kill lands
        // amid deletions too, and neither the table nor its indexes may lose what was trimmed.
        ServerProcess serverProcess = ServerProcess.fromClassPath(dataDir, List.of("-Deddy.journal-trimming.interval=50ms"));
        Process server = serverProcess.process;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            DynamoDbClient ddb = TestNode.noRetryClient(TestNode.endpoint(serverProcess.port));
            ddb.createTable(b -> b.tableName("Indexed").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(definition("w", ScalarAttributeType.S), definition("seq", ScalarAttributeType.N),
                            definition("v", ScalarAttributeType.N))
                    .keySchema(key("w", KeyType.HASH), key("seq", KeyType.RANGE))
                    .localSecondaryIndexes(l -> l.indexName("byV").keySchema(key("w", KeyType.HASH), key("v", KeyType.RANGE))
                            .projection(p -> p.projectionType("KEYS_ONLY")))
                    .globalSecondaryIndexes(g -> g.indexName("allByV").keySchema(key("v", KeyType.HASH), key("seq", KeyType.RANGE))
                            .projection(p -> p.projectionType("ALL"))));
            acknowledged.addAll(writeThenKill(server, (writer, seq) -> {
                ddb.putItem(b -> b.tableName("Indexed").item(Map.of("w", AttributeValue.fromS("w" + writer),
                        "seq", AttributeValue.fromN(Integer.toString(seq)),
                        "v", AttributeValue.fromN(Integer.toString(seq % 7)))));
                return writer + "/" + seq;
            }));
            ddb.close();
            assertTrue(acknowledged.size() >= 300, "writes acknowledged before the kill: " + acknowledged.size());
        } finally {
            server.destroyForcibly();
        }

        try (TestNode restarted = TestNode.start(dataDir)) {
            var journal = JournalTrimmingTest.journal(restarted);
            assertTrue(JournalTrimmingTest.persistenceIds(restarted, "Indexed").stream().anyMatch(id -> journal.lowestSequenceNr(id) > 1),
                    "the journal was trimmed before the kill");
            DynamoDbClient client = restarted.client;
            Set<String> inTable = new java.util.HashSet<>();
            client.scanPaginator(b -> b.tableName("Indexed")).items()
                    .forEach(item -> inTable.add(item.get("w").s().substring(1) + "/" + item.get("seq").n()));
            assertTrue(inTable.containsAll(acknowledged), "acknowledged writes lost after kill -9");
            Set<String> inLocalIndex = new java.util.HashSet<>();
            for (int w = 0; w < WRITERS; w++) {
                String writer = "w" + w;
                client.queryPaginator(b -> b.tableName("Indexed").indexName("byV").keyConditionExpression("w = :w")
                                .expressionAttributeValues(Map.of(":w", AttributeValue.fromS(writer)))).items()
                        .forEach(item -> inLocalIndex.add(item.get("w").s().substring(1) + "/" + item.get("seq").n()));
            }
            assertEquals(inTable, inLocalIndex, "the local index holds exactly the table's items");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Set<String> inGlobalIndex = globalIndexContents(client);
            while (!inGlobalIndex.equals(inTable) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                inGlobalIndex = globalIndexContents(client);
            }
            assertEquals(inTable, inGlobalIndex, "the global index converges to the table's items");
        }
    }

    /** One acknowledged write by writer {@code writer} (0-7), its {@code i}-th; returns its name. */
    @FunctionalInterface
    private interface Write {
        String run(int writer, int i);
    }

    /**
     * Eight writers write until 300 writes are acknowledged (or 60 s pass), then the server is
     * killed with SIGKILL; returns the names of the acknowledged writes.
     */
    private static Set<String> writeThenKill(Process server, Write write) throws InterruptedException {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        acknowledged.add(write.run(writer, i));
                    } catch (RuntimeException e) {
                        if (!server.isAlive()) return;
                        // Refused (the table still being created, say): not a spin that takes the server's cores.
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < 300 && System.nanoTime() < deadline) Thread.sleep(50);
        server.destroyForcibly(); // SIGKILL
        server.waitFor();
        running.set(false);
        for (Thread t : writers) t.join();
        return acknowledged;
    }

    private static Set<String> globalIndexContents(DynamoDbClient client) {
        Set<String> contents = new java.util.HashSet<>();
        for (int v = 0; v < 7; v++) {
            String value = Integer.toString(v);
            client.queryPaginator(b -> b.tableName("Indexed").indexName("allByV").keyConditionExpression("v = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(value)))).items()
                    .forEach(item -> contents.add(item.get("w").s().substring(1) + "/" + item.get("seq").n()));
        }
        return contents;
    }

    private static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

}
