package io.eddy.gateway;

import static io.eddy.gateway.GlobalSecondaryIndexTest.gsi;
import static io.eddy.gateway.GlobalSecondaryIndexTest.players;
import static io.eddy.gateway.StreamsTest.item;
import static io.eddy.gateway.TriggersTest.admin;
import static io.eddy.gateway.TriggersTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemMutation;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.persistence.StorageKeys;
import io.eddy.shards.FinishedCoordinators;
import io.eddy.shards.PartitionId;
import io.eddy.shards.StorageExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Journal trimming on a real node: events go once every reader of the partition is past them
 * (the item store, global index feeds, triggers, streams within retention), and nothing a reader
 * needs goes: items, indexes and stream records stay whole, across a restart too.
 */
class JournalTrimmingTest {

    /**
     * Passes as often as they can run, so the tests see them at work within a few hundred ms; and
     * log segments of 16 KB, so that they fill, empty and go while the tests run.
     */
    private static final Map<String, Object> OFTEN = Map.of("eddy.journal-trimming.interval", "50ms",
            "eddy.journal.segment-size", "16k");

    @TempDir
    Path dataDir;

    static JournalStore journal(TestNode node) {
        return JournalExtension.get(Adapter.toClassic(node.node.system())).store();
    }

    static List<String> persistenceIds(TestNode node, String table) {
        TableMetadata metadata = node.node.shards().tables().find(table).orElseThrow();
        return IntStream.range(0, metadata.partitionCount())
                .mapToObj(p -> new PartitionId(metadata.id(), p).persistenceId()).toList();
    }

