package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.DynamoStreams.IteratorType;
import io.eddy.streams.ShardRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Triggers delivering to a real local HTTP receiver, across failures and a restart of Eddy; the embedded Source. */
class TriggersTest {


    @TempDir
    Path dataDir;

    static HttpResponse<String> admin(TestNode node, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.endpoint() + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return RawHttp.oneShotClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never happened: " + what);
            Thread.sleep(100);
        }
    }

    /** Writes version {@code version} of keys [0, keys) with BatchWriteItem, 25 at a time. */
    static void writeVersion(DynamoDbClient ddb, String table, int keys, int version) {
        for (int start = 0; start < keys; start += 25) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int k = start; k < Math.min(keys, start + 25); k++) {
                Map<String, AttributeValue> item = Map.of("pk", s("key-" + k), "sk", n("0"), "v", n(Integer.toString(version)));
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            assertTrue(ddb.batchWriteItem(b -> b.requestItems(Map.of(table, writes))).unprocessedItems().isEmpty());
        }
    }

    static String key(JsonNode record) {
        return record.path("dynamodb").path("Keys").path("pk").path("S").asText();
    }

    static int version(JsonNode record) {
        return record.path("dynamodb").path("NewImage").path("v").path("N").asInt();
    }

    @Test
    void tenThousandWritesAreDeliveredAtLeastOnceInPerItemOrderAcrossARestartAndFailures() throws Exception {
        int keys = 2000;
        int versions = 5;
        AtomicInteger batches = new AtomicInteger();
        // Every 7th batch is refused: delivery retries it.
        try (TriggerReceiver receiver = new TriggerReceiver(event -> batches.incrementAndGet() % 7 == 0)) {
            try (TestNode node = TestNode.start(dataDir)) {
                StreamsTest.createStreamed(node.client, "Orders", StreamViewType.NEW_IMAGE);
                HttpResponse<String> created = admin(node, "PUT", "/admin/triggers/orders-hook", "{\"table\":\"Orders\",\"endpoint\":\""
                        + receiver.url() + "\",\"batchSize\":100,\"batchingWindowMs\":20,\"maxRetries\":20,\"retryBackoffMs\":5}");
                assertEquals(200, created.statusCode(), created.body());
                for (int v = 0; v < 3; v++) writeVersion(node.client, "Orders", keys, v);
                await(() -> receiver.records().size() > 1000, "some deliveries before the restart");
            }
            int beforeRestart = receiver.records().size();
            try (TestNode node = TestNode.start(dataDir)) {
                for (int v = 3; v < versions; v++) writeVersion(node.client, "Orders", keys, v);
                await(() -> lastVersions(receiver.records()).values().stream().filter(v -> v == versions - 1).count() == keys,
                        "the last version of every key delivered");
                JsonNode status = Json.MAPPER.readTree(admin(node, "GET", "/admin/triggers/orders-hook", null).body());
                assertEquals(4, status.path("checkpoints").size());
                assertTrue(status.path("delivered").asLong() > 0);
            }
            assertTrue(receiver.refused.get() > 0, "the receiver refused some batches");
            assertTrue(beforeRestart < keys * versions, "the restart came before everything was delivered");

            List<JsonNode> records = receiver.records();
            assertTrue(records.size() >= keys * versions);
            Map<String, List<Integer>> firstSeen = new HashMap<>();
            for (JsonNode r : records) {
                assertEquals("aws:dynamodb", r.path("eventSource").asText());
                assertTrue(r.path("eventSourceARN").asText().contains(":table/Orders/stream/"));
                List<Integer> seen = firstSeen.computeIfAbsent(key(r), k -> new ArrayList<>());
                if (!seen.contains(version(r))) seen.add(version(r));
            }
            assertEquals(keys, firstSeen.size());
            for (var entry : firstSeen.entrySet()) {
                assertEquals(List.of(0, 1, 2, 3, 4), entry.getValue(), "every version of " + entry.getKey() + ", in order");
            }
        }
    }

    static Map<String, Integer> lastVersions(List<JsonNode> records) {
        Map<String, Integer> last = new LinkedHashMap<>();
        for (JsonNode r : records) last.merge(key(r), version(r), Math::max);
        return last;
    }

    @Test
    void aBatchTheReceiverRefusesIsBisectedAndThePoisonRecordGoesToTheFailureFile() throws Exception {
        Path failures = dataDir.resolve("failed.jsonl");
        try (TriggerReceiver receiver = new TriggerReceiver(event -> event.toString().contains("poison"));
             TestNode node = TestNode.start(dataDir)) {
            StreamsTest.createStreamed(node.client, "Poisoned", StreamViewType.NEW_IMAGE);
            HttpResponse<String> created = admin(node, "PUT", "/admin/triggers/bisect", "{\"table\":\"Poisoned\",\"endpoint\":\""
                    + receiver.url() + "\",\"batchSize\":50,\"batchingWindowMs\":500,\"maxRetries\":1,\"retryBackoffMs\":1,"
                    + "\"bisectOnError\":true,\"onFailure\":{\"file\":\"" + failures + "\"}}");
            assertEquals(200, created.statusCode(), created.body());
            List<WriteRequest> writes = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                String value = k == 7 ? "poison" : "fine";
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                        "pk", s("same"), "sk", n(Integer.toString(k)), "v", n("1"), "text", s(value))).build()).build());
            }
            node.client.batchWriteItem(b -> b.requestItems(Map.of("Poisoned", writes)));
            await(() -> receiver.records().size() == 19 && Files.exists(failures), "19 delivered, one to the failure file");
            List<String> lines = Files.readAllLines(failures);
            assertEquals(1, lines.size());
            JsonNode failed = Json.MAPPER.readTree(lines.get(0));
            assertEquals(1, failed.path("DDBStreamBatchInfo").path("batchSize").asInt());
            assertEquals("RetryAttemptsExhausted", failed.path("requestContext").path("condition").asText());
            assertEquals("poison", failed.path("Records").get(0).path("dynamodb").path("NewImage").path("text").path("S").asText());
            List<Integer> delivered = receiver.records().stream()
                    .map(r -> r.path("dynamodb").path("Keys").path("sk").path("N").asInt()).toList();
            List<Integer> expected = new ArrayList<>();
            for (int k = 0; k < 20; k++) if (k != 7) expected.add(k);
            assertEquals(expected, delivered, "the others in order, each once");
        }
    }

    /**
     * A batch out of retries goes to an on-failure endpoint, which is retried with a growing wait
     * (100 ms, doubling) until it takes it; deleting the trigger ends those retries at once.
     */
    @Test
    void anOnFailureEndpointIsRetriedWithAGrowingWaitUntilTheTriggerIsDeleted() throws Exception {
        try (TriggerReceiver receiver = new TriggerReceiver(event -> true);
             TriggerReceiver onFailure = new TriggerReceiver(event -> true);
             TestNode node = TestNode.start(dataDir)) {
            StreamsTest.createStreamed(node.client, "Refused", StreamViewType.NEW_IMAGE);
            assertEquals(200, admin(node, "PUT", "/admin/triggers/refused", "{\"table\":\"Refused\",\"endpoint\":\""
                    + receiver.url() + "\",\"maxRetries\":0,\"retryBackoffMs\":100,\"onFailure\":{\"endpoint\":\""
                    + onFailure.url() + "\"}}").statusCode());
            writeVersion(node.client, "Refused", 1, 1);
            await(() -> onFailure.requests.get() >= 1, "the batch sent to the on-failure endpoint");
            // Tried again after 100, 200, 400 and 800 ms: 4 more in 2 s (20 at a steady 100 ms).
            Thread.sleep(2_000);
            assertTrue(onFailure.requests.get() <= 6, onFailure.requests.get() + " requests to the on-failure endpoint in 2 s");
            assertEquals(1, receiver.requests.get(), "no retries asked of the endpoint");

            assertEquals(200, admin(node, "DELETE", "/admin/triggers/refused", null).statusCode());
            int sent = onFailure.requests.get();
            Thread.sleep(3_500); // past the next try, 1.6 or 3.2 s on
            assertEquals(sent, onFailure.requests.get(), "nothing sent for a deleted trigger");
        }
    }

    @Test
    void aTriggerEndsWithItsStreamAndThenNoLongerHoldsTheJournal() throws Exception {
        Map<String, Object> settings = Map.of("eddy.journal-trimming.interval", "50ms", "eddy.streams.retention", "2s");
        try (TriggerReceiver first = new TriggerReceiver(event -> false);
             TriggerReceiver second = new TriggerReceiver(event -> false);
             TestNode node = TestNode.start(dataDir, settings)) {
            StreamsTest.createStreamed(node.client, "Ending", StreamViewType.NEW_IMAGE);
            assertEquals(200, admin(node, "PUT", "/admin/triggers/first",
                    "{\"table\":\"Ending\",\"endpoint\":\"" + first.url() + "\"}").statusCode());
            writeVersion(node.client, "Ending", 8, 1);
            await(() -> first.records().size() == 8, "the first stream's records delivered");

            node.client.updateTable(b -> b.tableName("Ending").streamSpecification(spec -> spec.streamEnabled(false)));
            writeVersion(node.client, "Ending", 8, 2); // in no stream
            node.client.updateTable(b -> b.tableName("Ending")
                    .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            assertEquals(200, admin(node, "PUT", "/admin/triggers/second",
                    "{\"table\":\"Ending\",\"endpoint\":\"" + second.url() + "\"}").statusCode());
            writeVersion(node.client, "Ending", 8, 3);
            await(() -> second.records().size() == 8, "the second stream's records delivered to its trigger");
            assertEquals(List.of(3), second.records().stream().map(TriggersTest::version).distinct().toList());
            assertEquals(List.of(1), first.records().stream().map(TriggersTest::version).distinct().toList(),
                    "nothing written after the first trigger's stream was disabled");

            // Each has delivered its stream: past retention, every partition keeps only its last event.
            var journal = JournalTrimmingTest.journal(node);
            await(() -> JournalTrimmingTest.trimmedToLastEvent(journal, JournalTrimmingTest.persistenceIds(node, "Ending")),
                    "the journal trimmed past the ended stream's trigger");
            assertEquals(8, first.records().size(), "still nothing more for the first trigger");
        }
    }

    @Test
    void aTriggerThatNeverDeliveredNoLongerHoldsTheJournalOnceItsStreamIsPastRetention() throws Exception {
        Map<String, Object> settings = Map.of("eddy.journal-trimming.interval", "50ms", "eddy.streams.retention", "2s");
        try (TestNode node = TestNode.start(dataDir, settings)) {
            StreamsTest.createStreamed(node.client, "Stuck", StreamViewType.KEYS_ONLY);
            // Nothing listens on the discard port: every delivery fails and is retried, for minutes.
            assertEquals(200, admin(node, "PUT", "/admin/triggers/stuck", "{\"table\":\"Stuck\","
                    + "\"endpoint\":\"http://127.0.0.1:9/\",\"maxRetries\":10000,\"retryBackoffMs\":60000}").statusCode());
            writeVersion(node.client, "Stuck", 8, 1);
            node.client.updateTable(b -> b.tableName("Stuck").streamSpecification(spec -> spec.streamEnabled(false)));
            writeVersion(node.client, "Stuck", 8, 2);

            var journal = JournalTrimmingTest.journal(node);
            var ids = JournalTrimmingTest.persistenceIds(node, "Stuck");
            await(() -> JournalTrimmingTest.trimmedToLastEvent(journal, ids),
                    "its stream past retention, the undelivered records go");
        }
    }

    @Test
    void theAdminApiValidatesListsAndDeletesTriggers() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            TestTables.create(node.client, "NoStream", "pk", software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S, null, null);
            StreamsTest.createStreamed(node.client, "Streamed", StreamViewType.KEYS_ONLY);
            HttpResponse<String> noStream = admin(node, "PUT", "/admin/triggers/t1",
                    "{\"table\":\"NoStream\",\"endpoint\":\"http://127.0.0.1:1/\"}");
            assertEquals(400, noStream.statusCode());
            assertEquals("table NoStream has no enabled stream", Json.MAPPER.readTree(noStream.body()).path("message").asText());
            assertEquals(400, admin(node, "PUT", "/admin/triggers/t1", "{\"table\":\"Streamed\"}").statusCode());
            assertEquals(400, admin(node, "PUT", "/admin/triggers/t1",
                    "{\"table\":\"Streamed\",\"endpoint\":\"ftp://x/\"}").statusCode());
            assertEquals(400, admin(node, "PUT", "/admin/triggers/t1",
                    "{\"table\":\"Streamed\",\"endpoint\":\"http://127.0.0.1:1/\",\"batchSize\":0}").statusCode());
            assertEquals(400, admin(node, "PUT", "/admin/triggers/t1", "{not json").statusCode());

            assertEquals(200, admin(node, "PUT", "/admin/triggers/t1",
                    "{\"table\":\"Streamed\",\"endpoint\":\"http://127.0.0.1:1/\",\"startingPosition\":\"LATEST\"}").statusCode());
            JsonNode listed = Json.MAPPER.readTree(admin(node, "GET", "/admin/triggers", null).body());
            assertEquals(1, listed.path("Triggers").size());
            assertEquals("t1", listed.path("Triggers").get(0).path("name").asText());
            assertEquals("LATEST", listed.path("Triggers").get(0).path("startingPosition").asText());
            assertEquals(200, admin(node, "DELETE", "/admin/triggers/t1", null).statusCode());
            assertEquals(404, admin(node, "GET", "/admin/triggers/t1", null).statusCode());
            assertEquals(404, admin(node, "DELETE", "/admin/triggers/t1", null).statusCode());
        }
    }

    @Test
    void embeddedApplicationsReadTheSameChangesAsAPekkoStreamsSource() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            StreamsTest.createStreamed(node.client, "Embedded", StreamViewType.NEW_AND_OLD_IMAGES);
            var changes = node.node.changeStreams().tableChanges("Embedded", IteratorType.TRIM_HORIZON)
                    .take(3)
                    .runWith(Sink.seq(), node.node.system());
            node.client.putItem(b -> b.tableName("Embedded").item(Map.of("pk", s("a"), "sk", n("1"), "v", n("1"))));
            node.client.putItem(b -> b.tableName("Embedded").item(Map.of("pk", s("a"), "sk", n("1"), "v", n("2"))));
            node.client.deleteItem(b -> b.tableName("Embedded").key(Map.of("pk", s("a"), "sk", n("1"))));
            List<ShardRecord> records = changes.toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), records.stream().map(r -> r.record().eventName().name()).toList());
            assertEquals(io.eddy.model.AttributeValue.n("2"), records.get(1).record().newImage().get().get("v"));
        }
    }

    @Test
    void anEmbeddedChangeSourceCompletesOnceItsTablesStreamHasEnded() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            StreamsTest.createStreamed(node.client, "Finite", StreamViewType.KEYS_ONLY);
            var all = node.node.changeStreams().tableChanges("Finite", IteratorType.TRIM_HORIZON)
                    .runWith(Sink.seq(), node.node.system()).toCompletableFuture();
            writeVersion(node.client, "Finite", 6, 1);
            node.client.deleteTable(b -> b.tableName("Finite"));
            // No write comes after the deletion, to the table or any other: its shards end at their
            // own check once the deletion is past ChangeStreams.END_GRACE (10 s).
            List<ShardRecord> records = all.get(60, TimeUnit.SECONDS);
            assertEquals(6, records.size());
            assertTrue(records.stream().allMatch(r -> r.record().eventName().name().equals("INSERT")));
        }
    }
}
