package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ApproximateCreationDateTimePrecision;
import software.amazon.awssdk.services.dynamodb.model.DestinationStatus;
import software.amazon.awssdk.services.dynamodb.model.KinesisDataStreamDestination;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Kinesis streaming destinations: Eddy has no Kinesis to stream to, so a destination is answered
 * ENABLING and recorded ENABLE_FAILED (listed by Describe, kept across a restart); Disable and
 * Update, which need an ACTIVE one, are refused with DynamoDB's messages; input checked first.
 */
class KinesisStreamingDestinationTest {

    @TempDir
    Path dir;

    private static final String FIRST = "arn:aws:kinesis:us-east-1:000000000000:stream/orders-changes";
    private static final String SECOND = "arn:aws:kinesis:us-east-1:000000000000:stream/orders-audit";

    private static List<KinesisDataStreamDestination> destinations(DynamoDbClient ddb) {
        var described = ddb.describeKinesisStreamingDestination(b -> b.tableName("Orders"));
        assertEquals("Orders", described.tableName());
        assertTrue(described.hasKinesisDataStreamDestinations());
        return described.kinesisDataStreamDestinations();
    }

    private static KinesisDataStreamDestination failed(String arn, ApproximateCreationDateTimePrecision precision) {
        return KinesisDataStreamDestination.builder().streamArn(arn).destinationStatus(DestinationStatus.ENABLE_FAILED)
                .destinationStatusDescription(KinesisDestinations.CANNOT_STREAM).approximateCreationDateTimePrecision(precision).build();
    }

    @Test
    void destinationsAreRecordedAsFailedAndNeedAnActiveOneToChange() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Orders", "id", ScalarAttributeType.S, null, null);
            assertEquals(List.of(), destinations(ddb));

            var enabled = ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST));
            assertEquals("Orders", enabled.tableName());
            assertEquals(FIRST, enabled.streamArn());
            assertEquals(DestinationStatus.ENABLING, enabled.destinationStatus());
            assertEquals(null, enabled.enableKinesisStreamingConfiguration().approximateCreationDateTimePrecision());
            assertEquals(List.of(failed(FIRST, null)), destinations(ddb));
            // A failed destination may be enabled again (the same entry), and another stream beside it, newest first.
            var again = ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST)
                    .enableKinesisStreamingConfiguration(k -> k.approximateCreationDateTimePrecision(ApproximateCreationDateTimePrecision.MICROSECOND)));
            assertEquals(ApproximateCreationDateTimePrecision.MICROSECOND, again.enableKinesisStreamingConfiguration().approximateCreationDateTimePrecision());
            ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(SECOND));
            List<KinesisDataStreamDestination> both = List.of(failed(SECOND, null), failed(FIRST, ApproximateCreationDateTimePrecision.MICROSECOND));
            assertEquals(both, destinations(ddb));

            TestTables.invalid("Table is not in a valid state to enable Kinesis Streaming Destination: KinesisStreamingDestination must "
                    + "be ACTIVE to perform DISABLE operation.", () -> ddb.disableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST)));
            TestTables.invalid("Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters", () -> ddb
                    .disableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST).enableKinesisStreamingConfiguration(k -> k
                            .approximateCreationDateTimePrecision(ApproximateCreationDateTimePrecision.MILLISECOND))));
            TestTables.invalid("Streaming destination cannot be updated with given parameters: UpdateKinesisStreamingConfiguration cannot be "
                    + "null or contain only null values", () -> ddb.updateKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST)));
            TestTables.invalid("Table is not in a valid state to enable Kinesis Streaming Destination: Kinesis streaming is not in ACTIVE state. "
                    + "Updates are only allowed in ACTIVE state. TableName: Orders, kdsArn: " + FIRST, () -> ddb.updateKinesisStreamingDestination(b -> b
                    .tableName("Orders").streamArn(FIRST).updateKinesisStreamingConfiguration(k -> k
                            .approximateCreationDateTimePrecision(ApproximateCreationDateTimePrecision.MILLISECOND))));
            String unknown = "arn:aws:kinesis:us-east-1:000000000000:stream/never-attached";
            TestTables.invalid("Table is not in a valid state to enable Kinesis Streaming Destination: No streaming destination with "
                    + "streamArn: " + unknown, () -> ddb.updateKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(unknown)
                    .updateKinesisStreamingConfiguration(k -> k.approximateCreationDateTimePrecision(ApproximateCreationDateTimePrecision.MILLISECOND))));

            TestTables.invalid("1 validation error detected: Value '' at 'streamArn' failed to satisfy constraint: Member must have length "
                    + "greater than or equal to 37", () -> ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn("")));
            TestTables.invalid("1 validation error detected: Value 'SECONDS' at 'enableKinesisStreamingConfiguration."
                    + "approximateCreationDateTimePrecision' failed to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, "
                    + "MICROSECOND]", () -> ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST)
                    .enableKinesisStreamingConfiguration(k -> k.approximateCreationDateTimePrecision("SECONDS"))));
            for (Runnable call : List.<Runnable>of(
                    () -> ddb.describeKinesisStreamingDestination(b -> b.tableName("Missing")),
                    () -> ddb.enableKinesisStreamingDestination(b -> b.tableName("Missing").streamArn(FIRST)),
                    () -> ddb.disableKinesisStreamingDestination(b -> b.tableName("Missing").streamArn(FIRST)))) {
                TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Table: Missing not found", call);
            }
            TestTables.invalid("1 validation error detected: Value 'SECONDS' at 'enableKinesisStreamingConfiguration."
                    + "approximateCreationDateTimePrecision' failed to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, "
                    + "MICROSECOND]", () -> ddb.disableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST)
                    .enableKinesisStreamingConfiguration(k -> k.approximateCreationDateTimePrecision("SECONDS"))));
            assertEquals(both, destinations(ddb));
        }
        // The catalog keeps them, and no more than the bound: the oldest ended ones go.
        try (TestNode node = TestNode.start(dir)) {
            assertEquals(List.of(failed(SECOND, null), failed(FIRST, ApproximateCreationDateTimePrecision.MICROSECOND)), destinations(node.client));
            for (int i = 0; i < KinesisDestinations.MAX_LISTED; i++) {
                String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/more-" + i;
                node.client.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(arn));
            }
            List<KinesisDataStreamDestination> listed = destinations(node.client);
            assertEquals(KinesisDestinations.MAX_LISTED, listed.size());
            assertEquals("arn:aws:kinesis:us-east-1:000000000000:stream/more-" + (KinesisDestinations.MAX_LISTED - 1), listed.get(0).streamArn());
            assertEquals("arn:aws:kinesis:us-east-1:000000000000:stream/more-0", listed.get(listed.size() - 1).streamArn());
        }
    }
}
