package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Scan end to end: whole tables in pages, parallel segments, filters and projections, errors. */
class ScanTest {

    static final int EVENTS = 300;

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Events", "device", ScalarAttributeType.S, "at", ScalarAttributeType.N);
        TestTables.create(ddb, "Blobs", "id", ScalarAttributeType.N, null, null);
        TestTables.create(ddb, "Empty", "id", ScalarAttributeType.S, null, null);
        for (int i = 0; i < EVENTS; i++) {
            int k = i;
            ddb.putItem(r -> r.tableName("Events").item(Map.of("device", s("d" + k % 37), "at", n(Integer.toString(k)),
                    "odd", AttributeValue.fromBool(k % 2 == 1), "info", AttributeValue.fromM(Map.of("k", n(Integer.toString(k)))))));
        }
        String payload = "y".repeat(50 * 1024);
        for (int i = 0; i < 50; i++) {
            int k = i;
            ddb.putItem(r -> r.tableName("Blobs").item(Map.of("id", n(Integer.toString(k)), "data", s(payload))));
        }
    }

    static String keyOf(Map<String, AttributeValue> item) {
        return item.get("device").s() + "/" + item.get("at").n();
    }

    @Test
    void aScanReturnsEveryItemOnceInHashOrder() {
        ScanResponse all = ddb.scan(r -> r.tableName("Events"));
        assertEquals(EVENTS, all.count());
        assertEquals(EVENTS, all.scannedCount());
        assertFalse(all.hasLastEvaluatedKey());
        assertEquals(EVENTS, all.items().stream().map(ScanTest::keyOf).distinct().count());
        // All items of one partition-key value are together, sorted by sort key.
        List<String> devices = new ArrayList<>();
        for (Map<String, AttributeValue> item : all.items()) {
            String device = item.get("device").s();
            if (devices.isEmpty() || !devices.get(devices.size() - 1).equals(device)) {
                assertFalse(devices.contains(device), "partition " + device + " is contiguous");
                devices.add(device);
            }
        }
        assertEquals(37, devices.size());
        assertEquals(0, ddb.scan(r -> r.tableName("Empty")).count());
    }

    @Test
    void thePaginatorWalksATableLargerThanOnePage() {
        List<Integer> pageSizes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ScanResponse page : ddb.scanPaginator(r -> r.tableName("Blobs").projectionExpression("id"))) {
            pageSizes.add(page.count());
            for (Map<String, AttributeValue> item : page.items()) assertTrue(ids.add(item.get("id").n()), "once: " + item);
        }
        assertEquals(50, ids.size());
        // 1 MB holds twenty 50 KB items and DynamoDB keeps the one that crosses it: pages of 21, 21, 8.
        assertEquals(List.of(21, 21, 8), pageSizes);
    }

    @Test
    void limitPagesEndOnTheLastItemRead() {
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = ddb.scan(r -> r.tableName("Events").limit(64).filterExpression("odd = :yes")
                    .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true))).exclusiveStartKey(from));
            page.items().forEach(item -> seen.add(keyOf(item)));
            assertTrue(page.scannedCount() <= 64);
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            if (start != null) assertEquals(Set.of("device", "at"), start.keySet());
        } while (start != null);
        assertEquals(EVENTS / 2, seen.size());
        assertEquals(EVENTS / 2, new HashSet<>(seen).size());
    }

    @Test
    void parallelSegmentsAreDisjointAndCoverTheTable() throws Exception {
        for (int totalSegments : List.of(1, 2, 3, 4, 7, 16, 1000)) {
            ExecutorService workers = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<List<String>>> segments = new ArrayList<>();
                for (int segment = 0; segment < totalSegments; segment++) {
                    int index = segment;
                    segments.add(CompletableFuture.supplyAsync(() -> {
                        List<String> keys = new ArrayList<>();
                        for (ScanResponse page : ddb.scanPaginator(r -> r.tableName("Events").segment(index)
                                .totalSegments(totalSegments).limit(25))) {
                            page.items().forEach(item -> keys.add(keyOf(item)));
                        }
                        return keys;
                    }, workers));
                }
                List<String> all = new ArrayList<>();
                for (CompletableFuture<List<String>> segment : segments) all.addAll(segment.get());
                assertEquals(EVENTS, all.size(), "every item exactly once with TotalSegments " + totalSegments);
                assertEquals(EVENTS, new HashSet<>(all).size(), "no item in two segments of " + totalSegments);
            } finally {
                workers.shutdown();
            }
        }
    }

    @Test
    void filtersProjectionsAndCounts() {
        ScanResponse filtered = ddb.scan(r -> r.tableName("Events").filterExpression("info.k < :ten AND device = :d")
                .expressionAttributeValues(Map.of(":ten", n("100"), ":d", s("d3")))
                .projectionExpression("#at, info.k").expressionAttributeNames(Map.of("#at", "at")));
        List<String> ats = filtered.items().stream().map(item -> item.get("at").n()).sorted().toList();
        assertEquals(List.of("3", "40", "77"), ats);
        assertEquals(Set.of("at", "info"), filtered.items().get(0).keySet());
        assertEquals(EVENTS, filtered.scannedCount());

        ScanResponse counted = ddb.scan(r -> r.tableName("Events").select(Select.COUNT).limit(10));
        assertFalse(counted.hasItems());
        assertEquals(10, counted.count());
        assertTrue(counted.hasLastEvaluatedKey());

        ScanResponse legacy = ddb.scan(r -> r.tableName("Events").attributesToGet("device").limit(1));
        assertEquals(Set.of("device"), legacy.items().get(0).keySet());

        ScanResponse capacity = ddb.scan(r -> r.tableName("Blobs").limit(3).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        // Three items of 50 KB and a few bytes: 38 units of 4 KB.
        assertEquals(38.0, capacity.consumedCapacity().capacityUnits());
        assertEquals(38.0, capacity.consumedCapacity().table().capacityUnits());
    }

    @Test
    void segmentErrors() {
        invalid("The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
                () -> ddb.scan(r -> r.tableName("Events").segment(0)));
        invalid("The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
                () -> ddb.scan(r -> r.tableName("Events").totalSegments(2)));
        invalid("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2",
                () -> ddb.scan(r -> r.tableName("Events").segment(2).totalSegments(2)));
        invalid("2 validation errors detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 1000000; Value '-1' at 'segment' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 0",
                () -> ddb.scan(r -> r.tableName("Events").segment(-1).totalSegments(1_000_001)));
        ScanResponse first = ddb.scan(r -> r.tableName("Events").segment(0).totalSegments(4).limit(1));
        invalid("The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
                        + "TotalSegments: 4 Segment: 3",
                () -> ddb.scan(r -> r.tableName("Events").segment(3).totalSegments(4).exclusiveStartKey(first.lastEvaluatedKey())));
    }

    @Test
    void parameterErrors() {
        invalid("The provided starting key is invalid: The provided key element does not match the schema",
                () -> ddb.scan(r -> r.tableName("Events").exclusiveStartKey(Map.of("device", s("d1")))));
        invalid("The provided starting key is invalid: The provided key element does not match the schema",
                () -> ddb.scan(r -> r.tableName("Events").exclusiveStartKey(Map.of("device", s("d1"), "at", s("1")))));
        invalid("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
                () -> ddb.scan(r -> r.tableName("Events").select(Select.SPECIFIC_ATTRIBUTES)));
        invalid("Cannot specify the ProjectionExpression when choosing to get only the Count",
                () -> ddb.scan(r -> r.tableName("Events").select(Select.COUNT).projectionExpression("device")));
        invalid("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
                () -> ddb.scan(r -> r.tableName("Events").select(Select.ALL_PROJECTED_ATTRIBUTES)));
        invalid("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
                () -> ddb.scan(r -> r.tableName("Events").limit(0)));
        invalid("Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES",
                () -> ddb.scan(r -> r.tableName("Events").select(Select.ALL_ATTRIBUTES).attributesToGet("at")));
        invalid("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: device",
                () -> ddb.scan(r -> r.tableName("Events").filterExpression("device.x = :v").expressionAttributeValues(Map.of(":v", s("1")))));
        invalid("One or more parameter values were invalid: Invalid number of argument(s) for the NOT_NULL ComparisonOperator",
                () -> ddb.scan(r -> r.tableName("Events").scanFilter(Map.of("odd",
                        Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).attributeValueList(s("x")).build()))));
        invalid("ConditionalOperator can only be used when Filter or Expected has two or more elements",
                () -> ddb.scan(r -> r.tableName("Events").conditionalOperator("OR").scanFilter(Map.of("odd",
                        Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).build()))));
        invalid("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}",
                () -> ddb.scan(r -> r.tableName("Events").filterExpression("odd = :v").expressionAttributeValues(Map.of(":v", s("1")))
                        .scanFilter(Map.of("odd", Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).build()))));
        invalid("One or more parameter values were invalid: Duplicate value in attribute name: at",
                () -> ddb.scan(r -> r.tableName("Events").attributesToGet("at", "at")));
        invalid("Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\"",
                () -> ddb.scan(r -> r.tableName("Events").filterExpression("odd =")));
        invalid("1 validation error detected: Value 'x' at 'returnConsumedCapacity' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
                () -> ddb.scan(r -> r.tableName("Events").returnConsumedCapacity("x")));
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found", () -> ddb.scan(r -> r.tableName("Nowhere")));
    }
}
