package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ApproximateCreationDateTimePrecision;
import software.amazon.awssdk.services.dynamodb.model.DestinationStatus;
import software.amazon.awssdk.services.dynamodb.model.KinesisDataStreamDestination;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Kinesis streaming destinations. Without a Kinesis endpoint configured, a destination is answered
 * ENABLING and recorded ENABLE_FAILED (listed by Describe, kept across a restart); Disable and
 * Update, which need an ACTIVE one, are refused with DynamoDB's messages; input checked first.
 * With one (kinesalite, a real Kinesis-compatible server), a destination becomes ACTIVE and the
 * table's changes arrive in the stream as DynamoDB's records, across a restart, until it is
 * disabled; a stream Kinesis does not know ends ENABLE_FAILED with Kinesis's reason.
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
                .destinationStatusDescription(io.eddy.streams.KinesisLink.NO_ENDPOINT).approximateCreationDateTimePrecision(precision).build();
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
        // An endpoint that is not a URL stops the start, before anything is opened.
        var refused = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> TestNode.start(dir, Map.of("eddy.kinesis.endpoint", "localhost:4567")));
        assertTrue(refused.getCause().getMessage().startsWith("eddy.kinesis.endpoint must be an http or https URL of a host"), refused.toString());
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

    private static String status(DynamoDbClient ddb, String table, String arn) {
        return ddb.describeKinesisStreamingDestination(b -> b.tableName(table)).kinesisDataStreamDestinations().stream()
                .filter(d -> d.streamArn().equals(arn)).findFirst().map(d -> d.destinationStatusAsString()).orElse("absent");
    }

    private static List<JsonNode> awaitRecords(KinesisPeer kinesis, String stream, int count) throws Exception {
        List<JsonNode>[] seen = new List[1];
        GlobalSecondaryIndexTest.awaitUntil(count + " records in " + stream, () -> {
            try {
                seen[0] = kinesis.records(stream);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return seen[0].size() >= count;
        });
        return seen[0];
    }

    /** The keys of the records in the test's stream, in order. */
    private static List<String> ids(KinesisPeer kinesis) {
        try {
            return kinesis.records("orders-cdc").stream().map(r -> r.path("dynamodb").path("Keys").path("id").path("S").asText()).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void changesArePutIntoTheKinesisStreamWhileTheDestinationIsActive() throws Exception {
        String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/orders-cdc";
        try (KinesisPeer kinesis = KinesisPeer.start()) {
            kinesis.createStream("orders-cdc");
            Map<String, Object> settings = Map.of("eddy.kinesis.endpoint", kinesis.endpoint(), "eddy.ttl.sweep-interval", "200ms");
            long before = System.currentTimeMillis();
            try (TestNode node = TestNode.start(dir, settings)) {
                DynamoDbClient ddb = node.client;
                TestTables.create(ddb, "Orders", "id", ScalarAttributeType.S, null, null);
                ddb.putItem(b -> b.tableName("Orders").item(Map.of("id", s("before"))));
                assertEquals(DestinationStatus.ENABLING, ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(arn))
                        .destinationStatus());
                GlobalSecondaryIndexTest.awaitUntil("destination ACTIVE", () -> status(ddb, "Orders", arn).equals("ACTIVE"));

                ddb.putItem(b -> b.tableName("Orders").item(Map.of("id", s("o1"), "qty", n("5"))));
                ddb.updateItem(b -> b.tableName("Orders").key(Map.of("id", s("o1"))).updateExpression("SET qty = :t")
                        .expressionAttributeValues(Map.of(":t", n("7"))));
                ddb.deleteItem(b -> b.tableName("Orders").key(Map.of("id", s("o1"))));
                List<JsonNode> records = awaitRecords(kinesis, "orders-cdc", 3);
                // Only the changes made once the destination was active, in order, in DynamoDB's record format.
                assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), records.stream().map(r -> r.path("eventName").asText()).toList());
                JsonNode modify = records.get(1);
                assertEquals("us-east-1", modify.path("awsRegion").asText());
                assertEquals("Orders", modify.path("tableName").asText());
                assertEquals("application/json", modify.path("recordFormat").asText());
                assertEquals("aws:dynamodb", modify.path("eventSource").asText());
                assertTrue(modify.path("userIdentity").isNull());
                assertEquals(Json.MAPPER.readTree("{\"id\":{\"S\":\"o1\"}}"), modify.path("dynamodb").path("Keys"));
                assertEquals(Json.MAPPER.readTree("{\"id\":{\"S\":\"o1\"},\"qty\":{\"N\":\"7\"}}"), modify.path("dynamodb").path("NewImage"));
                assertEquals(Json.MAPPER.readTree("{\"id\":{\"S\":\"o1\"},\"qty\":{\"N\":\"5\"}}"), modify.path("dynamodb").path("OldImage"));
                assertTrue(modify.path("dynamodb").path("SizeBytes").asLong() > 0);
                long created = modify.path("dynamodb").path("ApproximateCreationDateTime").asLong();
                assertTrue(created >= before && created <= System.currentTimeMillis(), "milliseconds: " + created);
                assertTrue(records.get(2).path("dynamodb").path("NewImage").isMissingNode());

                // A TTL deletion is the service's.
                ddb.updateTimeToLive(b -> b.tableName("Orders").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
                ddb.putItem(b -> b.tableName("Orders").item(Map.of("id", s("expired"),
                        "expiresAt", n(Long.toString(System.currentTimeMillis() / 1000 - 60)))));
                GlobalSecondaryIndexTest.awaitUntil("the TTL deletion put", () -> {
                    try {
                        return kinesis.records("orders-cdc").size() >= 5;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                JsonNode expired = kinesis.records("orders-cdc").get(4);
                assertEquals("REMOVE", expired.path("eventName").asText());
                assertEquals(Json.MAPPER.readTree("{\"principalId\":\"dynamodb.amazonaws.com\",\"type\":\"Service\"}"),
                        expired.path("userIdentity"));

                // Microseconds once the destination's precision is changed.
                ddb.updateKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(arn).updateKinesisStreamingConfiguration(k -> k
                        .approximateCreationDateTimePrecision(ApproximateCreationDateTimePrecision.MICROSECOND)));
                ddb.putItem(b -> b.tableName("Orders").item(Map.of("id", s("o2"))));
                JsonNode micro = awaitRecords(kinesis, "orders-cdc", 6).get(5).path("dynamodb");
                assertEquals("MICROSECOND", micro.path("ApproximateCreationDateTimePrecision").asText());
                assertTrue(micro.path("ApproximateCreationDateTime").asLong() >= before * 1000, micro.toString());

                // A stream Kinesis does not know: ENABLE_FAILED, with Kinesis's reason.
                TestTables.create(ddb, "Audit", "id", ScalarAttributeType.S, null, null);
                String missing = "arn:aws:kinesis:us-east-1:000000000000:stream/no-such-stream";
                ddb.enableKinesisStreamingDestination(b -> b.tableName("Audit").streamArn(missing));
                GlobalSecondaryIndexTest.awaitUntil("destination ENABLE_FAILED", () -> status(ddb, "Audit", missing).equals("ENABLE_FAILED"));
                String reason = ddb.describeKinesisStreamingDestination(b -> b.tableName("Audit")).kinesisDataStreamDestinations().get(0)
                        .destinationStatusDescription();
                assertTrue(reason.startsWith("ResourceNotFoundException: "), reason);
            }
            // A restarted node puts on from where it stopped.
            try (TestNode node = TestNode.start(dir, settings)) {
                node.client.putItem(b -> b.tableName("Orders").item(Map.of("id", s("o3"))));
                // (A batch put just before the stop but not yet checkpointed would come again: at least once, as in DynamoDB.)
                GlobalSecondaryIndexTest.awaitUntil("o3 put", () -> ids(kinesis).contains("o3"));
                // Disabled: the changes made then are not put. Enabled again: those made from then on are.
                assertEquals(DestinationStatus.DISABLING, node.client.disableKinesisStreamingDestination(b -> b.tableName("Orders")
                        .streamArn(arn)).destinationStatus());
                assertEquals("DISABLED", status(node.client, "Orders", arn));
                Thread.sleep(2000); // the deliveries notice within their poll interval (200 ms)
                node.client.putItem(b -> b.tableName("Orders").item(Map.of("id", s("after-disable"))));
                node.client.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(arn));
                GlobalSecondaryIndexTest.awaitUntil("destination ACTIVE again", () -> status(node.client, "Orders", arn).equals("ACTIVE"));
                node.client.putItem(b -> b.tableName("Orders").item(Map.of("id", s("o4"))));
                GlobalSecondaryIndexTest.awaitUntil("o4 put", () -> ids(kinesis).contains("o4"));
                assertTrue(!ids(kinesis).contains("after-disable"), ids(kinesis).toString());
            }
        }
    }

    @Test
    void anUnreachableKinesisFailsTheDestinationAfterItsRetriesAndANodeWithoutOneFailsWhatWasLeftEnabling() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // Nothing listens there: every check fails to connect, and is tried again, waiting 5 ms, 10 ms, ... (10 tries).
        Map<String, Object> unreachable = Map.of("eddy.kinesis.endpoint", "http://127.0.0.1:" + closedPort, "eddy.kinesis.retry-backoff", "5ms");
        try (TestNode node = TestNode.start(dir, unreachable)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Orders", "id", ScalarAttributeType.S, null, null);
            ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(FIRST));
            GlobalSecondaryIndexTest.awaitUntil("ENABLE_FAILED after the retries", () -> status(ddb, "Orders", FIRST).equals("ENABLE_FAILED"));
            String reason = destinations(ddb).get(0).destinationStatusDescription();
            assertTrue(reason != null && !reason.isBlank() && !reason.equals(io.eddy.streams.KinesisLink.NO_ENDPOINT), reason);
            // Left ENABLING by this node (its checks take seconds to give up) ...
            ddb.enableKinesisStreamingDestination(b -> b.tableName("Orders").streamArn(SECOND));
            assertEquals("ENABLING", status(ddb, "Orders", SECOND));
        }
        // ... and failed by a node that has no Kinesis.
        try (TestNode node = TestNode.start(dir)) {
            GlobalSecondaryIndexTest.awaitUntil("ENABLE_FAILED without an endpoint", () -> status(node.client, "Orders", SECOND).equals("ENABLE_FAILED"));
            assertEquals(io.eddy.streams.KinesisLink.NO_ENDPOINT, destinations(node.client).get(0).destinationStatusDescription());
        }
    }
}
