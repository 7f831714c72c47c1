package io.eddy.gateway;

import io.eddy.gateway.DifferentialExpressions.Expression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The read side of the differential test: random BatchWriteItem loads interleaved with random
 * Query (key conditions on N and S sort keys, direction, Limit, filters, projections, Select
 * COUNT, paged to the end), Scan (filters, Limit, paged to the end) and BatchGetItem, sent to
 * Eddy and to dynalite and compared. Query pages compare in order; Scan and BatchGetItem answers
 * compare as multisets, since their order is each server's own hash order.
 */
class DifferentialReadsTest {

    static final int CASES = DifferentialRun.CASES / 2;
    static final List<String> SORT_STRINGS = List.of("a", "ab", "abc", "abd", "b", "ba", "bz", "é", "z", "A", "a b");
    static final List<String> SORT_NUMBERS = List.of("-10", "-1.5", "-1", "0", "0.5", "1", "2", "3", "10", "1E+2", "12345");

    @TempDir
    static Path dataDir;
    static DifferentialRun run;

    @BeforeAll
    static void start() throws Exception {
        run = DifferentialRun.start(dataDir);
        for (String table : List.of("ReadsN", "ReadsS")) {
            ScalarAttributeType sortType = table.equals("ReadsN") ? ScalarAttributeType.N : ScalarAttributeType.S;
            run.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(sortType).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) run.close();
    }

