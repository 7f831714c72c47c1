package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Time to Live: configuration, the background deletion (sweeping every 200 ms here) and its stream records. */
class TimeToLiveTest {

    @TempDir
    Path dataDir;

    static Map<String, AttributeValue> item(String pk, AttributeValue expiresAt) {
        return expiresAt == null ? Map.of("pk", s(pk), "sk", n("1")) : Map.of("pk", s(pk), "sk", n("1"), "expiresAt", expiresAt);
    }

    static boolean exists(DynamoDbClient ddb, String table, String pk) {
        return ddb.getItem(b -> b.tableName(table).key(Map.of("pk", s(pk), "sk", n("1")))).hasItem();
    }

    @Test
    void expiredItemsAreDeletedByTheServiceAndStreamedAsRemoves() throws Exception {
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.ttl.sweep-interval", "200ms"));
             DynamoDbStreamsClient streams = node.streamsClient()) {
            DynamoDbClient ddb = node.client;
            String arn = StreamsTest.createStreamed(ddb, "Sessions", StreamViewType.NEW_AND_OLD_IMAGES).latestStreamArn();
            long now = Instant.now().getEpochSecond();
            ddb.putItem(b -> b.tableName("Sessions").item(item("expired", n(Long.toString(now - 60)))));
            ddb.putItem(b -> b.tableName("Sessions").item(item("future", n(Long.toString(now + 3600)))));
            ddb.putItem(b -> b.tableName("Sessions").item(item("text", s(Long.toString(now - 60)))));
            ddb.putItem(b -> b.tableName("Sessions").item(item("ancient", n("1"))));
            ddb.putItem(b -> b.tableName("Sessions").item(item("none", null)));

            // TTL is not enabled yet: nothing is deleted, and an expired item is still returned.
            assertEquals(TimeToLiveStatus.DISABLED,
                    ddb.describeTimeToLive(b -> b.tableName("Sessions")).timeToLiveDescription().timeToLiveStatus());
            Thread.sleep(600);
            assertTrue(exists(ddb, "Sessions", "expired"));

            var enabled = ddb.updateTimeToLive(b -> b.tableName("Sessions")
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt"))).timeToLiveSpecification();
            assertTrue(enabled.enabled());
            assertEquals("expiresAt", enabled.attributeName());
            var described = ddb.describeTimeToLive(b -> b.tableName("Sessions")).timeToLiveDescription();
            assertEquals(TimeToLiveStatus.ENABLED, described.timeToLiveStatus());
            assertEquals("expiresAt", described.attributeName());

            long deadline = System.nanoTime() + 30_000_000_000L;
            while (exists(ddb, "Sessions", "expired") && System.nanoTime() < deadline) Thread.sleep(100);
            assertFalse(exists(ddb, "Sessions", "expired"), "the expired item is deleted");
            for (String kept : List.of("future", "text", "ancient", "none")) {
                assertTrue(exists(ddb, "Sessions", kept), kept + " is not deleted");
            }

            List<Record> removes = StreamReader.readAll(streams, arn, 1000).stream()
                    .filter(r -> r.eventName() == OperationType.REMOVE).toList();
            assertEquals(1, removes.size());
            Record remove = removes.get(0);
            assertEquals(Map.of("pk", s("expired"), "sk", n("1")), remove.dynamodb().keys());
            assertEquals(item("expired", n(Long.toString(now - 60))), remove.dynamodb().oldImage());
            assertEquals("Service", remove.userIdentity().type());
            assertEquals("dynamodb.amazonaws.com", remove.userIdentity().principalId());
            // A client's delete carries no user identity.
            ddb.deleteItem(b -> b.tableName("Sessions").key(Map.of("pk", s("none"), "sk", n("1"))));
            List<Record> all = StreamReader.readAll(streams, arn, 1000);
            assertEquals(2, all.stream().filter(r -> r.eventName() == OperationType.REMOVE).count());
            assertEquals(1, all.stream().filter(r -> r.userIdentity() != null).count());
        }
    }

