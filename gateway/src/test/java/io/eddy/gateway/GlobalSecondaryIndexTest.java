package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Global secondary indexes end to end: defined at CreateTable or added by UpdateTable (CREATING,
 * backfilled, then ACTIVE), kept up to date asynchronously from the partitions' change log, read by
 * Query and Scan, deleted, and kept across a restart. Index contents are checked by polling until
 * they converge (a generous deadline, never a timing assertion).
 */
class GlobalSecondaryIndexTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() throws Exception {
        node.client().createTable(players("Players").globalSecondaryIndexes(
                gsi("byTeam", "team", "score", p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("nick")),
                gsi("byTeamKeys", "team", null, p -> p.projectionType(ProjectionType.KEYS_ONLY))).build());
    }

    static CreateTableRequest.Builder players(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("id", ScalarAttributeType.S), definition("team", ScalarAttributeType.S),
                        definition("score", ScalarAttributeType.N))
                .keySchema(key("id", KeyType.HASH));
    }

    static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    static GlobalSecondaryIndex gsi(String name, String hash, String range,
                                    Consumer<software.amazon.awssdk.services.dynamodb.model.Projection.Builder> projection) {
        List<KeySchemaElement> keys = new ArrayList<>(List.of(key(hash, KeyType.HASH)));
        if (range != null) keys.add(key(range, KeyType.RANGE));
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(keys).projection(projection).build();
    }

    /**
     * A node on which an index added by UpdateTable stays as it is asked to be (CREATING, then
     * DELETING) for as long as a test looks at it: the catalog is compared with the index feeds
     * once an hour.
     */
    static TestNode startWithIndexesHeld(java.nio.file.Path dir) throws Exception {
        return TestNode.start(dir, Map.of("eddy.global-indexes.poll-interval", "1h"));
    }

    /** Adds a global index of all attributes keyed by {@code attribute} (of {@code type}) to the table; answers the table, the index CREATING. */
    static TableDescription addIndex(DynamoDbClient ddb, String table, String index, String attribute, ScalarAttributeType type) {
        return ddb.updateTable(b -> b.tableName(table)
                .attributeDefinitions(a -> a.attributeName(attribute).attributeType(type))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index)
                        .keySchema(k -> k.attributeName(attribute).keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))))).tableDescription();
    }

    static void awaitUntil(String what, Supplier<Boolean> converged) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!converged.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never converged: " + what);
            Thread.sleep(50);
        }
    }

    /** Every item of one index partition-key value, walking all pages. */
    static List<Map<String, AttributeValue>> queryAll(String table, String index, String attribute, AttributeValue value) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        node.client().queryPaginator(r -> r.tableName(table).indexName(index).keyConditionExpression("#k = :v")
                        .expressionAttributeNames(Map.of("#k", attribute)).expressionAttributeValues(Map.of(":v", value)))
                .items().forEach(items::add);
        return items;
    }

    static List<String> ids(List<Map<String, AttributeValue>> items) {
        return items.stream().map(item -> item.get("id").s()).toList();
    }

    static GlobalSecondaryIndexDescription describe(String table, String index) {
        return node.client().describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().stream()
                .filter(i -> i.indexName().equals(index)).findFirst().orElseThrow();
    }

    @Test
    void writesReachTheIndexInIndexKeyOrder() throws Exception {
        for (int i = 0; i < 30; i++) {
            Map<String, AttributeValue> player = new HashMap<>(Map.of("id", s("p" + i), "nick", s("n" + i), "secret", s("x")));
            if (i % 10 != 9) player.put("team", s(i % 2 == 0 ? "red" : "blue"));
            if (i % 7 != 6) player.put("score", n(Integer.toString(100 - i % 5)));
            ddb.putItem(r -> r.tableName("Players").item(player));
        }
        // red: even i except 6, 20 (no score) -> in byTeam; byTeamKeys needs only team.
        awaitUntil("red players indexed", () -> queryAll("Players", "byTeam", "team", s("red")).size() == 13);
        List<Map<String, AttributeValue>> red = queryAll("Players", "byTeam", "team", s("red"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i += 2) if (i % 7 != 6) expected.add("p" + i);
        expected.sort(java.util.Comparator.comparing((String id) -> 100 - Integer.parseInt(id.substring(1)) % 5)
                .thenComparing(id -> id));
        assertEquals(expected, ids(red), "by score, ties by table key");
        assertEquals(Set.of("id", "team", "score", "nick"), red.get(0).keySet(), "INCLUDE nick, never secret");
        // What the index does not project cannot be asked of it, nor filtered on by a Query (DynamoDB's words); a Scan's
        // filter sees it absent.
        TestTables.invalid("One or more parameter values were invalid: Global secondary index byTeam does not project [secret]",
                () -> ddb.query(r -> r.tableName("Players").indexName("byTeam").keyConditionExpression("team = :t")
                        .expressionAttributeValues(Map.of(":t", s("red"))).projectionExpression("nick, secret")));
        TestTables.invalid("One or more parameter values were invalid: Global secondary index byTeamKeys does not project [nick]",
                () -> ddb.scan(r -> r.tableName("Players").indexName("byTeamKeys").attributesToGet("id", "nick")));
        TestTables.invalid("One or more parameter values were invalid: Secondary index byTeam does not project one or more filter "
                + "attributes: [secret]", () -> ddb.query(r -> r.tableName("Players").indexName("byTeam").keyConditionExpression("team = :t")
                        .filterExpression("secret = :x").expressionAttributeValues(Map.of(":t", s("red"), ":x", s("x")))));
        assertEquals(0, ddb.scan(r -> r.tableName("Players").indexName("byTeam").filterExpression("secret = :x")
                .expressionAttributeValues(Map.of(":x", s("x")))).count());
        awaitUntil("keys-only index", () -> queryAll("Players", "byTeamKeys", "team", s("blue")).size() == 12);
        assertEquals(Set.of("id", "team"), queryAll("Players", "byTeamKeys", "team", s("blue")).get(0).keySet());

        QueryResponse page = ddb.query(r -> r.tableName("Players").indexName("byTeam").keyConditionExpression("team = :t")
                .expressionAttributeValues(Map.of(":t", s("red"))).limit(2));
        assertEquals(Set.of("id", "team", "score"), page.lastEvaluatedKey().keySet());
        QueryResponse next = ddb.query(r -> r.tableName("Players").indexName("byTeam").keyConditionExpression("team = :t")
                .expressionAttributeValues(Map.of(":t", s("red"))).limit(2).exclusiveStartKey(page.lastEvaluatedKey()));
        assertEquals(expected.subList(2, 4), ids(next.items()));

        // Moved to another team, removed from the index, deleted.
        ddb.updateItem(r -> r.tableName("Players").key(Map.of("id", s("p0"))).updateExpression("SET team = :t")
                .expressionAttributeValues(Map.of(":t", s("green"))));
        ddb.updateItem(r -> r.tableName("Players").key(Map.of("id", s("p2"))).updateExpression("REMOVE score"));
        ddb.deleteItem(r -> r.tableName("Players").key(Map.of("id", s("p4"))));
        awaitUntil("changes reach the index", () -> queryAll("Players", "byTeam", "team", s("red")).size() == 10
                && ids(queryAll("Players", "byTeam", "team", s("green"))).equals(List.of("p0")));
        Set<String> redNow = new HashSet<>(ids(queryAll("Players", "byTeam", "team", s("red"))));
        assertFalse(redNow.contains("p0") || redNow.contains("p2") || redNow.contains("p4"));

        var scan = ddb.scan(r -> r.tableName("Players").indexName("byTeam"));
        assertEquals(queryAll("Players", "byTeam", "team", s("red")).size() + queryAll("Players", "byTeam", "team", s("blue")).size() + 1,
                scan.count());
        awaitUntil("counts", () -> describe("Players", "byTeam").itemCount() == (long) scan.count());
        GlobalSecondaryIndexDescription byTeam = describe("Players", "byTeam");
        assertEquals(IndexStatus.ACTIVE, byTeam.indexStatus());
        assertTrue(byTeam.indexSizeBytes() > 0);
        assertEquals(0L, byTeam.provisionedThroughput().readCapacityUnits());
        assertTrue(byTeam.indexArn().endsWith(":table/Players/index/byTeam"));
        assertEquals(List.of(key("team", KeyType.HASH), key("score", KeyType.RANGE)), byTeam.keySchema());
    }

    @Test
    void readsOfAGlobalIndex() {
        invalid("Consistent reads are not supported on global secondary indexes", () -> ddb.query(r -> r.tableName("Players")
                .indexName("byTeam").keyConditionExpression("team = :t").expressionAttributeValues(Map.of(":t", s("red")))
                .consistentRead(true)));
        invalid("Consistent reads are not supported on global secondary indexes",
                () -> ddb.scan(r -> r.tableName("Players").indexName("byTeam").consistentRead(true)));
        invalid("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary "
                + "index byTeam because its projection type is not ALL", () -> ddb.query(r -> r.tableName("Players")
                .indexName("byTeam").keyConditionExpression("team = :t").expressionAttributeValues(Map.of(":t", s("red")))
                .select(Select.ALL_ATTRIBUTES)));
        invalid("Query condition missed key schema element: team", () -> ddb.query(r -> r.tableName("Players")
                .indexName("byTeam").keyConditionExpression("id = :t").expressionAttributeValues(Map.of(":t", s("red")))));
        invalid("One or more parameter values were invalid: Type mismatch for Index Key score Expected: N Actual: S IndexName: byTeam",
                () -> ddb.putItem(r -> r.tableName("Players").item(Map.of("id", s("bad"), "score", s("high")))));
        invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
                        + "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byTeam, IndexKey: team",
                () -> ddb.putItem(r -> r.tableName("Players").item(Map.of("id", s("bad"), "team", s("")))));
        // An update's empty index key is worded without the index, as DynamoDB words it.
        String updatedEmpty = "One or more parameter values are not valid. The update expression attempted to update a secondary "
                + "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty "
                + "string value.";
        invalid(updatedEmpty, () -> ddb.updateItem(r -> r.tableName("Players").key(Map.of("id", s("bad")))
                .updateExpression("SET team = :t").expressionAttributeValues(Map.of(":t", s("")))));
        invalid(updatedEmpty, () -> ddb.transactWriteItems(r -> r.transactItems(t -> t.update(u -> u.tableName("Players")
                .key(Map.of("id", s("bad"))).updateExpression("SET team = :t").expressionAttributeValues(Map.of(":t", s("")))))));
        invalid("One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
                        + "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byTeam, IndexKey: team",
                () -> ddb.transactWriteItems(r -> r.transactItems(t -> t.put(p -> p.tableName("Players")
                        .item(Map.of("id", s("bad"), "team", s("")))))));
        // An index partition key takes 2,048 bytes, as the table's (multi-byte characters counted in UTF-8).
        invalid("One or more parameter values were invalid: Size limit exceeded for Index Key team Actual Size: 2050 bytes "
                + "Max Size: 2048 bytes IndexName: byTeam", () -> ddb.updateItem(r -> r.tableName("Players")
                .key(Map.of("id", s("bad"))).updateExpression("SET team = :t").expressionAttributeValues(Map.of(":t", s("é".repeat(1025))))));
        assertFalse(ddb.getItem(r -> r.tableName("Players").key(Map.of("id", s("bad")))).hasItem(), "nothing was written");
    }

    /** PartiQL's words for index reads, captured from DynamoDB (2026) by the dynamodb-conformance suite. */
    @Test
    void partiqlReadsOfAnIndex() {
        invalid("One or more parameter values were invalid: Secondary index byTeam does not project one or more filter attributes: "
                + "[level]", () -> ddb.executeStatement(r -> r.statement("SELECT id FROM Players.byTeam WHERE team = 'red' AND level = 1")));
        invalid("One or more parameter values were invalid: Global secondary index byTeam does not project [level]",
                () -> ddb.executeStatement(r -> r.statement("SELECT level FROM Players.byTeam WHERE team = 'red'")));
        ddb.executeStatement(r -> r.statement("SELECT id, nick FROM Players.byTeam WHERE team = 'red' AND score > 1"));
        // Unkeyed, the read scans the index, where the attribute is absent: accepted, matching nothing.
        assertTrue(ddb.executeStatement(r -> r.statement("SELECT id FROM Players.byTeam WHERE level = 1")).items().isEmpty());
        invalid("Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL",
                () -> ddb.executeStatement(r -> r.statement("SELECT id FROM Players WHERE id = 'p0' AND score BETWEEN ? AND 3")
                        .parameters(AttributeValue.fromBool(true))));
        invalid("FROM clause may only contain a single table name",
                () -> ddb.executeStatement(r -> r.statement("INSERT INTO Players.byTeam VALUE {'id': 'x'}")));
        invalid("The table does not have the specified index",
                () -> ddb.executeStatement(r -> r.statement("SELECT id FROM Players.nope WHERE team = 'red'")));
        invalid("Strongly consistent read is not supported on Global Secondary Indexes",
                () -> ddb.executeStatement(r -> r.statement("SELECT id FROM Players.byTeam WHERE team = 'red'").consistentRead(true)));
        invalid("A path may contain at most 2 components in the FROM clause",
                () -> ddb.executeStatement(r -> r.statement("SELECT id FROM Players.byTeam.more WHERE team = 'red'")));
        invalid("Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
                () -> ddb.executeStatement(r -> r.statement("SELECT id FROM Players WHERE id = 'p0' AND score < ?")
                        .parameters(AttributeValue.fromBool(true))));
        invalid("Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.",
                () -> ddb.executeTransaction(r -> r.transactStatements(t -> t.statement("SELECT id FROM Players.byTeam WHERE team = 'red'"))));
    }

    /** Key attributes are scalars: DynamoDB names the table's key, then an index's, wherever a read looks inside one. */
    @Test
    void readsCannotLookInsideKeyAttributes() {
        String notScalar = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";
        invalid(notScalar + "Key: id", () -> ddb.getItem(r -> r.tableName("Players").key(Map.of("id", s("p0")))
                .projectionExpression("team.x, id[0]")));
        invalid(notScalar + "IndexKey: team", () -> ddb.getItem(r -> r.tableName("Players").key(Map.of("id", s("p0")))
                .projectionExpression("team.x")));
        invalid(notScalar + "IndexKey: score", () -> ddb.batchGetItem(r -> r.requestItems(Map.of("Players",
                KeysAndAttributes.builder().keys(Map.of("id", s("p0"))).projectionExpression("score[1]").build()))));
        invalid(notScalar + "IndexKey: team", () -> ddb.scan(r -> r.tableName("Players").filterExpression("attribute_exists(team.x)")));
        invalid(notScalar + "IndexKey: team", () -> ddb.transactGetItems(r -> r.transactItems(t -> t.get(g -> g.tableName("Players")
                .key(Map.of("id", s("p0"))).projectionExpression("team.x")))));
        invalid(notScalar + "IndexKey: team", () -> ddb.query(r -> r.tableName("Players").indexName("byTeam")
                .keyConditionExpression("team = :t").expressionAttributeValues(Map.of(":t", s("red"))).projectionExpression("team.x")));
    }

    @Test
    void writeCapacityCountsTheGlobalIndexes() {
        ddb.createTable(players("Costs").globalSecondaryIndexes(
                gsi("byTeam", "team", "score", p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("nick")),
                gsi("byTeamKeys", "team", null, p -> p.projectionType(ProjectionType.KEYS_ONLY))).build());
        ConsumedCapacity put = ddb.putItem(r -> r.tableName("Costs").returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .item(Map.of("id", s("cap"), "team", s("cap"), "score", n("1")))).consumedCapacity();
        assertEquals(Set.of("byTeam", "byTeamKeys"), put.globalSecondaryIndexes().keySet());
        assertEquals(3.0, put.capacityUnits());
    }

    /** The test: 10,000 items, a GSI added by UpdateTable, every item found in it, then changes converge. */
    @Test
    void anIndexAddedLaterIsBackfilledAndFollowsChanges() throws Exception {
        ddb.createTable(players("Backfilled").attributeDefinitions(definition("id", ScalarAttributeType.S)).build());
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int start = 0; start < 10_000; start += 25) {
                int first = start;
                batches.add(writers.submit(() -> {
                    List<WriteRequest> writes = new ArrayList<>();
                    for (int i = first; i < first + 25; i++) {
                        Map<String, AttributeValue> item = Map.of("id", s("p" + i), "team", s("t" + i % 10),
                                "score", n(Integer.toString(i)), "nick", s("n" + i));
                        writes.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
                    }
                    var unprocessed = ddb.batchWriteItem(r -> r.requestItems(Map.of("Backfilled", writes))).unprocessedItems();
                    assertTrue(unprocessed.isEmpty());
                }));
            }
            for (Future<?> batch : batches) batch.get();
        } finally {
            writers.shutdown();
        }

        var created = ddb.updateTable(UpdateTableRequest.builder().tableName("Backfilled")
                .attributeDefinitions(definition("team", ScalarAttributeType.S), definition("score", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(c -> c.indexName("byTeam")
                        .keySchema(key("team", KeyType.HASH), key("score", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))).build()).build())
                .tableDescription();
        GlobalSecondaryIndexDescription creating = created.globalSecondaryIndexes().get(0);
        assertEquals(IndexStatus.CREATING, creating.indexStatus());
        assertTrue(creating.backfilling());
        assertEquals(Set.of("id", "team", "score"), created.attributeDefinitions().stream()
                .map(AttributeDefinition::attributeName).collect(java.util.stream.Collectors.toSet()));
        awaitUntil("index ACTIVE", () -> describe("Backfilled", "byTeam").indexStatus() == IndexStatus.ACTIVE);
        assertEquals(10_000L, describe("Backfilled", "byTeam").itemCount());

        for (int team = 0; team < 10; team++) {
            List<Map<String, AttributeValue>> members = queryAll("Backfilled", "byTeam", "team", s("t" + team));
            assertEquals(1000, members.size());
            for (int k = 0; k < members.size(); k++) {
                assertEquals(Integer.toString(team + 10 * k), members.get(k).get("score").n(), "in score order");
            }
        }

        // Moves, deletions and new items after the backfill.
        ExecutorService changers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> changes = new ArrayList<>();
            for (int i = 0; i < 10_000; i += 10) {
                int k = i;
                changes.add(changers.submit(() -> {
                    ddb.updateItem(r -> r.tableName("Backfilled").key(Map.of("id", s("p" + k))).updateExpression("SET team = :t")
                            .expressionAttributeValues(Map.of(":t", s("moved"))));
                    ddb.deleteItem(r -> r.tableName("Backfilled").key(Map.of("id", s("p" + (k + 1)))));
                    ddb.putItem(r -> r.tableName("Backfilled").item(Map.of("id", s("new" + k), "team", s("t1"), "score", n("-" + k))));
                }));
            }
            for (Future<?> change : changes) change.get();
        } finally {
            changers.shutdown();
        }
        awaitUntil("moves, deletes and new items converge", () ->
                queryAll("Backfilled", "byTeam", "team", s("moved")).size() == 1000
                        && queryAll("Backfilled", "byTeam", "team", s("t1")).size() == 1000
                        && queryAll("Backfilled", "byTeam", "team", s("t0")).isEmpty()
                        && queryAll("Backfilled", "byTeam", "team", s("t2")).size() == 1000);
        List<Map<String, AttributeValue>> t1 = queryAll("Backfilled", "byTeam", "team", s("t1"));
        assertTrue(ids(t1).stream().allMatch(id -> id.startsWith("new")), "every original t1 player was deleted");
        List<Map<String, AttributeValue>> moved = queryAll("Backfilled", "byTeam", "team", s("moved"));
        assertEquals(Set.copyOf(ids(moved)).size(), 1000);
        assertTrue(moved.stream().allMatch(item -> Integer.parseInt(item.get("score").n()) % 10 == 0));
        awaitUntil("count", () -> describe("Backfilled", "byTeam").itemCount() == 10_000L);

        // Deleted: DELETING until its entries are gone, then no longer there.
        var deleting = ddb.updateTable(r -> r.tableName("Backfilled").globalSecondaryIndexUpdates(
                GlobalSecondaryIndexUpdate.builder().delete(d -> d.indexName("byTeam")).build())).tableDescription();
        assertEquals(IndexStatus.DELETING, deleting.globalSecondaryIndexes().get(0).indexStatus());
        awaitUntil("index deleted", () -> !ddb.describeTable(r -> r.tableName("Backfilled")).table().hasGlobalSecondaryIndexes()
                || ddb.describeTable(r -> r.tableName("Backfilled")).table().globalSecondaryIndexes().isEmpty());
        invalid("The table does not have the specified index: byTeam", () -> queryAll("Backfilled", "byTeam", "team", s("t1")));
        // As in DynamoDB, its key attributes' definitions went with it: one of them may come back with another type.
        assertEquals(List.of("id"), ddb.describeTable(r -> r.tableName("Backfilled")).table().attributeDefinitions().stream()
                .map(AttributeDefinition::attributeName).toList());
        var retyped = ddb.updateTable(r -> r.tableName("Backfilled")
                .attributeDefinitions(definition("score", ScalarAttributeType.S), definition("unused", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byScoreText").keySchema(key("score", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))))).tableDescription();
        assertEquals(List.of("id:S", "score:S"), retyped.attributeDefinitions().stream()
                .map(d -> d.attributeName() + ":" + d.attributeTypeAsString()).toList(), "an unused definition is not kept");
        awaitUntil("retyped index ACTIVE", () -> describe("Backfilled", "byScoreText").indexStatus() == IndexStatus.ACTIVE);
        assertEquals(0L, describe("Backfilled", "byScoreText").itemCount(), "every score is a number");
        assertTrue(ddb.scan(r -> r.tableName("Backfilled").indexName("byScoreText")).items().isEmpty(), "every score is a number");
    }

    @Test
    void anOlderItemWithAValueNoIndexKeyMayHaveIsLeftOutOfTheIndex() throws Exception {
        // Empty, or over 2048 bytes as a partition key or 1024 as a sort key: left out of a backfill, as DynamoDB does
        // (ScyllaDB's tests, run against it); writes of such values are refused once the index exists.
        TestTables.create(ddb, "Violations", "id", ScalarAttributeType.S, null, null);
        ddb.putItem(r -> r.tableName("Violations").item(Map.of("id", s("empty"), "x", s(""), "y", s("1"))));
        ddb.putItem(r -> r.tableName("Violations").item(Map.of("id", s("long-x"), "x", s("k".repeat(2049)), "y", s("1"))));
        ddb.putItem(r -> r.tableName("Violations").item(Map.of("id", s("long-y"), "x", s("ok"), "y", s("k".repeat(1025)))));
        ddb.putItem(r -> r.tableName("Violations").item(Map.of("id", s("fits"), "x", s("ok"), "y", s("k".repeat(1024)))));
        ddb.updateTable(r -> r.tableName("Violations")
                .attributeDefinitions(definition("x", ScalarAttributeType.S), definition("y", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byXY").keySchema(key("x", KeyType.HASH), key("y", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        awaitUntil("index ACTIVE", () -> describe("Violations", "byXY").indexStatus() == IndexStatus.ACTIVE);
        assertEquals(List.of("fits"), ids(ddb.scan(r -> r.tableName("Violations").indexName("byXY")).items()));
        assertEquals(1L, describe("Violations", "byXY").itemCount());
        // A starting key with such a value still has a place in the index (an older Eddy's pages may end there): read on from it.
        assertTrue(List.of("fits").containsAll(ids(ddb.scan(r -> r.tableName("Violations").indexName("byXY")
                .exclusiveStartKey(Map.of("id", s("empty"), "x", s(""), "y", s("1")))).items())));
        // Given a value an index key can have, an item joins the index.
        ddb.updateItem(r -> r.tableName("Violations").key(Map.of("id", s("empty"))).updateExpression("SET x = :x")
                .expressionAttributeValues(Map.of(":x", s("ok"))));
        awaitUntil("the repaired item indexed", () -> Set.copyOf(ids(ddb.scan(r -> r.tableName("Violations").indexName("byXY")).items()))
                .equals(Set.of("fits", "empty")));
    }

    /** Another type for an attribute the new index does not key on is ignored (dynoxide's changelog, verified against DynamoDB). */
    @Test
    void anAttributeTheNewIndexDoesNotKeyOnKeepsItsTypeWhateverTheRequestSays() {
        ddb.createTable(players("Retyped").attributeDefinitions(definition("id", ScalarAttributeType.S)).build());
        ddb.updateTable(r -> r.tableName("Retyped")
                .attributeDefinitions(definition("id", ScalarAttributeType.N), definition("level", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byLevel").keySchema(key("level", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        assertEquals(Map.of("id", ScalarAttributeType.S, "level", ScalarAttributeType.N),
                ddb.describeTable(r -> r.tableName("Retyped")).table().attributeDefinitions().stream()
                        .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeType)));
    }

    @Test
    void updateTableChecks() {
        ddb.createTable(players("Checked").attributeDefinitions(definition("id", ScalarAttributeType.S),
                definition("team", ScalarAttributeType.S)).globalSecondaryIndexes(gsi("byTeam", "team", null, p -> p.projectionType("ALL"))).build());
        Consumer<GlobalSecondaryIndexUpdate.Builder> createByScore = u -> u.create(c -> c.indexName("byScore")
                .keySchema(key("score", KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.ALL)));
        invalid("Attempting to create an index which already exists", () -> ddb.updateTable(r -> r.tableName("Checked")
                .attributeDefinitions(definition("team", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byTeam").keySchema(key("team", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))))));
        // An attribute keeps its type: DynamoDB's words (ScyllaDB's tests, run against it).
        invalid("One or more parameter values were invalid: Attributes cannot be redefined. Please check that your attribute has the "
                + "same type as previously defined. Existing schema: Schema:[SchemaElement: key{team:S:HASH}] New schema: "
                + "Schema:[SchemaElement: key{team:N:HASH}]", () -> ddb.updateTable(r -> r.tableName("Checked")
                .attributeDefinitions(definition("team", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byTeamNumber").keySchema(key("team", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))))));
        invalid("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
                        + "Keys: [score], AttributeDefinitions: [team]",
                () -> ddb.updateTable(r -> r.tableName("Checked").attributeDefinitions(definition("team", ScalarAttributeType.S))
                        .globalSecondaryIndexUpdates(createByScore)));
        rejected("ResourceNotFoundException", "Requested resource not found: Index ghost for table Checked",
                () -> ddb.updateTable(r -> r.tableName("Checked").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("ghost")))));
        rejected("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
                () -> ddb.updateTable(r -> r.tableName("Checked").attributeDefinitions(definition("score", ScalarAttributeType.N))
                        .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().applyMutation(createByScore).build(),
                                GlobalSecondaryIndexUpdate.builder().delete(d -> d.indexName("byTeam")).build())));
        invalid("One or more parameter values were invalid: Only one global secondary index action is allowed per "
                + "GlobalSecondaryIndexUpdate object", () -> ddb.updateTable(r -> r.tableName("Checked")
                .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byTeam")).update(up -> up.indexName("byTeam")))));
        invalid("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                + "GlobalSecondaryIndexUpdate.Delete must not be null", () -> ddb.updateTable(r -> r.tableName("Checked")
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().build())));
        invalid("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
                        + "index: byScore when BillingMode is PAY_PER_REQUEST",
                () -> ddb.updateTable(r -> r.tableName("Checked").attributeDefinitions(definition("score", ScalarAttributeType.N))
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byScore").keySchema(key("score", KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL))
                                .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))))));
        invalid("One or more parameter values were invalid: You cannot create or delete index while changing stream status",
                () -> ddb.updateTable(r -> r.tableName("Checked").streamSpecification(s -> s.streamEnabled(true).streamViewType("KEYS_ONLY"))
                        .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byTeam")))));
        invalid("One or more parameter values were invalid: The only Updates for index: byTeam when TableThroughputMode is "
                        + "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput",
                () -> ddb.updateTable(r -> r.tableName("Checked").globalSecondaryIndexUpdates(u -> u.update(up -> up.indexName("byTeam")
                        .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))))));
        invalid("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: byTeam",
                () -> ddb.updateTable(r -> r.tableName("Checked").billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))));
        var switched = ddb.updateTable(r -> r.tableName("Checked").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))
                .globalSecondaryIndexUpdates(u -> u.update(up -> up.indexName("byTeam")
                        .provisionedThroughput(t -> t.readCapacityUnits(3L).writeCapacityUnits(4L))))).tableDescription();
        assertEquals(3L, switched.globalSecondaryIndexes().get(0).provisionedThroughput().readCapacityUnits());
        assertEquals(4L, switched.globalSecondaryIndexes().get(0).provisionedThroughput().writeCapacityUnits());
        invalid("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: byScore",
                () -> ddb.updateTable(r -> r.tableName("Checked").attributeDefinitions(definition("score", ScalarAttributeType.N))
                        .globalSecondaryIndexUpdates(createByScore)));
        assertEquals(1, ddb.describeTable(r -> r.tableName("Checked")).table().globalSecondaryIndexes().size(), "nothing changed");
    }

    @Test
    void createTableChecks() {
        // A projected attribute's name is 255 characters at most (ScyllaDB's tests, run against DynamoDB).
        String longName = "n".repeat(256);
        invalid("1 validation error detected: Value '" + longName + "' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes."
                        + "1.member' failed to satisfy constraint: Member must have length less than or equal to 255",
                () -> ddb.createTable(players("Bad").globalSecondaryIndexes(gsi("gix", "team", null,
                        p -> p.projectionType("INCLUDE").nonKeyAttributes(longName))).build()));
        invalid("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: gix "
                        + "when BillingMode is PAY_PER_REQUEST",
                () -> ddb.createTable(players("Bad").globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("gix")
                        .keySchema(key("team", KeyType.HASH)).projection(p -> p.projectionType("ALL"))
                        .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L)).build(),
                        gsi("gix2", "score", null, p -> p.projectionType("ALL"))).build()));
        invalid("One or more parameter values were invalid: ProvisionedThroughput is not specified for index: gix",
                () -> ddb.createTable(players("Bad").billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))
                        .globalSecondaryIndexes(gsi("gix", "team", "score", p -> p.projectionType("ALL"))).build()));
        invalid("One or more parameter values were invalid: Duplicate index name: gix",
                () -> ddb.createTable(players("Bad").globalSecondaryIndexes(gsi("gix", "team", null, p -> p.projectionType("ALL")),
                        gsi("gix", "score", null, p -> p.projectionType("ALL"))).build()));
        invalid("2 validation errors detected: Value 'g1' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy "
                        + "constraint: Member must have length greater than or equal to 3; Value 'l1' at "
                        + "'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater "
                        + "than or equal to 3",
                () -> ddb.createTable(players("Bad").keySchema(key("id", KeyType.HASH), key("score", KeyType.RANGE))
                        .localSecondaryIndexes(l -> l.indexName("l1").keySchema(key("id", KeyType.HASH), key("team", KeyType.RANGE))
                                .projection(p -> p.projectionType("ALL")))
                        .globalSecondaryIndexes(gsi("g1", "team", null, p -> p.projectionType("ALL"))).build()));
        var provisioned = ddb.createTable(players("Provisioned").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("gix").keySchema(key("team", KeyType.HASH),
                        key("score", KeyType.RANGE)).projection(p -> p.projectionType("ALL"))
                        .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(6L)).build()).build()).tableDescription();
        assertEquals(5L, provisioned.globalSecondaryIndexes().get(0).provisionedThroughput().readCapacityUnits());
        assertEquals(IndexStatus.ACTIVE, provisioned.globalSecondaryIndexes().get(0).indexStatus());
    }

    /**
     * A new table's index is kept from its first writes without waiting for the comparison of the
     * catalog with the feeds (here once an hour): its feeds start when the catalog publishes the table.
     */
    @Test
    void aNewTablesIndexFollowsItsFirstWritesWithoutWaitingForThePoll(@TempDir Path dir) throws Exception {
        try (TestNode held = startWithIndexesHeld(dir)) {
            DynamoDbClient client = held.client;
            client.createTable(players("Fresh").globalSecondaryIndexes(gsi("byTeam", "team", "score", p -> p.projectionType("ALL"))).build());
            client.putItem(r -> r.tableName("Fresh").item(Map.of("id", s("p1"), "team", s("a"), "score", n("7"))));
            awaitUntil("the first write indexed", () -> client.query(r -> r.tableName("Fresh").indexName("byTeam")
                    .keyConditionExpression("team = :t").expressionAttributeValues(Map.of(":t", s("a")))).count() == 1);
            client.deleteItem(r -> r.tableName("Fresh").key(Map.of("id", s("p1"))));
            awaitUntil("the deletion indexed", () -> client.query(r -> r.tableName("Fresh").indexName("byTeam")
                    .keyConditionExpression("team = :t").expressionAttributeValues(Map.of(":t", s("a")))).count() == 0);
        }
    }

    @Test
    void indexesFollowChangesAcrossARestart(@TempDir Path restartDir) throws Exception {
        try (TestNode first = TestNode.start(restartDir)) {
            first.client.createTable(players("Kept").globalSecondaryIndexes(gsi("byTeam", "team", "score", p -> p.projectionType("ALL"))).build());
            for (int i = 0; i < 100; i++) {
                int k = i;
                first.client.putItem(r -> r.tableName("Kept").item(Map.of("id", s("p" + k), "team", s("a"), "score", n(Integer.toString(k)))));
            }
        }
        try (TestNode second = TestNode.start(restartDir)) {
            DynamoDbClient client = second.client;
            for (int i = 100; i < 150; i++) {
                int k = i;
                client.putItem(r -> r.tableName("Kept").item(Map.of("id", s("p" + k), "team", s("a"), "score", n(Integer.toString(k)))));
            }
            client.deleteItem(r -> r.tableName("Kept").key(Map.of("id", s("p0"))));
            awaitUntil("all writes, before and after the restart, indexed", () -> {
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                client.queryPaginator(r -> r.tableName("Kept").indexName("byTeam").keyConditionExpression("team = :t")
                        .expressionAttributeValues(Map.of(":t", s("a")))).items().forEach(items::add);
                return items.size() == 149 && items.get(0).get("id").s().equals("p1");
            });
            var kept = client.describeTable(r -> r.tableName("Kept")).table();
            assertEquals(149L, kept.globalSecondaryIndexes().get(0).itemCount());
            assertEquals(Set.of("id", "team", "score"), kept.attributeDefinitions().stream().map(AttributeDefinition::attributeName)
                    .collect(java.util.stream.Collectors.toSet()), "the index's key definitions are kept across the restart");
        }
    }
}
