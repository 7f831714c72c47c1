package io.eddy.gateway;

import static io.eddy.gateway.TestTables.b;
import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Query end to end: key conditions, sort orders, paging by Limit and by 1 MB, filters, projections, errors. */
class QueryTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    /** Sort keys in DynamoDB order, written shuffled. */
    static final List<String> NUMBERS = List.of("-1.5E+125", "-1E+10", "-99.1", "-10.1", "-9.9", "-1.01", "-1", "-0.09",
            "-0.01", "0", "1E-130", "0.01", "0.09", "0.1", "1", "1.1", "9", "9.1", "10.1", "99.1", "1E+10", "1.5E+125");
    /** UTF-8 byte order: upper case before lower, the supplementary 😀 after U+FF5E (Java's UTF-16 order puts it before). */
    static final List<String> STRINGS = List.of("10", "2", "B", "a", "aa", "ab", "é", "ÿ", "中", "中文", "～", "\uD83D\uDE00");
    /** Unsigned byte order. */
    static final List<AttributeValue> BINARIES = List.of(b(0x00), b(0x00, 0x00), b(0x01), b(0x7F), b(0x80), b(0x80, 0xFF),
            b(0xFE), b(0xFF), b(0xFF, 0x00), b(0xFF, 0xFF));

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Numbers", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        TestTables.create(ddb, "Strings", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        TestTables.create(ddb, "Binaries", "pk", ScalarAttributeType.B, "sk", ScalarAttributeType.B);
        TestTables.create(ddb, "Users", "id", ScalarAttributeType.S, null, null);
        TestTables.create(ddb, "Big", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        Random random = new Random(4);
        List<String> numbers = new ArrayList<>(NUMBERS);
        Collections.shuffle(numbers, random);
        for (String number : numbers) put("Numbers", Map.of("pk", s("p"), "sk", n(number), "v", s("n" + number)));
        put("Numbers", Map.of("pk", s("other"), "sk", n("0")));
        List<String> strings = new ArrayList<>(STRINGS);
        Collections.shuffle(strings, random);
        for (String string : strings) put("Strings", Map.of("pk", s("p"), "sk", s(string)));
        List<AttributeValue> binaries = new ArrayList<>(BINARIES);
        Collections.shuffle(binaries, random);
        for (AttributeValue binary : binaries) put("Binaries", Map.of("pk", b(0xFF, 0x00), "sk", binary));
        put("Binaries", Map.of("pk", b(0xFF), "sk", b(0x00)));
        put("Users", Map.of("id", s("ann"), "age", n("31"), "tags", AttributeValue.fromL(List.of(s("x"), s("y")))));
        put("Users", Map.of("id", s("bob"), "age", n("45")));
        String payload = "x".repeat(100 * 1024);
        for (int i = 0; i < 30; i++) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s("big"), "sk", n(Integer.toString(i)), "data", s(payload)));
            if (i % 4 == 0) item.put("marked", AttributeValue.fromBool(true));
            put("Big", item);
        }
    }

    static void put(String table, Map<String, AttributeValue> item) {
        node.client().putItem(r -> r.tableName(table).item(item));
    }

    static List<AttributeValue> sortKeys(QueryResponse response) {
        return response.items().stream().map(item -> item.get("sk")).toList();
    }

    static QueryResponse query(String table, String keyCondition, Map<String, AttributeValue> values) {
        return node.client().query(r -> r.tableName(table).keyConditionExpression(keyCondition).expressionAttributeValues(values));
    }

    static List<String> numbersOf(QueryResponse response) {
        return response.items().stream().map(item -> item.get("sk").n()).toList();
    }

    /** Numbers as values, whatever their notation (responses use canonical forms). */
    static List<BigDecimal> decimals(List<String> numbers) {
        return numbers.stream().map(BigDecimal::new).map(BigDecimal::stripTrailingZeros).toList();
    }

    static void assertNumbers(List<String> expected, QueryResponse response) {
        assertEquals(decimals(expected), decimals(numbersOf(response)));
    }

    @Test
    void numbersSortNumericallyBothWays() {
        QueryResponse forward = query("Numbers", "pk = :p", Map.of(":p", s("p")));
        assertNumbers(NUMBERS, forward);
        assertEquals(NUMBERS.size(), forward.count());
        assertEquals(NUMBERS.size(), forward.scannedCount());
        assertFalse(forward.hasLastEvaluatedKey());
        List<String> reversed = new ArrayList<>(NUMBERS);
        Collections.reverse(reversed);
        assertNumbers(reversed, ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))).scanIndexForward(false)));
    }

    @Test
    void stringsSortByUtf8Bytes() {
        List<AttributeValue> expected = STRINGS.stream().map(TestTables::s).toList();
        assertEquals(expected, sortKeys(query("Strings", "pk = :p", Map.of(":p", s("p")))));
        assertEquals(List.of(s("中"), s("中文")), sortKeys(query("Strings", "pk = :p AND begins_with(sk, :c)",
                Map.of(":p", s("p"), ":c", s("中")))));
        assertEquals(List.of(s("～"), s("\uD83D\uDE00")), sortKeys(query("Strings", "pk = :p AND sk > :c",
                Map.of(":p", s("p"), ":c", s("中文")))));
    }

    @Test
    void binariesSortAsUnsignedBytes() {
        assertEquals(BINARIES, sortKeys(query("Binaries", "pk = :p", Map.of(":p", b(0xFF, 0x00)))));
        assertEquals(List.of(b(0xFF), b(0xFF, 0x00), b(0xFF, 0xFF)), sortKeys(query("Binaries",
                "pk = :p AND begins_with(sk, :prefix)", Map.of(":p", b(0xFF, 0x00), ":prefix", b(0xFF)))));
        assertEquals(List.of(b(0x00), b(0x00, 0x00)), sortKeys(query("Binaries",
                "pk = :p AND begins_with(sk, :prefix)", Map.of(":p", b(0xFF, 0x00), ":prefix", b(0x00)))));
        assertEquals(List.of(b(0x80, 0xFF), b(0xFE), b(0xFF)), sortKeys(query("Binaries",
                "pk = :p AND sk BETWEEN :low AND :high", Map.of(":p", b(0xFF, 0x00), ":low", b(0x80, 0x01), ":high", b(0xFF)))));
        assertEquals(List.of(b(0x00)), sortKeys(query("Binaries", "pk = :p", Map.of(":p", b(0xFF)))));
    }

    @Test
    void everySortKeyOperator() {
        Map<String, Predicate<BigDecimal>> expectations = new HashMap<>();
        expectations.put("sk = :v", x -> x.compareTo(BigDecimal.ONE) == 0);
        expectations.put("sk < :v", x -> x.compareTo(BigDecimal.ONE) < 0);
        expectations.put("sk <= :v", x -> x.compareTo(BigDecimal.ONE) <= 0);
        expectations.put("sk > :v", x -> x.compareTo(BigDecimal.ONE) > 0);
        expectations.put("sk >= :v", x -> x.compareTo(BigDecimal.ONE) >= 0);
        expectations.put(":v > sk", x -> x.compareTo(BigDecimal.ONE) < 0);
        expectations.put(":v <= sk", x -> x.compareTo(BigDecimal.ONE) >= 0);
        for (Map.Entry<String, Predicate<BigDecimal>> e : expectations.entrySet()) {
            List<String> expected = NUMBERS.stream().filter(x -> e.getValue().test(new BigDecimal(x))).toList();
            assertNumbers(expected, query("Numbers", "pk = :p AND " + e.getKey(), Map.of(":p", s("p"), ":v", n("1.0"))));
        }
        List<String> between = NUMBERS.stream().filter(x -> new BigDecimal(x).abs().compareTo(BigDecimal.TEN) <= 0).toList();
        assertNumbers(between, query("Numbers", "pk = :p AND sk BETWEEN :low AND :high",
                Map.of(":p", s("p"), ":low", n("-10"), ":high", n("1E1"))));
        assertNumbers(List.of(), query("Numbers", "pk = :p AND sk = :v", Map.of(":p", s("p"), ":v", n("2"))));
        assertNumbers(List.of(), query("Numbers", "pk = :p", Map.of(":p", s("nobody"))));
        // DynamoDB takes doubled parentheses in a key condition, where a condition would have them redundant.
        assertNumbers(List.of("1"), query("Numbers", "((pk = :p)) AND ((sk = :v))", Map.of(":p", s("p"), ":v", n("1"))));
    }

    @Test
    void legacyKeyConditions() {
        QueryResponse response = ddb.query(r -> r.tableName("Numbers").keyConditions(Map.of(
                "pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p")).build(),
                "sk", Condition.builder().comparisonOperator(ComparisonOperator.BETWEEN).attributeValueList(n("-1"), n("1")).build())));
        assertNumbers(List.of("-1", "-0.09", "-0.01", "0", "1E-130", "0.01", "0.09", "0.1", "1"), response);
        QueryResponse hash = ddb.query(r -> r.tableName("Users").keyConditions(Map.of(
                "id", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("ann")).build())));
        assertEquals("31", hash.items().get(0).get("age").n());
        invalid("Attempted conditional constraint is not an indexable operation", () -> ddb.query(r -> r.tableName("Numbers")
                .keyConditions(Map.of("pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p")).build(),
                        "sk", Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).build()))));
        invalid("One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditions(Map.of("pk",
                        Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p"), s("q")).build()))));
        invalid("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditions(Map.of("sk",
                        Condition.builder().comparisonOperator(ComparisonOperator.BETWEEN).attributeValueList(n("2"), n("1")).build()))));
        invalid("Conditions can be of length 1 or 2 only", () -> ddb.query(r -> r.tableName("Numbers").keyConditions(Map.of())));
    }

    @Test
    void limitAndExclusiveStartKeyWalkThePartition() {
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p"))).limit(5).exclusiveStartKey(from));
            seen.addAll(numbersOf(page));
            assertTrue(page.count() <= 5);
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                Map<String, AttributeValue> last = page.items().get(page.items().size() - 1);
                assertEquals(Map.of("pk", last.get("pk"), "sk", last.get("sk")), start, "the key of the last item read");
            }
            pages++;
        } while (start != null);
        assertEquals(NUMBERS.size(), seen.size());
        assertEquals(5, pages, "22 items in pages of 5; the last page is short and ends the query");

        // As DynamoDB does, a page that stops exactly at Limit carries a LastEvaluatedKey even when nothing follows.
        QueryResponse exact = ddb.query(r -> r.tableName("Users").keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s("ann"))).limit(1));
        assertEquals(Map.of("id", s("ann")), exact.lastEvaluatedKey());
        QueryResponse after = ddb.query(r -> r.tableName("Users").keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s("ann"))).limit(1).exclusiveStartKey(exact.lastEvaluatedKey()));
        assertEquals(0, after.count());
        assertFalse(after.hasLastEvaluatedKey());
    }

    @Test
    void reversePagesContinueBackwards() {
        List<String> seen = new ArrayList<>();
        for (QueryResponse page : ddb.queryPaginator(r -> r.tableName("Numbers").keyConditionExpression("pk = :p AND sk < :zero")
                .expressionAttributeValues(Map.of(":p", s("p"), ":zero", n("0"))).scanIndexForward(false).limit(3))) {
            seen.addAll(numbersOf(page));
        }
        List<String> expected = new ArrayList<>(NUMBERS.subList(0, NUMBERS.indexOf("0")));
        Collections.reverse(expected);
        assertEquals(decimals(expected), decimals(seen));
    }

    @Test
    void pagesStopAtOneMegabyteBeforeTheFilter() {
        List<Integer> scanned = new ArrayList<>();
        List<String> returned = new ArrayList<>();
        for (QueryResponse page : ddb.queryPaginator(r -> r.tableName("Big").keyConditionExpression("pk = :p")
                .filterExpression("marked = :yes").projectionExpression("sk")
                .expressionAttributeValues(Map.of(":p", s("big"), ":yes", AttributeValue.fromBool(true))))) {
            scanned.add(page.scannedCount());
            returned.addAll(numbersOf(page));
            assertTrue(page.count() < page.scannedCount() || page.scannedCount() == 0);
        }
        // 1 MB holds ten 100 KB items; DynamoDB keeps the eleventh, which crosses the limit.
        assertEquals(List.of(11, 11, 8), scanned);
        assertEquals(List.of("0", "4", "8", "12", "16", "20", "24", "28"), returned);
    }

    @Test
    void filterSelectAndProjection() {
        QueryResponse filtered = ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p AND sk >= :zero")
                .filterExpression("begins_with(v, :prefix)").expressionAttributeValues(Map.of(":p", s("p"), ":zero", n("0"), ":prefix", s("n9"))));
        assertEquals(List.of("9", "9.1", "99.1"), numbersOf(filtered));
        assertEquals(3, filtered.count());
        assertEquals(13, filtered.scannedCount());

        QueryResponse counted = ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p"))).select(Select.COUNT).limit(4));
        assertFalse(counted.hasItems());
        assertEquals(4, counted.count());
        assertEquals(Map.of("pk", s("p"), "sk", n("-10.1")), counted.lastEvaluatedKey());

        QueryResponse projected = ddb.query(r -> r.tableName("Users").keyConditionExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", "id")).expressionAttributeValues(Map.of(":id", s("ann")))
                .projectionExpression("tags[1], age"));
        assertEquals(List.of(Map.of("tags", AttributeValue.fromL(List.of(s("y"))), "age", n("31"))), projected.items());
        QueryResponse legacy = ddb.query(r -> r.tableName("Users").keyConditions(Map.of("id",
                        Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("bob")).build()))
                .attributesToGet("age").select(Select.SPECIFIC_ATTRIBUTES));
        assertEquals(List.of(Map.of("age", n("45"))), legacy.items());
        // Legacy KeyConditions may go with a FilterExpression (not with a KeyConditionExpression).
        QueryResponse mixed = ddb.query(r -> r.tableName("Numbers").keyConditions(Map.of("pk",
                        Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p")).build()))
                .filterExpression("v = :v").expressionAttributeValues(Map.of(":v", s("n-1.01"))));
        assertEquals(List.of("-1.01"), numbersOf(mixed));
        QueryResponse all = ddb.query(r -> r.tableName("Users").keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s("bob"))).select(Select.ALL_ATTRIBUTES).consistentRead(true));
        assertEquals(List.of(Map.of("id", s("bob"), "age", n("45"))), all.items());
        // 299 operators are taken, 301 are not (DynamoDB's limit is 300).
        QueryResponse long299 = ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p")
                .filterExpression("v <> :x" + " AND v <> :x".repeat(149))
                .expressionAttributeValues(Map.of(":p", s("p"), ":x", s("n9"))));
        assertEquals(22, long299.scannedCount());
        assertEquals(21, long299.count());
        invalid("Invalid FilterExpression: The expression contains too many operators; operator count: 301",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p")
                        .filterExpression("v <> :x" + " AND v <> :x".repeat(150))
                        .expressionAttributeValues(Map.of(":p", s("p"), ":x", s("n9")))));
    }

    @Test
    void consumedCapacityCountsEveryItemRead() {
        QueryResponse total = ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p")
                .filterExpression("v = :none").expressionAttributeValues(Map.of(":p", s("p"), ":none", s("none")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(0, total.count());
        assertEquals("Numbers", total.consumedCapacity().tableName());
        assertEquals(0.5, total.consumedCapacity().capacityUnits(), "22 small items round up to one 4 KB read, halved");
        assertNull(total.consumedCapacity().table());

        QueryResponse indexes = ddb.query(r -> r.tableName("Big").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("big"))).limit(2).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        // Two items of 100 KB and a little: 51 units of 4 KB, strongly consistent.
        assertEquals(51.0, indexes.consumedCapacity().capacityUnits());
        assertEquals(51.0, indexes.consumedCapacity().table().capacityUnits());
        assertNull(ddb.query(r -> r.tableName("Users").keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s("zed")))).consumedCapacity());
        assertEquals(1.0, ddb.query(r -> r.tableName("Users").keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s("zed"))).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits(), "an empty read costs one unit");
    }

    @Test
    void keyConditionErrors() {
        invalid("Query condition missed key schema element: pk", () -> query("Numbers", "sk = :v", Map.of(":v", n("1"))));
        invalid("Query condition missed key schema element: sk",
                () -> query("Numbers", "pk = :p AND v = :v", Map.of(":p", s("p"), ":v", s("x"))));
        invalid("Query key condition not supported", () -> query("Numbers", "pk > :p", Map.of(":p", s("p"))));
        // DynamoDB counts the conditions against the key attributes first (captured in 2026).
        invalid("The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)",
                () -> query("Users", "id = :p AND age = :v", Map.of(":p", s("p"), ":v", n("1"))));
        invalid("The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)",
                () -> query("Numbers", "pk = :p AND sk > :v AND extra = :v", Map.of(":p", s("p"), ":v", n("1"))));
        invalid("Invalid operator used in KeyConditionExpression: OR",
                () -> query("Numbers", "pk = :p OR sk = :v", Map.of(":p", s("p"), ":v", n("1"))));
        invalid("Invalid operator used in KeyConditionExpression: <>",
                () -> query("Numbers", "pk = :p AND sk <> :v", Map.of(":p", s("p"), ":v", n("1"))));
        invalid("Invalid operator used in KeyConditionExpression: attribute_exists",
                () -> query("Numbers", "pk = :p AND attribute_exists(sk)", Map.of(":p", s("p"))));
        invalid("Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key",
                () -> query("Numbers", "pk = :p AND sk > :v AND sk < :v", Map.of(":p", s("p"), ":v", n("1"))));
        invalid("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes",
                () -> query("Numbers", "pk.x = :p", Map.of(":p", s("p"))));
        invalid("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> query("Numbers", "pk = :p AND sk > :v", Map.of(":p", s("p"), ":v", s("1"))));
        invalid("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                () -> query("Numbers", "pk = :p AND begins_with(sk, :v)", Map.of(":p", s("p"), ":v", n("1"))));
        invalid("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}",
                () -> query("Numbers", "pk = :p AND sk BETWEEN :a AND :b", Map.of(":p", s("p"), ":a", n("2"), ":b", n("1"))));
        invalid("Invalid KeyConditionExpression: The expression can not be empty;", () -> query("Numbers", "", Map.of(":p", s("p"))));
        invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
                () -> ddb.query(r -> r.tableName("Numbers")));
        invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                () -> query("Numbers", "pk = :p", Map.of(":p", s("p"), ":unused", s("x"))));
        invalid("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
                () -> query("Numbers", "pk = :p", Map.of(":p", s(""))));
    }

    @Test
    void parameterErrors() {
        invalid("1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p"))).limit(0)));
        invalid("1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))
                        .select(Select.SPECIFIC_ATTRIBUTES)));
        invalid("1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))
                        .select(Select.COUNT).projectionExpression("sk")));
        invalid("1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))
                        .select(Select.ALL_PROJECTED_ATTRIBUTES)));
        invalid("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))
                        .attributesToGet("sk")));
        invalid("QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditions(Map.of("pk",
                                Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p")).build()))
                        .queryFilter(Map.of("sk", Condition.builder().comparisonOperator(ComparisonOperator.NOT_NULL).build()))));
        invalid("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").filterExpression("sk > :v")
                        .expressionAttributeValues(Map.of(":p", s("p"), ":v", n("1")))));
        invalid("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").projectionExpression("sk.x")
                        .expressionAttributeValues(Map.of(":p", s("p")))));
        invalid("The table does not have the specified index: byAge",
                () -> ddb.query(r -> r.tableName("Users").indexName("byAge").keyConditionExpression("age = :a")
                        .expressionAttributeValues(Map.of(":a", n("1")))));
        invalid("2 validation errors detected: Value 'a;' at 'indexName' failed to satisfy constraint: Member must satisfy regular "
                        + "expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'indexName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 3",
                () -> ddb.query(r -> r.tableName("Users").indexName("a;").keyConditionExpression("id = :a")
                        .expressionAttributeValues(Map.of(":a", s("1")))));
        invalid("ConditionalOperator cannot be used without Filter or Expected",
                () -> ddb.query(r -> r.tableName("Users").conditionalOperator("AND").keyConditions(Map.of("id",
                        Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("ann")).build()))));
        invalid("KeyConditionExpressions cannot contain nested operations",
                () -> query("Numbers", "pk = :p AND sk > size(v)", Map.of(":p", s("p"))));
        TestTables.rejected("ResourceNotFoundException", "Requested resource not found",
                () -> ddb.query(r -> r.tableName("Nowhere").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))));
    }

    @Test
    void exclusiveStartKeyErrors() {
        QueryRequest.Builder base = QueryRequest.builder().tableName("Numbers").keyConditionExpression("pk = :p AND sk > :v")
                .expressionAttributeValues(Map.of(":p", s("p"), ":v", n("0")));
        invalid("The provided starting key is invalid",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", s("p"))).build()));
        invalid("The provided key element does not match the schema",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", s("p"), "sk", s("1"))).build()));
        // A partition value of another type is an invalid starting key (a 2026 test suite run against DynamoDB).
        invalid("The provided starting key is invalid",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", n("1"), "sk", n("1"))).build()));
        invalid("The provided starting key does not match the range key predicate",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", s("p"), "sk", n("-1"))).build()));
        invalid("The query can return at most one row and cannot be restarted",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", s("q"), "sk", n("1"))).build()));
        invalid("The provided starting key is outside query boundaries based on provided conditions",
                () -> ddb.query(r -> r.tableName("Numbers").keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))
                        .exclusiveStartKey(Map.of("pk", s("q"), "sk", n("1")))));
        invalid("The provided starting key is invalid: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", AttributeValue.builder().s("p").n("1").build(), "sk", n("1"))).build()));
        invalid("The parameter cannot be converted to a numeric value: x",
                () -> ddb.query(base.copy().exclusiveStartKey(Map.of("pk", s("p"), "sk", n("x"))).build()));
    }

    @Test
    void rawResponsesHaveDynamoDbShape() throws Exception {
        TestTables.Raw raw = TestTables.raw(node.server(), "Query", "{'TableName':'Users','KeyConditionExpression':'id = :id',"
                + "'ExpressionAttributeValues':{':id':{'S':'bob'}},'ReturnConsumedCapacity':'TOTAL'}");
        assertEquals(200, raw.status());
        assertEquals(Json.MAPPER.readTree("{\"Items\":[{\"id\":{\"S\":\"bob\"},\"age\":{\"N\":\"45\"}}],\"Count\":1,\"ScannedCount\":1,"
                + "\"ConsumedCapacity\":{\"TableName\":\"Users\",\"CapacityUnits\":0.5}}"), raw.body());
        TestTables.Raw missingOperator = TestTables.raw(node.server(), "Query", "{'TableName':'Users','KeyConditions':{'id':{}},"
                + "'Select':'ALL','Limit':0}");
        assertEquals("com.amazon.coral.validate#ValidationException", missingOperator.type());
        assertEquals("1 validation error detected: Value 'ANY' at 'keyConditions.id.member.comparisonOperator' failed to satisfy "
                + "constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, "
                + "BEGINS_WITH, GE, CONTAINS]", TestTables.raw(node.server(), "Query",
                "{'TableName':'Users','KeyConditions':{'id':{'ComparisonOperator':'ANY'}}}").message());
        assertEquals("3 validation errors detected: Value 'ALL' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value at 'Limit' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1; Value null at 'keyConditions.id.member.comparisonOperator' "
                + "failed to satisfy constraint: Member must not be null", missingOperator.message());
    }
}
