package io.eddy.gateway;

import static io.eddy.gateway.StreamsTest.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Stream records across restarts, and the ends of their lives: iterator expiry and retention (shortened by configuration). */
class StreamRetentionTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsSurviveARestartAndTheSequenceContinues() throws Exception {
        String arn;
        List<Record> before;
        try (TestNode first = TestNode.start(dataDir); DynamoDbStreamsClient streams = first.streamsClient()) {
            TableDescription created = StreamsTest.createStreamed(first.client, "Durable", StreamViewType.NEW_AND_OLD_IMAGES);
            arn = created.latestStreamArn();
            for (int i = 0; i < 20; i++) {
                int k = i;
                first.client.putItem(b -> b.tableName("Durable").item(item("p" + (k % 3), k, "v")));
            }
            before = StreamReader.readAll(streams, arn, 1000);
            assertEquals(20, before.size());
        }
        try (TestNode second = TestNode.start(dataDir); DynamoDbStreamsClient streams = second.streamsClient()) {
            assertEquals(arn, second.client.describeTable(b -> b.tableName("Durable")).table().latestStreamArn());
            List<Record> after = StreamReader.readAll(streams, arn, 1000);
            assertEquals(before, after, "the same records, with the same ids and sequence numbers");
            for (int i = 0; i < 3; i++) {
                int k = i;
                second.client.putItem(b -> b.tableName("Durable").item(item("p" + k, 100 + k, "new")));
            }
            for (Shard shard : StreamReader.shards(streams, arn)) {
                List<Record> records = StreamReader.readShard(streams, arn, shard.shardId(), 1000);
                for (int i = 1; i < records.size(); i++) {
                    assertTrue(new BigInteger(records.get(i).dynamodb().sequenceNumber())
                            .compareTo(new BigInteger(records.get(i - 1).dynamodb().sequenceNumber())) > 0);
                }
            }
            assertEquals(23, StreamReader.readAll(streams, arn, 1000).size());
        }
    }

    @Test
    void iteratorsExpireAndOldRecordsAreTrimmed() throws Exception {
        Map<String, Object> shortLived = Map.of("eddy.streams.retention", "3s", "eddy.streams.iterator-lifetime", "1s",
                "eddy.journal-trimming.interval", "100ms");
        try (TestNode node = TestNode.start(dataDir, shortLived); DynamoDbStreamsClient streams = node.streamsClient()) {
            FirstRecord first = firstRecord(node, streams, "Brief");
            String iterator = streams.getShardIterator(b -> b.streamArn(first.arn()).shardId(first.shard().shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();

            Thread.sleep(1_500); // past the iterator lifetime (1 s)
            assertThrows(ExpiredIteratorException.class, () -> streams.getRecords(b -> b.shardIterator(iterator)));

            Thread.sleep(2_000); // the record is now past retention (3 s)
            node.client.putItem(b -> b.tableName("Brief").item(item("k", 2, "new")));
            // Trimmed once the journal no longer holds it (the trimmer keeps a partition's last event only).
            var journal = JournalTrimmingTest.journal(node);
            List<String> ids = JournalTrimmingTest.persistenceIds(node, "Brief");
            GlobalSecondaryIndexTest.awaitUntil("the old record trimmed", () -> JournalTrimmingTest.trimmedToLastEvent(journal, ids));
            assertThrows(TrimmedDataAccessException.class, () -> streams.getShardIterator(b -> b.streamArn(first.arn())
                    .shardId(first.shard().shardId()).shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(first.sequence())));
            List<Record> retained = StreamReader.readShard(streams, first.arn(), first.shard().shardId(), 10);
            assertEquals(List.of(StreamsTest.key("k", 2)), retained.stream().map(r -> r.dynamodb().keys()).toList(),
                    "TRIM_HORIZON starts at the oldest retained record");
        }
    }

    /**
     * A record past retention that the journal still holds is still given, to an iterator taken
     * before or after: DynamoDB removes such records lazily, and a reader at the trim horizon must
     * not be told its records are gone while they are there.
     */
    @Test
    void aRecordPastRetentionIsGivenWhileTheJournalHoldsIt() throws Exception {
        Map<String, Object> untrimmed = Map.of("eddy.streams.retention", "1s", "eddy.journal-trimming.interval", "1h");
        try (TestNode node = TestNode.start(dataDir, untrimmed); DynamoDbStreamsClient streams = node.streamsClient()) {
            FirstRecord first = firstRecord(node, streams, "Lingering");
            String early = streams.getShardIterator(b -> b.streamArn(first.arn()).shardId(first.shard().shardId())
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(first.sequence())).shardIterator();
            Thread.sleep(1_500); // past retention (1 s), within the iterator's lifetime
            assertEquals(List.of(first.sequence()), streams.getRecords(b -> b.shardIterator(early)).records().stream()
                    .map(r -> r.dynamodb().sequenceNumber()).toList());
            String late = streams.getShardIterator(b -> b.streamArn(first.arn()).shardId(first.shard().shardId())
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(first.sequence())).shardIterator();
            assertEquals(List.of(first.sequence()), streams.getRecords(b -> b.shardIterator(late)).records().stream()
                    .map(r -> r.dynamodb().sequenceNumber()).toList());
        }
    }

    /** A streamed table's stream, and the shard and sequence number of the one record a first put made. */
    private record FirstRecord(String arn, Shard shard, String sequence) {}

    private static FirstRecord firstRecord(TestNode node, DynamoDbStreamsClient streams, String table) {
        String arn = StreamsTest.createStreamed(node.client, table, StreamViewType.KEYS_ONLY).latestStreamArn();
        node.client.putItem(b -> b.tableName(table).item(item("k", 1, "old")));
        Shard shard = shardWithRecords(streams, arn);
        return new FirstRecord(arn, shard, StreamReader.readShard(streams, arn, shard.shardId(), 10).get(0).dynamodb().sequenceNumber());
    }

    /** The first of the stream's shards that has records. */
    private static Shard shardWithRecords(DynamoDbStreamsClient streams, String arn) {
        return StreamReader.shards(streams, arn).stream()
                .filter(s -> !StreamReader.readShard(streams, arn, s.shardId(), 10).isEmpty()).findFirst().orElseThrow();
    }

    @Test
    void aDeletedTablesStreamSurvivesARestartWithOrWithoutACatalogCompaction() throws Exception {
        // Compacted at the 3rd change: the first table's deletion reaches the next start through
        // the compaction, the second's through its own event.
        Map<String, Object> compactEarly = Map.of("eddy.catalog-compact-every", 3);
        String first;
        String second;
        try (TestNode node = TestNode.start(dataDir, compactEarly)) {
            first = StreamsTest.createStreamed(node.client, "First", StreamViewType.NEW_IMAGE).latestStreamArn();
            node.client.putItem(b -> b.tableName("First").item(item("a", 1, "one")));
            node.client.deleteTable(b -> b.tableName("First"));
            second = StreamsTest.createStreamed(node.client, "Second", StreamViewType.KEYS_ONLY).latestStreamArn();
            node.client.putItem(b -> b.tableName("Second").item(item("b", 2, "two")));
            node.client.deleteTable(b -> b.tableName("Second"));
        }
        try (TestNode node = TestNode.start(dataDir, compactEarly); DynamoDbStreamsClient streams = node.streamsClient()) {
            for (String arn : List.of(first, second)) {
                assertEquals("DISABLED", streams.describeStream(b -> b.streamArn(arn)).streamDescription().streamStatusAsString());
                assertEquals(1, StreamReader.readAll(streams, arn, 1000).size(), arn);
            }
            assertEquals(Map.of("pk", TestTables.s("a"), "sk", TestTables.n("1"), "v", TestTables.s("one")),
                    StreamReader.readAll(streams, first, 1000).get(0).dynamodb().newImage());
            assertEquals(List.of(first, second), streams.listStreams(b -> { }).streams().stream()
                    .map(software.amazon.awssdk.services.dynamodb.model.Stream::streamArn).toList());
        }
    }
}
