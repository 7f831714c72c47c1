package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.TableStream;
import io.eddy.shards.ChangesInFlight;
import io.eddy.shards.PartitionId;
import io.eddy.shards.StorageExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardFilterType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Stream shards roll over as DynamoDB's do: each partition's shard takes records for a shard
 * lifetime (here two seconds, one partition a table), then closes (at once when a later change
 * comes, otherwise 10 s after its window), and its child takes over.
 *
 * <p>A shard is not reported closed while its partition's batch stamped inside the shard's time is
 * still on its way to the journal (a stalled fsync): a reader told the shard ended would never read
 * that change. The tests play the stalled writer through the partition's slot in
 * {@link ChangesInFlight}, as a writer marks it between stamping a batch and its journal write.
 */
class StreamShardRolloverTest {

    private static final Duration LIFETIME = Duration.ofSeconds(2);
    /** DynamoStreams.CLOSE_GRACE. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    @RegisterExtension
    static final NodeExtension node = NodeExtension.with(Map.of("eddy.streams.shard-lifetime", "2s", "eddy.partitions-per-table", 1));
    static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() {
        streams = node.server().streamsClient();
    }

    @AfterAll
    static void stop() {
        streams.close();
    }

    @Test
    void shardsCloseAfterTheirLifetimeAndChildrenTakeOverTheRecords() throws Exception {
        DynamoDbClient ddb = node.client();
        String arn = StreamsTest.createStreamed(ddb, "Rolled", StreamViewType.KEYS_ONLY).latestStreamArn();
        ddb.putItem(b -> b.tableName("Rolled").item(StreamsTest.item("a", 1, "first")));
        Instant enabled = streams.describeStream(b -> b.streamArn(arn)).streamDescription().creationRequestDateTime();
        // Two lifetimes on, the second record is in a later generation, and its coming closes the first's shard.
        sleepUntil(enabled.plus(LIFETIME.multipliedBy(2)).plusMillis(500));
        ddb.putItem(b -> b.tableName("Rolled").item(StreamsTest.item("b", 2, "second")));
        // Through the coordinator (a token): the partition's journal then ends in a transaction event, not a change.
        ddb.transactWriteItems(b -> b.clientRequestToken("rollover-1").transactItems(t -> t.put(p -> p.tableName("Rolled")
                .item(StreamsTest.item("c", 3, "third")))));

        List<Shard> shards = StreamReader.shards(streams, arn);
        assertTrue(shards.size() >= 3, "one shard a lifetime: " + shards);
        assertNull(shards.get(0).parentShardId(), "the first has no parent");
        for (int i = 1; i < shards.size(); i++) {
            assertEquals(shards.get(i - 1).shardId(), shards.get(i).parentShardId(), "each the child of the one before");
            assertTrue(shards.get(i).shardId().compareTo(shards.get(i - 1).shardId()) > 0, "ids sort parents first");
        }
        Shard newest = shards.get(shards.size() - 1);
        assertNull(newest.sequenceNumberRange().endingSequenceNumber(), "the current shard is open: no change has come after it");


        // Read as a consumer follows the lineage: every record once, in order, the first in a closed shard.
        List<String> read = new ArrayList<>();
        Shard holdingFirst = null;
        Shard holdingLast = null;
        for (Shard shard : shards) {
            List<Record> records = StreamReader.readShard(streams, arn, shard.shardId(), 100);
            for (Record record : records) {
                read.add(record.dynamodb().keys().get("pk").s());
                if (holdingFirst == null) {
                    holdingFirst = shard;
                } else {
                    holdingLast = shard;
                }
            }
        }
        assertEquals(List.of("a", "b", "c"), read);
        assertNotNull(holdingFirst);
        assertNotNull(holdingLast);
        assertTrue(holdingLast.shardId().compareTo(holdingFirst.shardId()) > 0, "the later records' shard is a later generation");
        String ending = holdingFirst.sequenceNumberRange().endingSequenceNumber();
        assertNotNull(ending, "the first record's shard is closed");
        // A closed shard's reader is told it has ended: no next iterator once its records are read.
        String firstShard = holdingFirst.shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(firstShard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(iterator));
        assertEquals(1, page.records().size());
        assertEquals(ending, page.records().get(0).dynamodb().sequenceNumber());
        assertNull(page.nextShardIterator());
        String latest = streams.getShardIterator(b -> b.streamArn(arn).shardId(firstShard)
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        GetRecordsResponse afterEnd = streams.getRecords(b -> b.shardIterator(latest));
        assertTrue(afterEnd.records().isEmpty());
        assertNull(afterEnd.nextShardIterator());
        // The last record's shard is open (no change has come after it, only the transaction's own event): its
        // reader is given a next iterator.
        String lastShard = holdingLast.shardId();
        assertNull(shards.stream().filter(shard -> shard.shardId().equals(lastShard)).findFirst().orElseThrow()
                .sequenceNumberRange().endingSequenceNumber());
        String open = streams.getShardIterator(b -> b.streamArn(arn).shardId(lastShard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse openPage = streams.getRecords(b -> b.shardIterator(open));
        assertEquals("c", openPage.records().get(openPage.records().size() - 1).dynamodb().keys().get("pk").s());
        assertNotNull(openPage.nextShardIterator());

        // Sequence numbers are the shard's own: a later generation's shard takes its records' numbers, not an earlier one's.
        String lastSequence = openPage.records().get(openPage.records().size() - 1).dynamodb().sequenceNumber();
        String at = streams.getShardIterator(b -> b.streamArn(arn).shardId(lastShard)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(lastSequence)).shardIterator();
        assertEquals(lastSequence, streams.getRecords(b -> b.shardIterator(at)).records().get(0).dynamodb().sequenceNumber());
        TestTables.invalid("Invalid SequenceNumber " + ending + " for shard " + lastShard + ": it is not a sequence number of this shard",
                () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(lastShard)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(ending)));

        // Paged one shard at a time, DescribeStream gives the same shards in the same order.
        List<String> paged = new ArrayList<>();
        String startAfter = null;
        do {
            String after = startAfter;
            var page1 = streams.describeStream(b -> b.streamArn(arn).limit(1).exclusiveStartShardId(after)).streamDescription();
            page1.shards().forEach(shard -> paged.add(shard.shardId()));
            startAfter = page1.lastEvaluatedShardId();
        } while (startAfter != null);
        assertEquals(shards.stream().map(Shard::shardId).toList(), paged.subList(0, shards.size()));

        // DescribeStream's ShardFilter finds a shard's children.
        String parent = shards.get(0).shardId();
        var children = streams.describeStream(b -> b.streamArn(arn).shardFilter(f -> f.type(ShardFilterType.CHILD_SHARDS)
                .shardId(parent))).streamDescription().shards();
        assertEquals(List.of(shards.get(1).shardId()), children.stream().map(Shard::shardId).toList());
        TestTables.invalid("1 validation error detected: Value 'PARENT_SHARDS' at 'shardFilter.type' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [CHILD_SHARDS]", () -> streams.describeStream(b -> b.streamArn(arn)
                .shardFilter(f -> f.type("PARENT_SHARDS").shardId(parent))));

        // An id that names no shard of this stream.
        String unknown = newest.shardId().substring(0, newest.shardId().length() - 1) + (newest.shardId().endsWith("0") ? "1" : "0");
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Shard does not exist", () -> streams
                .getShardIterator(b -> b.streamArn(arn).shardId(unknown).shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
    }

    @Test
    void aShardLifetimeUnderASecondStopsTheStart(@TempDir Path dir) {
        var refused = assertThrows(ExecutionException.class, () -> TestNode.start(dir, Map.of("eddy.streams.shard-lifetime", "500ms")));
        assertEquals("eddy.streams.shard-lifetime must be from 1s to 365d: PT0.5S", refused.getCause().getMessage());
    }

    private static AtomicLong slotOf(String table) {
        var metadata = node.server().node.shards().tables().find(table).orElseThrow();
        return StorageExtension.get(Adapter.toClassic(node.server().node.system())).changesInFlight()
                .slot(new PartitionId(metadata.id(), 0).entityId());
    }

    @Test
    void aShardPastItsGraceStaysOpenWhileABatchStampedInsideItIsOnItsWayToTheJournal() throws Exception {
        DynamoDbClient ddb = node.client();
        String arn = StreamsTest.createStreamed(ddb, "Stalled", StreamViewType.KEYS_ONLY).latestStreamArn();
        ddb.putItem(b -> b.tableName("Stalled").item(StreamsTest.item("a", 1, "first")));
        Instant enabled = streams.describeStream(b -> b.streamArn(arn)).streamDescription().creationRequestDateTime();
        AtomicLong slot = slotOf("Stalled");
        // A batch stamped in the first shard's window whose journal write has not finished.
        slot.set(TableStream.micros(enabled));
        try {
            sleepUntil(enabled.plus(LIFETIME).plus(CLOSE_GRACE).plusSeconds(1));
            Shard first = StreamReader.shards(streams, arn).get(0);
            assertNull(first.sequenceNumberRange().endingSequenceNumber(), "open past its grace: a change of its time can still come");
            assertNotNull(readToEnd(arn, first).nextShardIterator(), "a reader of the open shard is told to come back");
        } finally {
            slot.set(ChangesInFlight.NONE);
        }
        // Journaled (here: given up), the shard closes, and its reader is told so.
        Shard first = StreamReader.shards(streams, arn).get(0);
        assertNotNull(first.sequenceNumberRange().endingSequenceNumber(), "closed once nothing of its time is on its way");
        assertNull(readToEnd(arn, first).nextShardIterator());
    }

    /** The last page of the shard from its start (a shard here holds one record at most). */
    private static GetRecordsResponse readToEnd(String arn, Shard shard) {
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(iterator));
        String next = page.nextShardIterator();
        return page.records().isEmpty() || next == null ? page : streams.getRecords(b -> b.shardIterator(next));
    }

    @Test
    void aDisabledStreamsShardStaysOpenWhileABatchStampedBeforeTheEndIsOnItsWayToTheJournal() {
        DynamoDbClient ddb = node.client();
        String arn = StreamsTest.createStreamed(ddb, "Ending", StreamViewType.KEYS_ONLY).latestStreamArn();
        ddb.putItem(b -> b.tableName("Ending").item(StreamsTest.item("a", 1, "first")));
        AtomicLong slot = slotOf("Ending");
        slot.set(TableStream.micros(Instant.now()));
        try {
            ddb.updateTable(b -> b.tableName("Ending").streamSpecification(spec -> spec.streamEnabled(false)));
            List<Shard> shards = StreamReader.shards(streams, arn);
            assertNull(shards.get(shards.size() - 1).sequenceNumberRange().endingSequenceNumber(),
                    "the last shard is open while a change stamped before the end can still come");
        } finally {
            slot.set(ChangesInFlight.NONE);
        }
        List<Shard> shards = StreamReader.shards(streams, arn);
        assertNotNull(shards.get(shards.size() - 1).sequenceNumberRange().endingSequenceNumber(),
                "closed at once when nothing is on its way");
    }
    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) Thread.sleep(millis);
    }
}
