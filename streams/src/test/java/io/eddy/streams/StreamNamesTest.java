package io.eddy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeType;
import io.eddy.model.KeySchema;
import io.eddy.model.StreamHistory;
import io.eddy.model.StreamViewType;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamNamesTest {

    private final StreamNames names = new StreamNames("eu-west-1", "123456789012");
    private static final java.time.Duration FOUR_HOURS = java.time.Duration.ofHours(4);
    private final TableStream stream = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, Instant.parse("2026-05-11T21:21:33.291Z"),
            FOUR_HOURS).current().orElseThrow();
    private final TableMetadata table = new TableMetadata("Orders", UUID.randomUUID(), KeySchema.hash("id", AttributeType.S),
            List.of(new TableMetadata.AttributeDefinition("id", AttributeType.S)), TableMetadata.BillingMode.PAY_PER_REQUEST,
            TableMetadata.Throughput.ON_DEMAND, Instant.now(), Optional.empty(), TableMetadata.TableStatus.ACTIVE, 12,
            TableOptions.DEFAULTS);

    @Test
    void streamArnsRoundTripAndOtherAccountsAreRefused() {
        String arn = names.streamArn(table, stream);
        assertEquals("arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-05-11T21:21:33.291", arn);
        assertEquals(Optional.of(new StreamNames.StreamRef("Orders", "2026-05-11T21:21:33.291")), names.parseArn(arn));
        assertTrue(names.parseArn(arn.replace("123456789012", "000000000000")).isEmpty());
        assertTrue(names.parseArn("not an arn").isEmpty());
    }

    @Test
    void shardIdsHaveDynamoDbsShapeAndSortByGenerationThenPartition() {
        String previous = "";
        for (long g = 0; g < 3; g++) {
            for (int p = 0; p < table.partitionCount(); p++) {
                String id = StreamNames.shardId(table, stream, p, g);
                assertTrue(id.matches("shardId-\\d{20}-[0-9a-f]{8}"), id);
                assertTrue(id.compareTo(previous) > 0, id + " after " + previous);
                previous = id;
                assertEquals(Optional.of(new DynamoStreams.Shard(p, g)), StreamNames.parseShardId(table, stream, id));
            }
        }
        // The first generation keeps the id its shard had before shards rolled over.
        assertEquals("shardId-" + String.format("%020d", 1778534493291L * 1000 + 5) + "-", StreamNames.shardId(table, stream, 5, 0)
                .substring(0, 29));
    }

    @Test
    void shardIdsOfOtherStreamsAreNotParsedAndManyPartitionsAre() {
        String id = StreamNames.shardId(table, stream, 2, 1);
        TableStream later = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, Instant.parse("2026-05-12T21:21:33.291Z"), FOUR_HOURS)
                .current().orElseThrow();
        assertTrue(StreamNames.parseShardId(table, later, id).isEmpty(), "before the stream");
        String otherHash = id.substring(0, id.length() - 1) + (id.endsWith("0") ? "1" : "0");
        assertTrue(StreamNames.parseShardId(table, stream, otherHash).isEmpty(), "another hash");
        assertTrue(StreamNames.parseShardId(table, stream, "shardId-x").isEmpty());
        assertTrue(StreamNames.parseShardId(table, stream, "shardId-99999999999999999999-00000000").isEmpty(), "past a long");
        // A partition index over 999 runs into the next millisecond's ordinals, and is still found.
        String far = StreamNames.shardId(table, stream, 1500, 3);
        assertEquals(Optional.of(new DynamoStreams.Shard(1500, 3)), StreamNames.parseShardId(table, stream, far));
        // A stream journaled before shards rolled over has one shard a partition, named as before.
        TableStream legacy = new TableStream(stream.enabledAtMicros(), StreamViewType.KEYS_ONLY, null, null);
        String only = StreamNames.shardId(table, legacy, 1500, 0);
        assertEquals(Optional.of(new DynamoStreams.Shard(1500, 0)), StreamNames.parseShardId(table, legacy, only));
        assertEquals(StreamNames.shardId(table, stream, 7, 0), StreamNames.shardId(table, legacy, 7, 0));
        assertEquals(only, StreamNames.shardIdAt(table, legacy, 1500, stream.enabledAtMicros() + 3_600_000_000_000L));
    }

    @Test
    void sequenceNumbersAreDecimalStringsOfAtLeast21Digits() {
        assertEquals("000000000000000000042", StreamNames.sequenceNumber(42));
        assertEquals(Optional.of(42L), StreamNames.parseSequenceNumber("000000000000000000042"));
        assertTrue(StreamNames.parseSequenceNumber("12a").isEmpty());
        assertTrue(StreamNames.parseSequenceNumber("99999999999999999999999999").isEmpty());
    }

    @Test
    void shardIteratorsRoundTripAndGarbageIsRefused() {
        ShardIterator iterator = new ShardIterator(names.streamArn(table, stream), table.id(), stream.enabledAtMicros(), 3, 2, 77, 1234);
        assertEquals(Optional.of(iterator), ShardIterator.decode(iterator.encode()));
        // One issued before shards rolled over reads the first generation.
        String before = names.streamArn(table, stream) + "|1|" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (table.id() + "|" + stream.enabledAtMicros() + "|3|77|1234").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Optional.of(new ShardIterator(names.streamArn(table, stream), table.id(), stream.enabledAtMicros(), 3, 0, 77, 1234)),
                ShardIterator.decode(before));
        assertTrue(ShardIterator.decode("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg").isEmpty());
        assertTrue(ShardIterator.decode(names.streamArn(table, stream) + "|1|!!!").isEmpty());
    }
}