    /** The journal's log segments on disk. */
    long segmentFiles() {
        try (var files = java.nio.file.Files.list(dataDir.resolve("journal").resolve("segments"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether every partition of the table that has events keeps only its last one. */
    static boolean trimmedToLastEvent(JournalStore journal, List<String> ids) {
        return ids.stream().allMatch(id -> journal.lowestSequenceNr(id) == journal.highestSequenceNr(id));
    }

    /** The table's items, by key attribute {@code id}. */
    static Map<String, Map<String, AttributeValue>> scan(DynamoDbClient client, String table) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(i -> items.put(i.get("id").s(), i));
        return items;
    }

    static Map<String, AttributeValue> player(int id, int score) {
        return Map.of("id", AttributeValue.fromS("p" + id), "team", AttributeValue.fromS("t" + id % 5),
                "score", AttributeValue.fromN(Integer.toString(score)));
    }

    /** What the index answers for each team: the sorted ids. */
    static Map<String, List<String>> byTeam(DynamoDbClient client, String table) {
        Map<String, List<String>> teams = new TreeMap<>();
        for (int t = 0; t < 5; t++) {
            String team = "t" + t;
            teams.put(team, client.queryPaginator(b -> b.tableName(table).indexName("byTeam").keyConditionExpression("team = :t")
                            .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(team)))).items().stream()
                    .map(i -> i.get("id").s()).sorted().toList());
        }
        return teams;
    }

    static Map<String, List<String>> teamsOf(Map<String, Map<String, AttributeValue>> items) {
        Map<String, List<String>> teams = new TreeMap<>();
        for (int t = 0; t < 5; t++) teams.put("t" + t, new java.util.ArrayList<>());
        items.values().forEach(i -> teams.get(i.get("team").s()).add(i.get("id").s()));
        teams.values().forEach(ids -> ids.sort(null));
        return teams;
    }

    @Test
    void appliedEventsGoOnceTheIndexHasThemAndNothingIsLostAcrossARestart() throws Exception {
        Map<String, Map<String, AttributeValue>> expected = new HashMap<>();
        Map<String, Long> highest = new HashMap<>();
        try (TestNode node = TestNode.start(dataDir, OFTEN)) {
            node.client.createTable(players("Players").globalSecondaryIndexes(
                    gsi("byTeam", "team", "score", p -> p.projectionType("ALL"))).build());
            for (int i = 0; i < 120; i++) {
                int id = i;
                node.client.putItem(b -> b.tableName("Players").item(player(id, id)));
            }
            for (int i = 0; i < 40; i++) {
                int id = i;
                node.client.updateItem(b -> b.tableName("Players").key(Map.of("id", AttributeValue.fromS("p" + id)))
                        .updateExpression("SET score = score + :d").expressionAttributeValues(Map.of(":d", AttributeValue.fromN("1000"))));
            }
            for (int i = 100; i < 120; i++) {
                int id = i;
                node.client.deleteItem(b -> b.tableName("Players").key(Map.of("id", AttributeValue.fromS("p" + id))));
            }
            JournalStore journal = journal(node);
            List<String> ids = persistenceIds(node, "Players");
            await(() -> trimmedToLastEvent(journal, ids), "every partition trimmed to its last event");
            assertEquals(180 - 4, journal.eventsDeleted(), "all but each partition's last event");
            await(() -> journal.eventsRelocated() > 0 && segmentFiles() <= 2,
                    "the last events appended again out of sparse segments, and the emptied ones gone");

            expected.putAll(scan(node.client, "Players"));
            assertEquals(100, expected.size());
            assertEquals("1039", expected.get("p39").get("score").n(), "updated");
            assertEquals("40", expected.get("p40").get("score").n(), "not updated");
            GlobalSecondaryIndexTest.awaitUntil("the index matches the table", () -> byTeam(node.client, "Players").equals(teamsOf(expected)));
            ids.forEach(id -> highest.put(id, journal.highestSequenceNr(id)));
        }
        try (TestNode node = TestNode.start(dataDir, OFTEN)) {
            assertEquals(expected, scan(node.client, "Players"), "every item as it was, after recovery from a trimmed journal");
            assertEquals(teamsOf(expected), byTeam(node.client, "Players"));
            node.client.putItem(b -> b.tableName("Players").item(player(1000, 5)));
            expected.put("p1000", player(1000, 5));
            JournalStore journal = journal(node);
            long grown = persistenceIds(node, "Players").stream().filter(id -> journal.highestSequenceNr(id) == highest.get(id) + 1).count();
            assertEquals(1, grown, "the write took the next sequence number of its partition");
            GlobalSecondaryIndexTest.awaitUntil("the index has the new item", () -> byTeam(node.client, "Players").equals(teamsOf(expected)));
            assertEquals(expected.get("p1000"), node.client.getItem(b -> b.tableName("Players").consistentRead(true)
                    .key(Map.of("id", AttributeValue.fromS("p1000")))).item());
        }
    }

    @Test
    void streamRecordsStayForTheirRetentionWhileWritesBeforeTheStreamGo() throws Exception {
        try (TestNode node = TestNode.start(dataDir, OFTEN); DynamoDbStreamsClient streams = node.streamsClient()) {
            node.client.createTable(b -> b.tableName("Late").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("N"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
            for (int i = 0; i < 40; i++) {
                int k = i;
                node.client.putItem(b -> b.tableName("Late").item(item("p" + k, k, "before")));
            }
            JournalStore journal = journal(node);
            List<String> ids = persistenceIds(node, "Late");
            await(() -> trimmedToLastEvent(journal, ids), "the writes before any stream trimmed");

            String arn = node.client.updateTable(b -> b.tableName("Late")
                            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)))
                    .tableDescription().latestStreamArn();
            for (int i = 0; i < 40; i++) {
                int k = i;
                node.client.putItem(b -> b.tableName("Late").item(item("p" + k, k, "streamed")));
            }
            List<Shard> shards = StreamReader.shards(streams, arn);
            assertEquals(ids.size(), shards.size());
            await(() -> IntStream.range(0, ids.size()).allMatch(p -> {
                List<Record> records = StreamReader.readShard(streams, arn, shards.get(p).shardId(), 1000);
                long first = records.isEmpty() ? journal.highestSequenceNr(ids.get(p))
                        : Long.parseLong(records.get(0).dynamodb().sequenceNumber());
                return journal.lowestSequenceNr(ids.get(p)) == first;
            }), "each partition trimmed up to its first stream record");
            Thread.sleep(300); // several more passes: the records stay
            List<Record> records = StreamReader.readAll(streams, arn, 1000);
            assertEquals(40, records.size());
            assertTrue(records.stream().allMatch(r -> r.dynamodb().newImage().get("v").s().equals("streamed")));
        }
    }

    @Test
    void pastRetentionStreamRecordsGoButAnUndeliveredTriggerKeepsItsRecords() throws Exception {
        Map<String, Object> settings = new HashMap<>(OFTEN);
        settings.put("eddy.streams.retention", "2s");
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbStreamsClient streams = node.streamsClient()) {
            String arn = StreamsTest.createStreamed(node.client, "Brief", StreamViewType.KEYS_ONLY).latestStreamArn();
            StreamsTest.createStreamed(node.client, "Hooked", StreamViewType.KEYS_ONLY);
            // Nothing listens on the discard port: every delivery fails and is retried, for minutes.
            HttpResponse<String> created = admin(node, "PUT", "/admin/triggers/stuck", "{\"table\":\"Hooked\","
                    + "\"endpoint\":\"http://127.0.0.1:9/\",\"maxRetries\":10000,\"retryBackoffMs\":60000}");
            assertEquals(200, created.statusCode(), created.body());
            // The first record, read at once (before retention can take it): its item is written again
            // below, so it is not its partition's last event, which trimming keeps.
            node.client.putItem(b -> b.tableName("Brief").item(item("p0", 0, "first")));
            Record old = StreamReader.readAll(streams, arn, 1000).get(0);
            String oldShard = StreamReader.shards(streams, arn).stream()
                    .filter(s -> StreamReader.readShard(streams, arn, s.shardId(), 1000).contains(old)).findFirst().orElseThrow().shardId();
            for (int i = 0; i < 20; i++) {
                int k = i;
                node.client.putItem(b -> b.tableName("Brief").item(item("p" + k, k, "v")));
                node.client.putItem(b -> b.tableName("Hooked").item(item("p" + k, k, "v")));
            }
            JournalStore journal = journal(node);
            await(() -> trimmedToLastEvent(journal, persistenceIds(node, "Brief")), "records past retention trimmed");
            assertThrows(TrimmedDataAccessException.class, () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(oldShard)
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(old.dynamodb().sequenceNumber())));

            List<String> hooked = persistenceIds(node, "Hooked");
            Map<String, Long> lowest = new HashMap<>();
            hooked.forEach(id -> lowest.put(id, journal.lowestSequenceNr(id)));
            assertTrue(lowest.values().stream().anyMatch(seqNr -> seqNr == 1), "the trigger's records are kept: " + lowest);
            assertEquals(200, admin(node, "DELETE", "/admin/triggers/stuck", null).statusCode());
            await(() -> trimmedToLastEvent(journal, hooked), "without the trigger they go too");
        }
    }

    @Test
    void aDeletedTableLosesAllItsEventsAndItsPartitionIds() throws Exception {
        try (TestNode node = TestNode.start(dataDir, OFTEN)) {
            TestTables.create(node.client, "Gone", "id", ScalarAttributeType.S, null, null);
            for (int i = 0; i < 30; i++) {
                int id = i;
                node.client.putItem(b -> b.tableName("Gone").item(player(id, id)));
            }
            List<String> ids = persistenceIds(node, "Gone");
            node.client.deleteTable(b -> b.tableName("Gone"));
            JournalStore journal = journal(node);
            await(() -> ids.stream().allMatch(id -> journal.lowestSequenceNr(id) == 0), "the deleted table's events gone");
            await(() -> journal.persistenceIds(PartitionId.PERSISTENCE_PREFIX).stream().noneMatch(ids::contains),
                    "the deleted table's partitions no longer listed");

            TestTables.create(node.client, "Gone", "id", ScalarAttributeType.S, null, null);
            assertEquals(Map.of(), scan(node.client, "Gone"));
            node.client.putItem(b -> b.tableName("Gone").item(player(1, 1)));
            assertEquals(Map.of("p1", player(1, 1)), scan(node.client, "Gone"));
        }
    }

    @Test
    void aDeletedTablesStreamKeepsItsEventsForTheRetentionPeriodThenTheyGo() throws Exception {
        Map<String, Object> settings = new HashMap<>(OFTEN);
        settings.put("eddy.streams.retention", "15s");
        settings.put("eddy.catalog-compact-every", 4);
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbStreamsClient streams = node.streamsClient()) {
            String arn = StreamsTest.createStreamed(node.client, "Dropped", StreamViewType.KEYS_ONLY).latestStreamArn();
            for (int i = 0; i < 12; i++) {
                int k = i;
                node.client.putItem(b -> b.tableName("Dropped").item(item("p" + k, k, "v")));
            }
            List<String> ids = persistenceIds(node, "Dropped");
            node.client.deleteTable(b -> b.tableName("Dropped"));

            // Passes run after the deletion: another table's events are trimmed meanwhile.
            TestTables.create(node.client, "Other", "id", ScalarAttributeType.S, null, null);
            for (int i = 0; i < 20; i++) {
                int id = i;
                node.client.putItem(b -> b.tableName("Other").item(player(id, id)));
            }
            JournalStore journal = journal(node);
            await(() -> trimmedToLastEvent(journal, persistenceIds(node, "Other")), "passes running");
            assertEquals(12, StreamReader.readAll(streams, arn, 1000).size(), "the deleted table's records kept");
            assertTrue(ids.stream().anyMatch(id -> journal.lowestSequenceNr(id) == 1), "its events kept");

            await(() -> ids.stream().allMatch(id -> journal.lowestSequenceNr(id) == 0)
                    && journal.persistenceIds(PartitionId.PERSISTENCE_PREFIX).stream().noneMatch(ids::contains),
                    "past retention the deleted table's events and partition ids go");
            assertThrows(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class,
                    () -> streams.describeStream(b -> b.streamArn(arn)));
            assertTrue(streams.listStreams(b -> b.tableName("Dropped")).streams().isEmpty());

            assertEquals(1, node.node.shards().tables().retired().size());
            // The catalog's 4th change compacts it, leaving out the deleted table past retention.
            TestTables.create(node.client, "Third", "id", ScalarAttributeType.S, null, null);
            assertEquals(List.of(), node.node.shards().tables().retired());
        }
    }

    @Test
    void whatLandsAfterATablesDropIsSweptAndItsJournalGoesToo() throws Exception {
        try (TestNode node = TestNode.start(dataDir, OFTEN)) {
            TestTables.create(node.client, "Kept", "id", ScalarAttributeType.S, null, null);
            node.client.createTable(players("Late").globalSecondaryIndexes(
                    gsi("byTeam", "team", "score", p -> p.projectionType("ALL"))).build());
            for (int i = 0; i < 20; i++) {
                int id = i;
                node.client.putItem(b -> b.tableName("Kept").item(player(id, id)));
                node.client.putItem(b -> b.tableName("Late").item(player(id, id)));
            }
            TableMetadata late = node.node.shards().tables().find("Late").orElseThrow();
            java.util.UUID index = late.options().globalIndexes().get(0).id();
            node.client.deleteTable(b -> b.tableName("Late"));

            // What a write accepted before the deletion and applied after its drop leaves, and what
            // an index feed's last batch leaves before it is stopped: an item, an index entry, counters.
            ItemStore store = StorageExtension.get(Adapter.toClassic(node.node.system())).itemStore();
            PartitionId partition = new PartitionId(late.id(), 0);
            io.eddy.model.AttributeValue pk = io.eddy.model.AttributeValue.s("p99");
            store.apply(partition.entityId(), new PartitionMeta(99, 1, 10),
                    List.of(new ItemMutation.Put(StorageKeys.itemKey(late.id(), pk, Optional.empty()), Map.of("id", pk))));
            byte[] entry = StorageKeys.indexEntryKey(late.id(), index, List.of(io.eddy.model.AttributeValue.s("t4")),
                    List.of(io.eddy.model.AttributeValue.n("99")),
                    pk, Optional.empty());
            store.apply(partition.indexMetaId(index), new PartitionMeta(99, 1, 10), List.of(new ItemMutation.Put(entry, Map.of("id", pk))));

            JournalStore journal = journal(node);
            await(() -> !store.storedTableIds().contains(late.id())
                    && store.metaIds().stream().noneMatch(id -> id.startsWith(late.id().toString()))
                    && journal.persistenceIds(partition.persistenceId()).isEmpty(), "the late writes swept and the journal trimmed");
            assertEquals(20, scan(node.client, "Kept").size(), "a live table keeps its items");
            assertTrue(store.storedTableIds().contains(node.node.shards().tables().find("Kept").orElseThrow().id()));
        }
    }

    @Test
    void finishedTransactionCoordinatorsAreForgottenAfterTheIdempotencyWindow() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            TestTables.create(node.client, "Ledger", "id", ScalarAttributeType.S, null, null);
            for (int i = 0; i < 5; i++) {
                int k = i;
                node.client.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("Ledger").item(player(k, k)))));
            }
            node.client.transactWriteItems(b -> b.clientRequestToken("token-1")
                    .transactItems(t -> t.put(p -> p.tableName("Ledger").item(player(10, 1)))));
            // Within the window the token answers from its coordinator: other parameters are refused.
            assertThrows(IdempotentParameterMismatchException.class, () -> node.client.transactWriteItems(b -> b
                    .clientRequestToken("token-1").transactItems(t -> t.put(p -> p.tableName("Ledger").item(player(10, 2))))));
            JournalStore journal = journal(node);
            var serialization = SerializationExtension.get(Adapter.toClassic(node.node.system()));
            assertEquals(6, journal.persistenceIds("transaction-").size());

            long now = System.currentTimeMillis();
            assertEquals(0, FinishedCoordinators.forget(journal, serialization, now, 100, () -> false, unfinished -> {}), "all within the window");
            long later = now + java.time.Duration.ofMinutes(11).toMillis();
            assertEquals(6, FinishedCoordinators.forget(journal, serialization, later, 4, () -> false, unfinished -> {}));
            assertEquals(List.of(), journal.persistenceIds("transaction-"));

            assertEquals(6, scan(node.client, "Ledger").size());
        }
        try (TestNode node = TestNode.start(dataDir)) {
            // Recovered without their journals the coordinators are idle; the items are all there.
            Map<String, Map<String, AttributeValue>> items = scan(node.client, "Ledger");
            assertEquals(6, items.size());
            assertEquals("1", items.get("p10").get("score").n());
            node.client.transactWriteItems(b -> b.clientRequestToken("token-2")
                    .transactItems(t -> t.update(u -> u.tableName("Ledger").key(Map.of("id", AttributeValue.fromS("p10")))
                            .updateExpression("SET score = score + :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))));
            node.client.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("Ledger").item(player(11, 1)))));
            assertEquals("2", scan(node.client, "Ledger").get("p10").get("score").n());
            assertEquals(2, journal(node).persistenceIds("transaction-").size());
        }
    }
}