    @Test
    void readsAnswerAsDynaliteDoes() {
        DifferentialValues values = new DifferentialValues(new Random(DifferentialRun.SEED));
        DifferentialExpressions expressions = new DifferentialExpressions(values);

        for (int i = 0; run.more(i, CASES); i++) {
            String table = values.pick(List.of("ReadsN", "ReadsS"));
            int op = values.between(0, 99);
            String description;
            Function<DynamoDbClient, Object> call;
            if (op < 30) {
                List<WriteRequest> writes = new ArrayList<>();
                Map<String, Boolean> seen = new LinkedHashMap<>();
                for (int n = values.between(1, 25); n > 0; n--) {
                    Map<String, AttributeValue> key = key(values, table);
                    if (seen.put(key.toString(), true) != null && values.chance(0.9)) continue;
                    writes.add(values.chance(0.8)
                            ? WriteRequest.builder().putRequest(p -> p.item(values.item(key))).build()
                            : WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
                }
                description = "BatchWriteItem " + table + " " + writes;
                call = c -> c.batchWriteItem(b -> b.requestItems(Map.of(table, writes))).unprocessedItems().size();
            } else if (op < 65) {
                Query query = query(values, expressions, table);
                description = "Query " + table + " " + query;
                call = c -> query.run(c, table);
            } else if (op < 85) {
                Expression filter = values.chance(0.6) ? expressions.condition() : null;
                Integer limit = values.chance(0.5) ? values.between(1, 12) : null;
                description = "Scan " + table + " limit=" + limit + DifferentialRun.describe(filter);
                call = c -> scanAll(c, table, filter, limit);
            } else {
                List<Map<String, AttributeValue>> keys = new ArrayList<>();
                for (int n = values.between(1, 12); n > 0; n--) {
                    Map<String, AttributeValue> key = key(values, table);
                    if (!keys.contains(key) || values.chance(0.05)) keys.add(key);
                }
                description = "BatchGetItem " + table + " " + keys;
                call = c -> {
                    BatchGetItemResponse r = c.batchGetItem(b -> b.requestItems(Map.of(table,
                            KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
                    return DifferentialCanonical.unordered(r.responses().getOrDefault(table, List.of()))
                            + " unprocessed=" + r.unprocessedKeys().size();
                };
            }
            run.compare(i, description, call);
        }
        run.assertNoDivergences("reads");
    }

    static Map<String, AttributeValue> key(DifferentialValues values, String table) {
        AttributeValue sort = table.equals("ReadsN") ? AttributeValue.fromN(values.pick(SORT_NUMBERS))
                : AttributeValue.fromS(values.pick(SORT_STRINGS));
        return Map.of("pk", AttributeValue.fromS(values.pick(List.of("p1", "p2", "p3"))), "sk", sort);
    }

    /** A random Query, paged to the end by {@link #run}. */
    record Query(String keyCondition, Map<String, AttributeValue> keyValues, boolean forward, Integer limit,
                 Expression filter, Expression projection, boolean count) {

        Object run(DynamoDbClient client, String table) {
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, AttributeValue> placeholders = new LinkedHashMap<>(keyValues);
            if (filter != null) {
                names.putAll(filter.names());
                placeholders.putAll(filter.values());
            }
            if (projection != null) names.putAll(projection.names());
            List<Object> pages = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse r = client.query(b -> {
                    b.tableName(table).keyConditionExpression(keyCondition).scanIndexForward(forward).limit(limit)
                            .exclusiveStartKey(from)
                            .expressionAttributeNames(names.isEmpty() ? null : names)
                            .expressionAttributeValues(placeholders);
                    if (filter != null) b.filterExpression(filter.text());
                    if (projection != null) b.projectionExpression(projection.text());
                    if (count) b.select("COUNT");
                });
                pages.add(List.of(DifferentialCanonical.items(r.items()), r.count(), r.scannedCount(),
                        String.valueOf(DifferentialCanonical.item(r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null))));
                start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
            } while (start != null && pages.size() < 50);
            return pages;
        }
    }

    static Query query(DifferentialValues values, DifferentialExpressions expressions, String table) {
        Map<String, AttributeValue> keyValues = new LinkedHashMap<>();
        keyValues.put(":p", AttributeValue.fromS(values.pick(List.of("p1", "p2", "p3"))));
        String condition = "pk = :p";
        boolean strings = table.equals("ReadsS");
        java.util.function.Supplier<AttributeValue> sortValue = () -> strings
                ? AttributeValue.fromS(values.pick(SORT_STRINGS)) : AttributeValue.fromN(values.pick(SORT_NUMBERS));
        switch (values.between(0, 8)) {
            case 0, 1 -> { }
            case 2 -> condition += " AND sk = :s";
            case 3 -> condition += " AND sk < :s";
            case 4 -> condition += " AND sk <= :s";
            case 5 -> condition += " AND sk > :s";
            case 6 -> condition += " AND sk >= :s";
            case 7 -> {
                condition += " AND sk BETWEEN :s AND :t";
                keyValues.put(":t", sortValue.get());
            }
            default -> condition += strings ? " AND begins_with(sk, :s)" : " AND sk BETWEEN :t AND :s";
        }
        if (condition.contains(":s")) keyValues.put(":s", strings && condition.contains("begins_with")
                ? AttributeValue.fromS(values.pick(List.of("a", "ab", "b", "z", "é"))) : sortValue.get());
        if (condition.contains(":t") && !keyValues.containsKey(":t")) keyValues.put(":t", sortValue.get());
        Expression filter = values.chance(0.4) ? expressions.condition() : null;
        Expression projection = values.chance(0.3) ? expressions.projection() : null;
        boolean count = projection == null && values.chance(0.15);
        // Keep the filter's own placeholders apart from the key condition's.
        if (filter != null && (filter.values().containsKey(":p") || filter.values().containsKey(":s"))) filter = null;
        return new Query(condition, keyValues, values.chance(0.6), values.chance(0.5) ? values.between(1, 8) : null,
                filter, projection, count);
    }

    static Object scanAll(DynamoDbClient client, String table, Expression filter, Integer limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int count = 0;
        int scanned = 0;
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = client.scan(b -> {
                b.tableName(table).limit(limit).exclusiveStartKey(from);
                if (filter != null) b.filterExpression(filter.text())
                        .expressionAttributeNames(filter.names().isEmpty() ? null : filter.names())
                        .expressionAttributeValues(filter.values().isEmpty() ? null : filter.values());
            });
            items.addAll(r.items());
            count += r.count();
            scanned += r.scannedCount();
            start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
        } while (start != null && ++pages < 500);
        return List.of(DifferentialCanonical.unordered(items), count, scanned);
    }
}
