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
    private final TableStream stream = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, Instant.parse("2026-05-11T21:21:33.291Z"))
            .current().orElseThrow();
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
    void shardIdsHaveDynamoDbsShapeAndSortInPartitionOrder() {
        String previous = "";
        for (int p = 0; p < table.partitionCount(); p++) {
            String id = StreamNames.shardId(table, stream, p);
            assertTrue(id.matches("shardId-\\d{20}-[0-9a-f]{8}"), id);
            assertTrue(id.compareTo(previous) > 0);
            previous = id;
        }
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
        ShardIterator iterator = new ShardIterator(names.streamArn(table, stream), table.id(), stream.enabledAtMicros(), 3, 77, 1234);
        assertEquals(Optional.of(iterator), ShardIterator.decode(iterator.encode()));
        assertTrue(ShardIterator.decode("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg").isEmpty());
        assertTrue(ShardIterator.decode(names.streamArn(table, stream) + "|1|!!!").isEmpty());
    }
}