    @Test
    void timeToLiveSettingsAreValidatedAsDynamoDbDoes() throws Exception {
        // Changes as often as they come here; the next test keeps DynamoDB's interval.
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.ttl.update-interval", "0s"))) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Ttl", "pk", software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S, null, null);
            TestTables.invalid("TimeToLive is already disabled", () -> ddb.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.enabled(false).attributeName("expiresAt"))));
            ddb.updateTimeToLive(b -> b.tableName("Ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
            TestTables.invalid("TimeToLive is already enabled", () -> ddb.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt"))));
            TestTables.invalid("TimeToLive is active on a different AttributeName: current AttributeName is expiresAt",
                    () -> ddb.updateTimeToLive(b -> b.tableName("Ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("other"))));
            TestTables.invalid("1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: "
                    + "Member must not be null", () -> ddb.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.attributeName("expiresAt"))));
            TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Table: Missing not found",
                    () -> ddb.describeTimeToLive(b -> b.tableName("Missing")));
            // A table ARN names the table as its name does.
            String arn = ddb.describeTable(b -> b.tableName("Ttl")).table().tableArn();
            ddb.updateTimeToLive(b -> b.tableName(arn).timeToLiveSpecification(t -> t.enabled(false).attributeName("expiresAt")));
            var after = ddb.describeTimeToLive(b -> b.tableName("Ttl")).timeToLiveDescription();
            assertEquals(TimeToLiveStatus.DISABLED, after.timeToLiveStatus());
            assertNull(after.attributeName());
        }
    }

    @Test
    void aTableTimeToLiveChangesOnceAnIntervalEvenAcrossARestart() throws Exception {
        String tooSoon = "Time to live has been modified multiple times within a fixed interval";
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Ttl", "pk", software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S, null, null);
            TestTables.create(ddb, "Other", "pk", software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S, null, null);
            // The first change of a table is taken; a new table has had none.
            ddb.updateTimeToLive(b -> b.tableName("Ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
            ddb.updateTimeToLive(b -> b.tableName("Other").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
            TestTables.invalid(tooSoon, () -> ddb.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.enabled(false).attributeName("expiresAt"))));
            // What the current setting refuses is refused as such first.
            TestTables.invalid("TimeToLive is already enabled", () -> ddb.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt"))));
            assertEquals(TimeToLiveStatus.ENABLED,
                    ddb.describeTimeToLive(b -> b.tableName("Ttl")).timeToLiveDescription().timeToLiveStatus());
        }
        try (TestNode node = TestNode.start(dataDir)) {
            TestTables.invalid(tooSoon, () -> node.client.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.enabled(false).attributeName("expiresAt"))));
        }
        // Once the interval has passed (one second here), the next change is taken.
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.ttl.update-interval", "1s"))) {
            Thread.sleep(1_000);
            node.client.updateTimeToLive(b -> b.tableName("Ttl").timeToLiveSpecification(t -> t.enabled(false).attributeName("expiresAt")));
            TestTables.invalid(tooSoon, () -> node.client.updateTimeToLive(b -> b.tableName("Ttl")
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt"))));
            assertEquals(TimeToLiveStatus.DISABLED,
                    node.client.describeTimeToLive(b -> b.tableName("Ttl")).timeToLiveDescription().timeToLiveStatus());
        }
    }

    /**
     * A sweep is slow on purpose (5 items a second here, so 60 expired items take 12 s): one under
     * way stops deleting once TTL is disabled, and a stop cuts it short instead of waiting for it
     * (which would hold CoordinatedShutdown's service-stop phase until its timeout, 60 s here so
     * that a stop that waited is told apart from a slow machine's stop).
     */
    @Test
    void aSweepUnderWayStopsWhenTimeToLiveIsDisabledOrTheNodeStops() throws Exception {
        TestNode node = TestNode.start(dataDir, Map.of("eddy.ttl.sweep-interval", "200ms", "eddy.ttl.scan-rate", "5",
                "eddy.ttl.update-interval", "0s", "pekko.coordinated-shutdown.phases.service-stop.timeout", "60s"));
        boolean closed = false;
        try {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Slow", "pk", software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S,
                    "sk", software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N);
            long past = Instant.now().getEpochSecond() - 60;
            for (int i = 0; i < 60; i++) {
                String pk = "p" + i;
                ddb.putItem(b -> b.tableName("Slow").item(item(pk, n(Long.toString(past)))));
            }
            ddb.updateTimeToLive(b -> b.tableName("Slow").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
            awaitFewerThan(ddb, 60);
            ddb.updateTimeToLive(b -> b.tableName("Slow").timeToLiveSpecification(t -> t.enabled(false).attributeName("expiresAt")));
            Thread.sleep(300); // deletions already in their partitions finish
            int left = count(ddb);
            Thread.sleep(2_000);
            assertEquals(left, count(ddb), "nothing is deleted once TTL is disabled");
            assertTrue(left > 40, left + " items left");

            ddb.updateTimeToLive(b -> b.tableName("Slow").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
            awaitFewerThan(ddb, left);
            long started = System.nanoTime();
            closed = true;
            node.close();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 30_000, "the stop waited " + tookMillis + " ms for the sweep");
        } finally {
            if (!closed) node.close();
        }
    }

    private static int count(DynamoDbClient ddb) {
        return ddb.scan(b -> b.tableName("Slow").consistentRead(true)).count();
    }

    private static void awaitFewerThan(DynamoDbClient ddb, int items) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (count(ddb) >= items) {
            assertTrue(System.nanoTime() < deadline, "no item deleted");
            Thread.sleep(50);
        }
    }
}
