package io.eddy.gateway;

import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code GET /metrics} after real SDK calls: the text parses as Prometheus's format, and its
 * numbers agree with the calls made and with each other.
 */
class MetricsTest {

    static final int PUTS = 30;
    static final int GETS = 12;
    static final List<String> LATENCY_BOUNDS = List.of("0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
            "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf");
    static final List<String> BATCH_BOUNDS = List.of("1", "2", "4", "8", "16", "32", "64", "128", "256", "512", "1024",
            "2048", "4096", "+Inf");

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    static Scrape scrape;
    static String contentType;

    @BeforeAll
    static void callThenScrape() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Measured", "id", ScalarAttributeType.S, null, null);
        for (int i = 0; i < PUTS; i++) {
            int n = i;
            ddb.putItem(r -> r.tableName("Measured").item(Map.of("id", s("item-" + n), "v", s("value"))));
        }
        for (int i = 0; i < GETS; i++) {
            int n = i;
            ddb.getItem(r -> r.tableName("Measured").key(Map.of("id", s("item-" + n))));
        }
        TestTables.rejected("ConditionalCheckFailedException", "The conditional request failed",
                () -> ddb.putItem(r -> r.tableName("Measured").item(Map.of("id", s("item-0")))
                        .conditionExpression("attribute_not_exists(id)")));
        TestTables.invalid("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                        + "an empty string value. Key: id",
                () -> ddb.putItem(r -> r.tableName("Measured").item(Map.of("id", s("")))));
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found",
                () -> ddb.getItem(r -> r.tableName("Missing").key(Map.of("id", s("a")))));
        // A body that is not JSON still counts as the operation its target names; an unknown target as "unknown".
        assertEquals("com.amazon.coral.service#SerializationException", TestTables.raw(node.server(), "PutItem", "{'TableName':").type());
        assertEquals("com.amazon.coral.service#UnknownOperationException", TestTables.raw(node.server(), "FlyAway", "{}").type());

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(node.server().endpoint().resolve("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        contentType = response.headers().firstValue("Content-Type").orElseThrow();
        scrape = Scrape.parse(response.body());
    }

    @Test
    void servedAsPrometheusTextVersion004() {
        assertTrue(contentType.matches("(?i)text/plain; *version=0\\.0\\.4; *charset=utf-8"), contentType);
        assertEquals(Map.ofEntries(
                        Map.entry("eddy_requests_total", "counter"),
                        Map.entry("eddy_request_duration_seconds", "histogram"),
                        Map.entry("eddy_errors_total", "counter"),
                        Map.entry("eddy_throttled_requests_total", "counter"),
                        Map.entry("eddy_journal_events_total", "counter"),
                        Map.entry("eddy_journal_syncs_total", "counter"),
                        Map.entry("eddy_journal_events_deleted_total", "counter"),
                        Map.entry("eddy_journal_events_relocated_total", "counter"),
                        Map.entry("eddy_journal_batch_events", "histogram"),
                        Map.entry("eddy_journal_sync_duration_seconds", "histogram"),
                        Map.entry("eddy_partitions_active", "gauge"),
                        Map.entry("eddy_partition_recoveries_total", "counter"),
                        Map.entry("eddy_partition_replayed_events_total", "counter"),
                        Map.entry("eddy_http_request_body_bytes_reserved", "gauge"),
                        Map.entry("eddy_http_request_parse_bytes_reserved", "gauge")),
                scrape.types);
        assertEquals(scrape.types.keySet(), scrape.helped, "every family has its HELP line");
    }

    @Test
    void requestsAreCountedPerOperationAndOutcome() {
        assertEquals(PUTS, scrape.value("eddy_requests_total", "operation", "PutItem", "outcome", "ok"));
        assertEquals(3, scrape.value("eddy_requests_total", "operation", "PutItem", "outcome", "client_error"),
                "the failed condition, the empty key, the unreadable body");
        assertEquals(0, scrape.value("eddy_requests_total", "operation", "PutItem", "outcome", "server_error"));
        assertEquals(GETS, scrape.value("eddy_requests_total", "operation", "GetItem", "outcome", "ok"));
        assertEquals(1, scrape.value("eddy_requests_total", "operation", "GetItem", "outcome", "client_error"));
        assertEquals(1, scrape.value("eddy_requests_total", "operation", "CreateTable", "outcome", "ok"));
        assertEquals(1, scrape.value("eddy_requests_total", "operation", "unknown", "outcome", "client_error"));
        assertFalse(scrape.has("eddy_requests_total", "operation", "Scan", "outcome", "ok"), "operations never called are left out");
    }

    @Test
    void latencyHistogramsAreCumulativeAndCountEveryRequest() {
        for (String operation : List.of("PutItem", "GetItem", "CreateTable", "unknown")) {
            List<Sample> buckets = scrape.samples("eddy_request_duration_seconds_bucket", "operation", operation);
            assertEquals(LATENCY_BOUNDS, buckets.stream().map(b -> b.labels.get("le")).toList(), operation);
            assertCumulative(buckets);
            double count = scrape.value("eddy_request_duration_seconds_count", "operation", operation);
            assertEquals(count, buckets.get(buckets.size() - 1).value, "+Inf is the count");
            double requests = scrape.value("eddy_requests_total", "operation", operation, "outcome", "ok")
                    + scrape.value("eddy_requests_total", "operation", operation, "outcome", "client_error")
                    + scrape.value("eddy_requests_total", "operation", operation, "outcome", "server_error");
            assertEquals(requests, count, operation + ": every answered request is timed");
            assertTrue(scrape.value("eddy_request_duration_seconds_sum", "operation", operation) > 0, operation);
        }
        assertEquals(PUTS + 3, scrape.value("eddy_request_duration_seconds_count", "operation", "PutItem"));
    }

    @Test
    void errorsAreCountedByType() {
        assertEquals(1, scrape.value("eddy_errors_total", "operation", "PutItem", "type", "ConditionalCheckFailedException"));
        assertEquals(1, scrape.value("eddy_errors_total", "operation", "PutItem", "type", "ValidationException"));
        assertEquals(1, scrape.value("eddy_errors_total", "operation", "PutItem", "type", "SerializationException"));
        assertEquals(1, scrape.value("eddy_errors_total", "operation", "GetItem", "type", "ResourceNotFoundException"));
        assertEquals(1, scrape.value("eddy_errors_total", "operation", "unknown", "type", "UnknownOperationException"));
        assertEquals(5, scrape.samples("eddy_errors_total").size(), "no other errors: " + scrape.samples("eddy_errors_total"));
    }

    @Test
    void journalBatchSizesAgreeWithItsCounters() {
        double syncs = scrape.value("eddy_journal_syncs_total");
        double events = scrape.value("eddy_journal_events_total");
        assertTrue(events >= PUTS + 1, "every put and the table's creation were journaled: " + events);
        assertTrue(syncs >= 1 && syncs <= events, "syncs " + syncs + ", events " + events);
        List<Sample> buckets = scrape.samples("eddy_journal_batch_events_bucket");
        assertEquals(BATCH_BOUNDS, buckets.stream().map(b -> b.labels.get("le")).toList());
        assertCumulative(buckets);
        assertEquals(syncs, scrape.value("eddy_journal_batch_events_count"), "one batch per fsync");
        assertEquals(syncs, buckets.get(buckets.size() - 1).value);
        assertEquals(events, scrape.value("eddy_journal_batch_events_sum"), "the batches hold every event");

        List<Sample> durations = scrape.samples("eddy_journal_sync_duration_seconds_bucket");
        assertEquals(LATENCY_BOUNDS, durations.stream().map(b -> b.labels.get("le")).toList());
        assertCumulative(durations);
        assertEquals(syncs, scrape.value("eddy_journal_sync_duration_seconds_count"), "one duration per fsync");
        double seconds = scrape.value("eddy_journal_sync_duration_seconds_sum");
        assertTrue(seconds > 0 && seconds < syncs * 2.5, "fsync time in seconds, not in nanoseconds: " + seconds);
    }

    @Test
    void partitionsThatTookWritesAreActive() {
        double active = scrape.value("eddy_partitions_active");
        assertTrue(active > 0 && active == Math.rint(active), "partitions active: " + active);
    }

    @Test
    void partitionsOfANewTableReplayNothing() {
        assertTrue(scrape.value("eddy_partition_recoveries_total") >= scrape.value("eddy_partitions_active"),
                "every active partition recovered once");
        assertEquals(0, scrape.value("eddy_partition_replayed_events_total"), "a partition's own writes are applied, never replayed");
    }

    private static void assertCumulative(List<Sample> buckets) {
        for (int i = 1; i < buckets.size(); i++) {
            assertTrue(buckets.get(i).value >= buckets.get(i - 1).value, "bucket counts never decrease: " + buckets);
        }
    }

    record Sample(String name, Map<String, String> labels, double value) {}

    /** The text format, parsed strictly: a line is a HELP or TYPE comment or a sample, nothing else. */
    static final class Scrape {
        private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
        private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

        final Map<String, String> types = new LinkedHashMap<>();
        final Set<String> helped = new HashSet<>();
        final List<Sample> samples = new ArrayList<>();

        static Scrape parse(String text) {
            Scrape scrape = new Scrape();
            assertTrue(text.endsWith("\n"), "the text ends with a line feed");
            for (String line : text.split("\n")) {
                Matcher comment = COMMENT.matcher(line);
                if (comment.matches()) {
                    if (comment.group(1).equals("TYPE")) {
                        assertEquals(null, scrape.types.put(comment.group(2), comment.group(3)), "one TYPE line: " + line);
                    } else {
                        assertTrue(scrape.helped.add(comment.group(2)), "one HELP line: " + line);
                    }
                    continue;
                }
                Matcher sample = SAMPLE.matcher(line);
                assertTrue(sample.matches(), "not a sample: " + line);
                String name = sample.group(1);
                assertTrue(scrape.types.containsKey(name) || scrape.types.containsKey(name.replaceFirst("_(bucket|sum|count)$", "")),
                        "a sample after its family's TYPE: " + line);
                Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(2) != null) {
                    Matcher label = LABEL.matcher(sample.group(2));
                    int end = 0;
                    while (label.find() && label.start() == end) {
                        labels.put(label.group(1), label.group(2));
                        end = label.end();
                    }
                    assertEquals(sample.group(2).length(), end, "labels: " + line);
                }
                scrape.samples.add(new Sample(name, labels, Double.parseDouble(sample.group(3).replace("+Inf", "Infinity"))));
            }
            return scrape;
        }

        /** The samples of this name whose labels include these (name, value, name, value, ...). */
        List<Sample> samples(String name, String... labels) {
            return samples.stream().filter(s -> s.name.equals(name) && hasLabels(s, labels)).toList();
        }

        boolean has(String name, String... labels) {
            return !samples(name, labels).isEmpty();
        }

        /** The value of the one sample with this name and exactly these labels. */
        double value(String name, String... labels) {
            List<Sample> matching = samples(name, labels).stream().filter(s -> s.labels.size() == labels.length / 2).toList();
            assertEquals(1, matching.size(), name + " " + List.of(labels) + " in " + samples(name));
            return matching.get(0).value;
        }

        private static boolean hasLabels(Sample sample, String[] labels) {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(sample.labels.get(labels[i]))) return false;
            }
            return true;
        }
    }
}
