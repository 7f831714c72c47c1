package io.eddy.gateway;

import static io.eddy.gateway.GlobalSecondaryIndexTest.awaitUntil;
import static io.eddy.gateway.GlobalSecondaryIndexTest.definition;
import static io.eddy.gateway.GlobalSecondaryIndexTest.key;
import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Global secondary indexes with multi-attribute keys (up to four partition and four sort key
 * attributes): items missing any key attribute are not indexed; a Query takes an equality on every
 * partition attribute and conditions on a prefix of the sort attributes, equalities but for the
 * last one named, in any order in the expression; LastEvaluatedKey carries every key attribute.
 * The cases of the first test follow the behaviour recorded against DynamoDB.
 */
class MultiAttributeKeyTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        DynamoDbClient ddb = node.client();
        ddb.createTable(r -> r.tableName("Matches").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("h", ScalarAttributeType.S),
                        definition("a", ScalarAttributeType.S), definition("b", ScalarAttributeType.S),
                        definition("c", ScalarAttributeType.S), definition("d", ScalarAttributeType.S),
                        definition("org", ScalarAttributeType.S), definition("year", ScalarAttributeType.N))
                .keySchema(key("pk", KeyType.HASH))
                .globalSecondaryIndexes(
                        index("gsi", List.of("h"), List.of("a", "b", "c", "d")),
                        index("byOrgYear", List.of("org", "year"), List.of())));
        String[][] matches = {{"p1", "T", "live", "b", "r1"}, {"p2", "T", "live", "a", "r2"}, {"p3", "T", "live", "a", "r1"},
                {"p4", "T", "draft", "c", "r1"}, {"p5", "F", "live", "a", "r0"}, {"p6", "T", "live", null, "r1"}};
        for (String[] match : matches) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(match[0]), "h", s("o1"), "a", s(match[1]),
                    "b", s(match[2]), "d", s(match[4])));
            if (match[3] != null) item.put("c", s(match[3]));
            ddb.putItem(r -> r.tableName("Matches").item(item));
        }
        for (int i = 0; i < 12; i++) {
            int k = i;
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s("y" + k), "org", s(k % 2 == 0 ? "acme" : "umbrella")));
            if (k != 11) item.put("year", n(Integer.toString(2020 + k % 3)));
            ddb.putItem(r -> r.tableName("Matches").item(item));
        }
        awaitUntil("indexed", () -> pks("h = :h").size() == 5
                && query("byOrgYear", "org = :o AND #y = :y", Map.of(":o", s("acme"), ":y", n("2020")), r -> {}).count() == 2);
    }

    static GlobalSecondaryIndex index(String name, List<String> hash, List<String> range) {
        List<KeySchemaElement> keys = new ArrayList<>();
        hash.forEach(attribute -> keys.add(key(attribute, KeyType.HASH)));
        range.forEach(attribute -> keys.add(key(attribute, KeyType.RANGE)));
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys).projection(p -> p.projectionType("ALL")).build();
    }

    static final Map<String, AttributeValue> VALUES = Map.of(":h", s("o1"), ":a", s("T"), ":b", s("live"), ":c", s("a"),
            ":d", s("r"), ":x", s("r1"), ":y", s("r1"));

    static QueryResponse query(String index, String condition, Map<String, AttributeValue> values,
                               java.util.function.Consumer<QueryRequest.Builder> more) {
        Map<String, AttributeValue> used = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (condition.contains(name)) used.put(name, value);
        });
        return node.client().query(r -> {
            r.tableName("Matches").indexName(index).keyConditionExpression(condition).expressionAttributeValues(used);
            if (condition.contains("#y")) r.expressionAttributeNames(Map.of("#y", "year"));
            more.accept(r);
        });
    }

    static List<String> pks(String condition) {
        return pks(query("gsi", condition, VALUES, r -> {}));
    }

    static List<String> pks(QueryResponse response) {
        return response.items().stream().map(item -> item.get("pk").s()).toList();
    }

    @Test
    void sortAttributesCompareOneAfterAnother() {
        assertEquals(List.of("p5", "p4", "p3", "p2", "p1"), pks("h = :h"), "p6 lacks c and is not in the index");
        assertEquals(List.of("p4", "p3", "p2", "p1"), pks("h = :h AND a = :a"));
        assertEquals(List.of("p1", "p2", "p3", "p4"), pks(query("gsi", "h = :h AND a = :a", VALUES, r -> r.scanIndexForward(false))));
        assertEquals(List.of("p3", "p2", "p1"), pks("h = :h AND a = :a AND b = :b"));
        assertEquals(List.of("p3", "p2"), pks("h = :h AND a = :a AND b = :b AND c = :c"));
        assertEquals(List.of("p1"), pks("h = :h AND a = :a AND b = :b AND c > :c"));
        assertEquals(List.of("p3", "p2"), pks("h = :h AND a = :a AND b = :b AND c = :c AND begins_with(d, :d)"));
        assertEquals(List.of("p3"), pks("h = :h AND a = :a AND b = :b AND c = :c AND d BETWEEN :x AND :y"));
        assertEquals(List.of("p4"), pks("h = :h AND a = :a AND b < :b"));
        assertEquals(List.of("p3", "p2", "p1"), pks("b = :b AND h = :h AND a = :a"), "clauses in any order");
    }

    @Test
    void pagesCarryEveryKeyAttribute() {
        QueryResponse first = query("gsi", "h = :h AND a = :a", VALUES, r -> r.limit(2));
        assertEquals(List.of("p4", "p3"), pks(first));
        assertEquals(Set.of("a", "b", "c", "d", "h", "pk"), first.lastEvaluatedKey().keySet());
        QueryResponse second = query("gsi", "h = :h AND a = :a", VALUES, r -> r.limit(2).exclusiveStartKey(first.lastEvaluatedKey()));
        assertEquals(List.of("p2", "p1"), pks(second));
        List<String> all = new ArrayList<>();
        ddb.queryPaginator(r -> r.tableName("Matches").indexName("gsi").keyConditionExpression("h = :h")
                .expressionAttributeValues(Map.of(":h", s("o1"))).limit(1)).items().forEach(item -> all.add(item.get("pk").s()));
        assertEquals(List.of("p5", "p4", "p3", "p2", "p1"), all);
        invalid("The provided starting key does not match the range key predicate", () -> query("gsi", "h = :h AND a = :a", VALUES,
                r -> r.exclusiveStartKey(Map.of("pk", s("p5"), "h", s("o1"), "a", s("F"), "b", s("live"), "c", s("a"), "d", s("r0")))));
    }

    @Test
    void keyConditionsTheSchemaCannotAnswer() {
        invalid("RANGE key attributes b must have equality conditions specified in the query because a condition is present on key attribute c",
                () -> pks("h = :h AND a = :a AND c = :c"));
        invalid("RANGE key attributes b must have equality conditions specified in the query because a condition is present on key attribute c",
                () -> pks("h = :h AND a = :a AND b > :b AND c = :c"));
        invalid("RANGE key attributes a must have equality conditions specified in the query because a condition is present on key attribute b",
                () -> pks("h = :h AND b = :b"));
        invalid("RANGE key attributes a, b, c must have equality conditions specified in the query because a condition is present on key attribute d",
                () -> pks("h = :h AND d = :d"));
        invalid("Query condition missed key schema element: year",
                () -> query("byOrgYear", "org = :o", Map.of(":o", s("acme")), r -> {}));
        invalid("Query key condition not supported",
                () -> query("byOrgYear", "org = :o AND #y > :y", Map.of(":o", s("acme"), ":y", n("2020")), r -> {}));
        invalid("Query condition missed key schema element: a", () -> pks("h = :h AND pk = :c"));
    }

    /** Legacy KeyConditions take as many conditions as the key schema has (moto's test, run against DynamoDB). */
    @Test
    void legacyKeyConditionsTakeMoreThanTwoConditionsOnAMultiAttributeKey() {
        var eq = software.amazon.awssdk.services.dynamodb.model.ComparisonOperator.EQ;
        var conditions = new LinkedHashMap<String, software.amazon.awssdk.services.dynamodb.model.Condition>();
        conditions.put("h", software.amazon.awssdk.services.dynamodb.model.Condition.builder().comparisonOperator(eq).attributeValueList(s("o1")).build());
        conditions.put("a", software.amazon.awssdk.services.dynamodb.model.Condition.builder().comparisonOperator(eq).attributeValueList(s("T")).build());
        conditions.put("b", software.amazon.awssdk.services.dynamodb.model.Condition.builder()
                .comparisonOperator(software.amazon.awssdk.services.dynamodb.model.ComparisonOperator.GT).attributeValueList(s("draft")).build());
        assertEquals(List.of("p3", "p2", "p1"), pks(ddb.query(r -> r.tableName("Matches").indexName("gsi").keyConditions(conditions))));
        invalid("Conditions can be of length 1 or 2 only", () -> ddb.query(r -> r.tableName("Matches").keyConditions(Map.of(
                "pk", conditions.get("a"), "a", conditions.get("a"), "b", conditions.get("b")))));
    }

    @Test
    void aMultiAttributePartitionKeyHashesAllItsAttributes() {
        Map<Integer, List<String>> acme = new LinkedHashMap<>();
        for (int year = 2020; year <= 2022; year++) {
            int y = year;
            acme.put(year, pks(query("byOrgYear", "org = :o AND #y = :y", Map.of(":o", s("acme"), ":y", n(Integer.toString(y))), r -> {})));
        }
        assertEquals(Map.of(2020, List.of("y0", "y6"), 2021, List.of("y10", "y4"), 2022, List.of("y2", "y8")), acme);
        // y11 (umbrella) has no year: not indexed.
        assertEquals(List.of("y1", "y7"), pks(query("byOrgYear", "org = :o AND #y = :y",
                Map.of(":o", s("umbrella"), ":y", n("2021")), r -> {})));
        assertEquals(List.of("y3", "y9"), pks(query("byOrgYear", "org = :o AND #y = :y",
                Map.of(":o", s("umbrella"), ":y", n("2020")), r -> {})));
        var scanned = new TreeSet<String>();
        ddb.scanPaginator(r -> r.tableName("Matches").indexName("byOrgYear").limit(3)).items()
                .forEach(item -> scanned.add(item.get("pk").s()));
        assertEquals(11, scanned.size());
        GlobalSecondaryIndexDescription description = ddb.describeTable(r -> r.tableName("Matches")).table().globalSecondaryIndexes().get(1);
        assertEquals(List.of(key("org", KeyType.HASH), key("year", KeyType.HASH)), description.keySchema());
    }

    @Test
    void createTableChecksMultiAttributeKeySchemas() {
        invalid("One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes",
                () -> create(index("bad", List.of("h", "a", "b", "c", "d"), List.of())));
        invalid("One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes",
                () -> create(index("bad", List.of("pk"), List.of("h", "a", "b", "c", "d"))));
        invalid("One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema",
                () -> create(GlobalSecondaryIndex.builder().indexName("bad").projection(p -> p.projectionType("ALL"))
                        .keySchema(key("h", KeyType.HASH), key("a", KeyType.RANGE), key("b", KeyType.HASH),
                                key("c", KeyType.RANGE), key("d", KeyType.RANGE)).build()));
        invalid("The KeySchema contains multiple key attributes with the same name",
                () -> create(index("bad", List.of("h", "a"), List.of("b", "c", "d", "a"))));
        invalid("Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                () -> create(index("bad", List.of(), List.of("h", "a", "b", "c", "d"))));
        assertFalse(ddb.listTables().tableNames().contains("Bad"));
    }

    static void create(GlobalSecondaryIndex index) {
        node.client().createTable(r -> r.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("h", ScalarAttributeType.S),
                        definition("a", ScalarAttributeType.S), definition("b", ScalarAttributeType.S),
                        definition("c", ScalarAttributeType.S), definition("d", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH)).globalSecondaryIndexes(index));
    }

    @Test
    void aMultiAttributeIndexAddedLaterIsBackfilled() throws Exception {
        ddb.createTable(r -> r.tableName("Later").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S)).keySchema(key("pk", KeyType.HASH)));
        for (int i = 0; i < 200; i++) {
            int k = i;
            ddb.putItem(r -> r.tableName("Later").item(Map.of("pk", s("p" + k), "region", s("r" + k % 2),
                    "round", n(Integer.toString(k % 5)), "seed", n(Integer.toString(k)))));
        }
        ddb.updateTable(r -> r.tableName("Later")
                .attributeDefinitions(definition("region", ScalarAttributeType.S), definition("round", ScalarAttributeType.N),
                        definition("seed", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byRegionRound")
                        .keySchema(key("region", KeyType.HASH), key("round", KeyType.RANGE), key("seed", KeyType.RANGE))
                        .projection(p -> p.projectionType("KEYS_ONLY")))));
        awaitUntil("ACTIVE", () -> ddb.describeTable(r -> r.tableName("Later")).table().globalSecondaryIndexes().get(0)
                .indexStatus() == IndexStatus.ACTIVE);
        QueryResponse round3 = ddb.query(r -> r.tableName("Later").indexName("byRegionRound")
                .keyConditionExpression("#r = :r AND #round = :n AND seed >= :s")
                .expressionAttributeNames(Map.of("#r", "region", "#round", "round"))
                .expressionAttributeValues(Map.of(":r", s("r1"), ":n", n("3"), ":s", n("100"))));
        List<String> expected = new ArrayList<>();
        for (int k = 100; k < 200; k++) if (k % 2 == 1 && k % 5 == 3) expected.add("p" + k);
        assertEquals(expected, pks(round3));
        assertEquals(Set.of("pk", "region", "round", "seed"), round3.items().get(0).keySet());
    }
}
