package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.SearchResultItem;
import software.amazon.awssdk.services.dynamodb.model.SearchSchemaElementType;
import software.amazon.awssdk.services.dynamodb.model.VectorCapacity;
import software.amazon.awssdk.services.dynamodb.model.VectorIndex;
import software.amazon.awssdk.services.dynamodb.model.VectorIndexDescription;

/**
 * Vector indexes and SearchVectors through the AWS SDK: indexes defined at CreateTable and
 * described, vectors checked on write, the TopK nearest items under each distance function (scores
 * checked against their formulas), the HASH attribute and inline filters, projections, DynamoDB's
 * refusals, indexes added and deleted by UpdateTable (built from the table's items, then dropped),
 * and the indexes kept across a restart. Searches are eventually consistent, as in DynamoDB: the
 * tests wait until each index's ItemCount shows their writes.
 */
class VectorSearchTest {

    @TempDir
    Path dir;

    private static final float[][] VECTORS = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {0, 0, 1}, {-1, 0, 0}, {0.5f, 0.5f, 0.5f}};

    private static AttributeValue vector(float... values) {
        List<AttributeValue> list = new ArrayList<>();
        for (float v : values) list.add(n(Float.toString(v)));
        return AttributeValue.fromL(list);
    }

    private static VectorIndex index(String name, String distance, ProjectionType projection, boolean schema) {
        return VectorIndex.builder().indexName(name).vectorAttribute(v -> v.attributeName("embedding")).dimensions(3L)
                .distanceFunction(distance)
                .projection(p -> {
                    p.projectionType(projection);
                    if (projection == ProjectionType.INCLUDE) p.nonKeyAttributes("name");
                })
                .searchSchema(schema ? List.of(
                        software.amazon.awssdk.services.dynamodb.model.SearchSchemaElement.builder().attributeName("category")
                                .searchSchemaElementType(SearchSchemaElementType.HASH).build(),
                        software.amazon.awssdk.services.dynamodb.model.SearchSchemaElement.builder().attributeName("brand")
                                .searchSchemaElementType(SearchSchemaElementType.INLINE_FILTER).build()) : null)
                .build();
    }

    private static void createProducts(DynamoDbClient ddb) {
        ddb.createTable(b -> b.tableName("Products").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("category").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("brand").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .vectorIndexes(index("by-cosine", "COSINE", ProjectionType.ALL, true),
                        index("by-distance", "EUCLIDEAN", ProjectionType.KEYS_ONLY, false),
                        index("by-dot", "DOT_PRODUCT", ProjectionType.INCLUDE, false)));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return 1 - dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    private static List<String> ids(List<SearchResultItem> results) {
        return results.stream().map(r -> r.item().get("id").s()).toList();
    }

    /** Waits until the table's vector indexes are ACTIVE and hold the given numbers of items. */
    private static void awaitIndexed(DynamoDbClient ddb, String table, Map<String, Long> itemCounts) throws InterruptedException {
        GlobalSecondaryIndexTest.awaitUntil(table + "'s vector indexes hold " + itemCounts, () -> {
            Map<String, Long> counts = new HashMap<>();
            for (VectorIndexDescription index : ddb.describeTable(b -> b.tableName(table)).table().vectorIndexes()) {
                if (index.indexStatusAsString().equals("ACTIVE")) counts.put(index.indexName(), index.itemCount());
            }
            return counts.equals(itemCounts);
        });
    }

    @Test
    void aSearchThatRunsPastItsTimeoutStopsWithAnInternalError(@TempDir Path other) throws Exception {
        try (TestNode node = TestNode.start(other, Map.of("eddy.vector-search-timeout", "0s"))) {
            DynamoDbClient ddb = node.client;
            createProducts(ddb);
            ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("p0"), "embedding", vector(VECTORS[0]), "category", s("tools"))));
            awaitIndexed(ddb, "Products", Map.of("by-cosine", 1L, "by-distance", 1L, "by-dot", 1L));
            TestTables.rejected("InternalServerError", "Internal server error", () -> ddb.searchVectors(b -> b.tableName("Products")
                    .indexName("by-distance").topK(1).searchVector(vector(VECTORS[0]).l())));
            // A search that reads nothing (two values for one attribute) is not stopped.
            assertEquals(List.of(), ddb.searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(1)
                    .searchVector(vector(VECTORS[0]).l()).searchConditionExpression("category = :a AND category = :b")
                    .expressionAttributeValues(Map.of(":a", s("tools"), ":b", s("other")))).searchResults());
        }
    }

    @Test
    void searchesFindTheNearestItemsUnderEachDistanceFunction() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            DynamoDbClient ddb = node.client;
            createProducts(ddb);
            List<VectorIndexDescription> described = ddb.describeTable(b -> b.tableName("Products")).table().vectorIndexes();
            assertEquals(List.of("by-cosine", "by-distance", "by-dot"), described.stream().map(VectorIndexDescription::indexName).toList());
            assertEquals("ACTIVE", described.get(0).indexStatusAsString());
            assertEquals(3L, described.get(0).dimensions());
            assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/Products/index/by-cosine", described.get(0).indexArn());
            assertEquals(SearchSchemaElementType.HASH, described.get(0).searchSchema().get(0).searchSchemaElementType());

            for (int i = 0; i < VECTORS.length; i++) {
                Map<String, AttributeValue> item = new HashMap<>(Map.of("id", s("p" + i), "embedding", vector(VECTORS[i]),
                        "name", s("product " + i), "price", n(Integer.toString(10 * i)), "brand", s(i % 2 == 0 ? "acme" : "other")));
                if (i != 5) item.put("category", s("tools"));
                ddb.putItem(b -> b.tableName("Products").item(item));
            }
            ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("no-vector"), "category", s("tools"))));
            // p5 has no category, so by-cosine (whose HASH it is) does not hold it.
            awaitIndexed(ddb, "Products", Map.of("by-cosine", 5L, "by-distance", 6L, "by-dot", 6L));
            assertTrue(ddb.describeTable(b -> b.tableName("Products")).table().vectorIndexes().get(1).indexSizeBytes() > 0);

            // COSINE, scoped by the HASH attribute: p5 has no category, so that index does not hold it.
            float[] query = {1, 0.05f, 0};
            var found = ddb.searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(3)
                    .searchVector(vector(query).l()).searchConditionExpression("category = :c")
                    .expressionAttributeValues(Map.of(":c", s("tools"))));
            assertEquals(List.of("p0", "p1", "p2"), ids(found.searchResults()));
            assertEquals(cosine(query, VECTORS[0]), found.searchResults().get(0).score(), 1e-6);
            assertEquals(cosine(query, VECTORS[2]), found.searchResults().get(2).score(), 1e-6);
            // ALL projects everything but the embedding, which a ProjectionExpression may ask for.
            Map<String, AttributeValue> first = found.searchResults().get(0).item();
            assertEquals(Map.of("id", s("p0"), "name", s("product 0"), "price", n("0"), "brand", s("acme"), "category", s("tools")), first);
            var withVector = ddb.searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(1)
                    .searchVector(vector(query).l()).searchConditionExpression("category = :c")
                    .expressionAttributeValues(Map.of(":c", s("tools"))).projectionExpression("id, embedding"));
            // As the index keeps it: 32-bit floats, shown as numbers in DynamoDB's canonical form.
            assertEquals(Map.of("id", s("p0"), "embedding", AttributeValue.fromL(List.of(n("1"), n("0"), n("0")))),
                    withVector.searchResults().get(0).item());
            // An inline filter narrows the search.
            var acme = ddb.searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(10)
                    .searchVector(vector(query).l()).searchConditionExpression("category = :c AND #b = :b")
                    .expressionAttributeNames(Map.of("#b", "brand")).expressionAttributeValues(Map.of(":c", s("tools"), ":b", s("acme")))
                    .returnConsumedCapacity("TOTAL"));
            assertEquals(List.of("p0", "p2", "p4"), ids(acme.searchResults()));
            assertTrue(acme.consumedCapacity().vectorSearchRequestBytes() >= 1024);

            // EUCLIDEAN, no search schema: every item with a vector, nearest first; KEYS_ONLY shows the key.
            var nearest = ddb.searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(2).searchVector(vector(0, 0, 0.9f).l()));
            assertEquals(List.of("p3", "p5"), ids(nearest.searchResults()));
            assertEquals(0.1, nearest.searchResults().get(0).score(), 1e-6);
            assertEquals(Map.of("id", s("p3")), nearest.searchResults().get(0).item());
            // DOT_PRODUCT: highest first, negative scores included; INCLUDE projects its attributes.
            var dot = ddb.searchVectors(b -> b.tableName("Products").indexName("by-dot").topK(6).searchVector(vector(2, 0.1f, 0).l()));
            assertEquals(List.of("p0", "p1", "p5", "p2", "p3", "p4"), ids(dot.searchResults()));
            assertEquals(-2.0, dot.searchResults().get(5).score(), 1e-6);
            assertEquals(Map.of("id", s("p0"), "name", s("product 0")), dot.searchResults().get(0).item());

            // Writes: the vector must be a list of the index's dimensions of 32-bit numbers; the schema's attributes typed.
            // DynamoDB's words, captured from the service (2026).
            TestTables.invalid("One or more parameter values were invalid. Invalid size for parameter embedding, Expected: 3, Actual: 2 "
                    + "IndexName: by-cosine", () -> ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("bad"), "embedding", vector(1, 2)))));
            TestTables.invalid("One or more parameter values were invalid. Invalid type for parameter embedding, Expected: 32-bit floating "
                    + "point number list IndexName: by-cosine", () -> ddb.putItem(b -> b.tableName("Products")
                    .item(Map.of("id", s("bad"), "embedding", s("1,2,3")))));
            TestTables.invalid("One or more parameter values were invalid. Invalid type for parameter embedding[1], Expected: 32-bit "
                    + "floating point number, Actual: S. IndexName: by-cosine", () -> ddb.updateItem(b -> b.tableName("Products").key(Map.of("id", s("p0")))
                    .updateExpression("SET embedding = :v").expressionAttributeValues(Map.of(":v",
                            AttributeValue.fromL(List.of(n("1"), s("2"), n("3")))))));
            TestTables.invalid("One or more parameter values were invalid: Type mismatch for Index Key category Expected: S Actual: N "
                    + "IndexName: by-cosine", () -> ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("bad"), "category", n("7")))));
            TestTables.invalid("One or more parameter values are not valid. A value specified for a secondary index key is not "
                    + "supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by-cosine, "
                    + "IndexKey: category", () -> ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("bad"), "category", s("")))));
            TestTables.invalid("One or more parameter values are not valid. A value specified for a secondary index key is not "
                    + "supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by-cosine, "
                    + "IndexKey: category", () -> ddb.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("Products")
                    .item(Map.of("id", s("bad"), "category", s("")))))));
            // The HASH value is a partition key of the index, as long as a global index's may be.
            TestTables.invalid("One or more parameter values were invalid: Size limit exceeded for Index Key category Actual Size: 2049 "
                    + "bytes Max Size: 2048 bytes IndexName: by-cosine", () -> ddb.putItem(b -> b.tableName("Products")
                    .item(Map.of("id", s("bad"), "category", s("c".repeat(2049))))));
            TestTables.invalid("One or more parameter values were invalid: Size limit exceeded for Index Key category Actual Size: 2049 "
                    + "bytes Max Size: 2048 bytes IndexName: by-cosine", () -> ddb.updateItem(b -> b.tableName("Products")
                    .key(Map.of("id", s("bad"))).updateExpression("SET category = :c")
                    .expressionAttributeValues(Map.of(":c", s("c".repeat(2049))))));
            assertTrue(ddb.getItem(b -> b.tableName("Products").key(Map.of("id", s("bad"))).consistentRead(true)).item().isEmpty(),
                    "nothing refused was written");
            ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("long"), "category", s("c".repeat(2048)))));
            ddb.deleteItem(b -> b.tableName("Products").key(Map.of("id", s("long"))));

            // A HASH value of another type than its definition's matches no item (B "tools" is not S "tools").
            for (AttributeValue other : List.of(n("7"), AttributeValue.fromBool(true), AttributeValue.fromB(SdkBytes.fromUtf8String("tools")))) {
                assertEquals(List.of(), ddb.searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(3)
                        .searchVector(vector(query).l()).searchConditionExpression("category = :c")
                        .expressionAttributeValues(Map.of(":c", other))).searchResults(), other.toString());
            }

            // DynamoDB's refusals of a search.
            TestTables.invalid("SearchConditionExpression must be provided when SearchSchema has a HASH key", () -> ddb.searchVectors(b -> b
                    .tableName("Products").indexName("by-cosine").topK(3).searchVector(vector(query).l())));
            TestTables.invalid("Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression", () -> ddb
                    .searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(3).searchVector(vector(query).l())
                            .searchConditionExpression("category <> :c").expressionAttributeValues(Map.of(":c", s("tools")))));
            TestTables.invalid("Invalid SearchConditionExpression: Invalid operator used in SearchConditionExpression", () -> ddb
                    .searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(3).searchVector(vector(query).l())
                            .searchConditionExpression("category IN (:c)").expressionAttributeValues(Map.of(":c", s("tools")))));
            TestTables.invalid("Provided TopK value '101' is out of valid range. The value must be between 1 and 100 inclusive", () -> ddb
                    .searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(101).searchVector(vector(query).l())));
            TestTables.invalid("Input search vector dimension 2 does not match vector index dimension 3", () -> ddb
                    .searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(1).searchVector(vector(1, 2).l())));
            // Values are checked before their count.
            TestTables.invalid("Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point "
                    + "number attribute", () -> ddb.searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(1)
                    .searchVector(List.of(vector(1, 2, 3)))));
            TestTables.invalid("SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid "
                    + "attribute: name", () -> ddb.searchVectors(b -> b.tableName("Products").indexName("by-cosine").topK(3)
                    .searchVector(vector(query).l()).searchConditionExpression("category = :c AND #n = :n")
                    .expressionAttributeNames(Map.of("#n", "name")).expressionAttributeValues(Map.of(":c", s("tools"), ":n", s("x")))));
            TestTables.invalid("The table does not have the specified index: nope", () -> ddb
                    .searchVectors(b -> b.tableName("Products").indexName("nope").topK(1).searchVector(vector(query).l())));
            TestTables.invalid("Scan operation not supported on this index type", () -> ddb.scan(b -> b.tableName("Products")
                    .indexName("by-cosine")));
            TestTables.invalid("Query operation not supported on this index type.", () -> ddb.query(b -> b.tableName("Products")
                    .indexName("by-cosine").keyConditionExpression("category = :c").expressionAttributeValues(Map.of(":c", s("tools")))));
            // A consistent Query is refused as of any global index, a Scan as of a vector one (a 2026 test suite run against DynamoDB).
            TestTables.invalid("Consistent reads are not supported on global secondary indexes", () -> ddb.query(b -> b.tableName("Products")
                    .indexName("by-cosine").consistentRead(true).keyConditionExpression("category = :c")
                    .expressionAttributeValues(Map.of(":c", s("tools")))));
            TestTables.invalid("Scan operation not supported on this index type", () -> ddb.scan(b -> b.tableName("Products")
                    .indexName("by-cosine").consistentRead(true)));
            TestTables.invalid("Scan operation not supported on this index type", () -> ddb.executeStatement(b -> b
                    .statement("SELECT * FROM Products.\"by-cosine\"")));
            TestTables.rejected("ResourceNotFoundException", "Requested resource not found", () -> ddb
                    .searchVectors(b -> b.tableName("Missing").indexName("by-distance").topK(1).searchVector(vector(query).l())));

            // Writes report the bytes they replicate to each vector index (ReturnConsumedCapacity INDEXES), at least 1 KB an
            // index (the conformance suite's capture, 2026-10).
            var put = ddb.putItem(b -> b.tableName("Products").returnConsumedCapacity("INDEXES").item(Map.of("id", s("w1"),
                    "embedding", vector(0, 1, 1), "category", s("tools"), "brand", s("acme"), "name", s("wrench"))));
            Map<String, VectorCapacity> written = put.consumedCapacity().vectorIndexes();
            assertEquals(Set.of("by-cosine", "by-distance", "by-dot"), written.keySet());
            written.values().forEach(bytes -> assertEquals(1024.0, bytes.vectorWriteRequestBytes(), 1e-9));
            // Only by-cosine (ALL) holds price: the others' entries do not change.
            var priced = ddb.updateItem(b -> b.tableName("Products").returnConsumedCapacity("INDEXES").key(Map.of("id", s("w1")))
                    .updateExpression("SET price = :p").expressionAttributeValues(Map.of(":p", n("3"))));
            assertEquals(Set.of("by-cosine"), priced.consumedCapacity().vectorIndexes().keySet());
            assertEquals(1024.0, priced.consumedCapacity().vectorIndexes().get("by-cosine").vectorWriteRequestBytes(), 1e-9);
            var deleted = ddb.deleteItem(b -> b.tableName("Products").returnConsumedCapacity("TOTAL").key(Map.of("id", s("w1"))));
            assertTrue(!deleted.consumedCapacity().hasVectorIndexes(), "only INDEXES breaks the capacity down");
            var big = ddb.putItem(b -> b.tableName("Products").returnConsumedCapacity("INDEXES").item(Map.of("id", s("w2"),
                    "embedding", vector(0, 1, 1), "name", s("x".repeat(2000)))));
            // by-cosine does not hold w2 (no category); by-dot's entry holds the name, by-distance's only the key and vector.
            Map<String, VectorCapacity> bigWrite = big.consumedCapacity().vectorIndexes();
            assertEquals(Set.of("by-distance", "by-dot"), bigWrite.keySet());
            assertTrue(bigWrite.get("by-dot").vectorWriteRequestBytes() > 2000, bigWrite.toString());
            assertEquals(1024.0, bigWrite.get("by-distance").vectorWriteRequestBytes(), 1e-9, bigWrite.toString()); // made up to the floor
            ddb.deleteItem(b -> b.tableName("Products").key(Map.of("id", s("w2"))));
            // A write's units size the vector at four bytes a dimension, whatever numbers it holds (the conformance suite's
            // capture, 2026-10): 4 + 9 + 12 + 3 + 996 bytes are one unit, though its three 38-digit numbers take 66 bytes.
            AttributeValue wide = AttributeValue.fromL(List.of(n("1".repeat(38)), n("2".repeat(38)), n("3".repeat(38))));
            for (int pad : new int[] {996, 997}) {
                var billed = ddb.putItem(b -> b.tableName("Products").returnConsumedCapacity("TOTAL").item(Map.of("id", s("w3"),
                        "embedding", wide, "pad", s("p".repeat(pad)))));
                assertEquals(pad == 996 ? 1.0 : 2.0, billed.consumedCapacity().capacityUnits(), 1e-9);
            }
            // A transaction's ConditionCheck of the item sizes it the same way: one unit at 996 (doubled, as transactions
            // charge), where its numbers as written would make two.
            ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("w3"), "embedding", wide, "pad", s("p".repeat(996)))));
            var checked = ddb.transactWriteItems(b -> b.returnConsumedCapacity("TOTAL").transactItems(
                    t -> t.conditionCheck(c -> c.tableName("Products").key(Map.of("id", s("w3"))).conditionExpression("attribute_exists(id)")),
                    t -> t.put(p -> p.tableName("Products").item(Map.of("id", s("w4"), "name", s("n"))))));
            assertEquals(2.0 + 2.0, checked.consumedCapacity().get(0).capacityUnits(), 1e-9, "the check's unit and the put's, doubled");
            ddb.deleteItem(b -> b.tableName("Products").key(Map.of("id", s("w3"))));
            ddb.deleteItem(b -> b.tableName("Products").key(Map.of("id", s("w4"))));

            // Definitions DynamoDB refuses.
            TestTables.invalid("One or more parameter values were invalid: Vector indexes are only supported for PAY_PER_REQUEST tables",
                    () -> ddb.createTable(b -> b.tableName("Provisioned").provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                            .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .vectorIndexes(index("vec", "COSINE", ProjectionType.ALL, false))));
            TestTables.invalid("One or more parameter values were invalid: One element in SearchSchema is not defined in attribute definitions",
                    () -> ddb.createTable(b -> b.tableName("Undefined").billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .vectorIndexes(index("vec1", "COSINE", ProjectionType.ALL, true))));
            TestTables.invalid("One or more parameter values were invalid: The VectorAttribute of vector index vec, category, is a key or "
                    + "search schema attribute: it must hold the vector only", () -> ddb.createTable(b -> b.tableName("KeyVector")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("category").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("brand").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .vectorIndexes(index("vec", "COSINE", ProjectionType.ALL, true).toBuilder()
                            .vectorAttribute(v -> v.attributeName("category")).build())));
            List<VectorIndex> six = new ArrayList<>();
            for (int i = 0; i < 6; i++) six.add(index("vec" + i, "COSINE", ProjectionType.ALL, false));
            TestTables.invalid("One or more parameter values were invalid: VectorIndex count exceeds the per-table limit of 5",
                    () -> ddb.createTable(b -> b.tableName("TooMany").billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)).vectorIndexes(six)));

            // ScyllaDB's tests, run against DynamoDB's vector search.
            List<String> twenty = new ArrayList<>();
            for (int i = 0; i < 20; i++) twenty.add("a" + i);
            TestTables.invalid("One or more parameter values were invalid: Number of projected attributes in vector index vec exceeds "
                    + "limit of 20, its vector attribute included", () -> ddb.createTable(b -> b.tableName("Wide")
                    .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)).vectorIndexes(index("vec", "COSINE", ProjectionType.INCLUDE, false)
                            .toBuilder().projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes(twenty)).build())));
            TestTables.invalid("1 validation error detected: Value '' at 'vectorIndexes.1.member.projection.nonKeyAttributes.1.member' "
                    + "failed to satisfy constraint: Member must have length greater than or equal to 1", () -> ddb.createTable(b -> b
                    .tableName("EmptyName").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)).vectorIndexes(index("vec", "COSINE", ProjectionType.INCLUDE, false)
                            .toBuilder().projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("")).build())));
            TestTables.Raw fractional = TestTables.raw(node, "CreateTable", "{'TableName':'Fraction','BillingMode':'PAY_PER_REQUEST',"
                    + "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
                    + "'VectorIndexes':[{'IndexName':'vec','VectorAttribute':{'AttributeName':'v'},'Dimensions':6.7,"
                    + "'DistanceFunction':'COSINE','Projection':{'ProjectionType':'KEYS_ONLY'}}]}");
            assertEquals(200, fractional.status(), fractional.body().toString());
            assertEquals(6L, ddb.describeTable(b -> b.tableName("Fraction")).table().vectorIndexes().get(0).dimensions());
            TestTables.invalid("1 validation error detected: Value null at 'IndexName' failed to satisfy constraint: Member must not be null",
                    () -> ddb.searchVectors(b -> b.tableName("Products").topK(1).searchVector(vector(query).l())));
            TestTables.invalid("1 validation error detected: Value '0' at 'TopK' failed to satisfy constraint: Member must have value "
                    + "greater than or equal to 1", () -> ddb
                    .searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(0).searchVector(vector(query).l())));
            TestTables.invalid("Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point "
                    + "number attribute", () -> ddb.searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(1)
                    .searchVector(n("1"), n("dog"), n("2"))));
            assertTrue(assertThrows(DynamoDbException.class, () -> ddb.updateTable(b -> b.tableName("Products").vectorIndexUpdates(List.of())))
                    .awsErrorDetails().errorMessage().startsWith("At least one of "));
            TestTables.rejected("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                    + "simultaneously per table", () -> ddb.updateTable(b -> b.tableName("Products")
                    .vectorIndexUpdates(u -> u.delete(d -> d.indexName("by-dot")))
                    .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("nope")))));
            TestTables.invalid("One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty",
                    () -> ddb.updateTable(b -> b.tableName("Products").vectorIndexUpdates(u -> u.delete(d -> d.indexName("by-dot")))
                            .globalSecondaryIndexUpdates(List.of())));
            assertTrue(ddb.describeTable(b -> b.tableName("Products")).table().vectorIndexes().stream()
                    .allMatch(index -> index.indexStatusAsString().equals("ACTIVE")), "nothing was deleted");
        }
        // A restore from a backup has the same indexes, and its items are searched.
        try (TestNode node = TestNode.start(dir)) {
            String backup = node.client.createBackup(b -> b.tableName("Products").backupName("products")).backupDetails().backupArn();
            BackupsTest.awaitAvailable(node.client, backup);
            assertEquals(3, node.client.describeBackup(b -> b.backupArn(backup)).backupDescription().sourceTableFeatureDetails()
                    .vectorIndexes().size());
            node.client.restoreTableFromBackup(b -> b.targetTableName("Restored").backupArn(backup));
            TestTables.awaitActive(node.client, "Restored");
            assertEquals(3, node.client.describeTable(b -> b.tableName("Restored")).table().vectorIndexes().size());
            var nearest = node.client.searchVectors(b -> b.tableName("Restored").indexName("by-distance").topK(1)
                    .searchVector(vector(0, 0, 0.9f).l()));
            assertEquals(List.of("p3"), ids(nearest.searchResults()));
        }
        // UpdateTable adds one (CREATING while it is built from the table's items) or deletes one, one at a time.
        try (TestNode node = TestNode.start(dir)) {
            DynamoDbClient ddb = node.client;
            var added = ddb.updateTable(b -> b.tableName("Products")
                    .attributeDefinitions(a -> a.attributeName("brand").attributeType(ScalarAttributeType.S))
                    .vectorIndexUpdates(u -> u.create(c -> c.indexName("by-brand").vectorAttribute(v -> v.attributeName("embedding"))
                            .dimensions(3L).distanceFunction("EUCLIDEAN").projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                            .searchSchema(e -> e.attributeName("brand").searchSchemaElementType(SearchSchemaElementType.HASH)))))
                    .tableDescription();
            assertEquals(4, added.vectorIndexes().size());
            assertEquals("CREATING", added.vectorIndexes().get(3).indexStatusAsString());
            assertEquals(true, added.vectorIndexes().get(3).backfilling());
            assertEquals(null, added.vectorIndexes().get(0).backfilling(), "only an index being built reports Backfilling");
            awaitIndexed(ddb, "Products", Map.of("by-cosine", 5L, "by-distance", 6L, "by-dot", 6L, "by-brand", 6L));
            var other = ddb.searchVectors(b -> b.tableName("Products").indexName("by-brand").topK(5).searchVector(vector(1, 0, 0).l())
                    .searchConditionExpression("brand = :b").expressionAttributeValues(Map.of(":b", s("other"))));
            assertEquals(List.of("p1", "p5", "p3"), ids(other.searchResults()));
            TestTables.rejected("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                    + "simultaneously per table", () -> ddb.updateTable(b -> b.tableName("Products").vectorIndexUpdates(
                    u -> u.delete(d -> d.indexName("by-brand")), u -> u.delete(d -> d.indexName("by-dot")))));
            TestTables.invalid("Attempting to create an index which already exists", () -> ddb.updateTable(b -> b.tableName("Products")
                    .vectorIndexUpdates(u -> u.create(c -> c.indexName("by-dot").vectorAttribute(v -> v.attributeName("embedding"))
                            .dimensions(3L).distanceFunction("COSINE").projection(p -> p.projectionType(ProjectionType.ALL))))));
            TestTables.invalid("One or more parameter values were invalid: Conflicting attribute definition for 'embedding'. "
                    + "All VectorIndexes on the same VectorAttribute must use the same Dimensions.", () -> ddb.updateTable(b -> b.tableName("Products")
                    .vectorIndexUpdates(u -> u.create(c -> c.indexName("by-four").vectorAttribute(v -> v.attributeName("embedding"))
                            .dimensions(4L).distanceFunction("COSINE").projection(p -> p.projectionType(ProjectionType.ALL))))));
            TestTables.invalid("One or more parameter values were invalid: Vector indexes are only supported for PAY_PER_REQUEST "
                    + "tables", () -> ddb.updateTable(b -> b.tableName("Products").billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))));
            TestTables.invalid("One or more parameter values were invalid: The VectorAttribute of vector index by-cosine, embedding, is a "
                    + "key or search schema attribute: it must hold the vector only", () -> ddb.updateTable(b -> b.tableName("Products")
                    .attributeDefinitions(a -> a.attributeName("embedding").attributeType(ScalarAttributeType.S))
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byEmbedding")
                            .keySchema(k -> k.attributeName("embedding").keyType(KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.ALL))))));
            var deleted = ddb.updateTable(b -> b.tableName("Products").vectorIndexUpdates(u -> u.delete(d -> d.indexName("by-brand"))))
                    .tableDescription();
            assertEquals("DELETING", deleted.vectorIndexes().get(3).indexStatusAsString());
            // The table is UPDATING until the index is gone (ScyllaDB's tests, run against DynamoDB, wait for ACTIVE).
            assertEquals(software.amazon.awssdk.services.dynamodb.model.TableStatus.UPDATING, deleted.tableStatus());
            TestTables.invalid("The table does not have the specified index: by-brand", () -> ddb.searchVectors(b -> b.tableName("Products")
                    .indexName("by-brand").topK(1).searchVector(vector(1, 0, 0).l()).searchConditionExpression("brand = :b")
                    .expressionAttributeValues(Map.of(":b", s("other")))));
            // Once its entries are dropped, the catalog forgets it.
            GlobalSecondaryIndexTest.awaitUntil("by-brand dropped", () -> ddb.describeTable(b -> b.tableName("Products")).table()
                    .vectorIndexes().stream().map(VectorIndexDescription::indexName).toList().equals(List.of("by-cosine", "by-distance", "by-dot")));
            assertEquals(software.amazon.awssdk.services.dynamodb.model.TableStatus.ACTIVE,
                    ddb.describeTable(b -> b.tableName("Products")).table().tableStatus());
            TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Index by-brand for table Products",
                    () -> ddb.updateTable(b -> b.tableName("Products").vectorIndexUpdates(u -> u.delete(d -> d.indexName("by-brand")))));
            TestTables.invalid("The table does not have the specified index: by-brand", () -> ddb.searchVectors(b -> b.tableName("Products")
                    .indexName("by-brand").topK(1).searchVector(vector(1, 0, 0).l())));
        }
        // The indexes are the table's: kept across a restart.
        try (TestNode node = TestNode.start(dir)) {
            DynamoDbClient ddb = node.client;
            var nearest = ddb.searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(1)
                    .searchVector(vector(0, 0, 0.9f).l()));
            assertEquals(List.of("p3"), ids(nearest.searchResults()));
            // Changes reach the indexes: an item deleted leaves them, a vector changed is searched as it is now.
            ddb.deleteItem(b -> b.tableName("Products").key(Map.of("id", s("p3"))));
            ddb.updateItem(b -> b.tableName("Products").key(Map.of("id", s("p2"))).updateExpression("SET embedding = :v")
                    .expressionAttributeValues(Map.of(":v", vector(0, 0.1f, 1))));
            GlobalSecondaryIndexTest.awaitUntil("p2's new vector searched", () -> ids(ddb.searchVectors(b -> b.tableName("Products")
                    .indexName("by-distance").topK(2).searchVector(vector(0, 0, 0.9f).l())).searchResults()).equals(List.of("p2", "p5")));
            awaitIndexed(ddb, "Products", Map.of("by-cosine", 4L, "by-distance", 5L, "by-dot", 5L));

            // The index keeps vectors at 32-bit precision, as DynamoDB does: a result shows the f32 value; the table keeps what was sent.
            AttributeValue precise = AttributeValue.fromL(List.of(n("0.123456789"), n("-0.000001"), n("5")));
            ddb.putItem(b -> b.tableName("Products").item(Map.of("id", s("precise"), "embedding", precise)));
            GlobalSecondaryIndexTest.awaitUntil("precise indexed", () -> ids(ddb.searchVectors(b -> b.tableName("Products")
                    .indexName("by-distance").topK(1).searchVector(vector(0.12f, 0, 5).l())).searchResults()).equals(List.of("precise")));
            var shown = ddb.searchVectors(b -> b.tableName("Products").indexName("by-distance").topK(1)
                    .searchVector(vector(0.12f, 0, 5).l()).projectionExpression("embedding[0], embedding[1], embedding[2]"));
            assertEquals(Map.of("embedding", AttributeValue.fromL(List.of(n("0.12345679"), n("-0.000001"), n("5")))),
                    shown.searchResults().get(0).item());
            assertEquals(precise, ddb.getItem(b -> b.tableName("Products").key(Map.of("id", s("precise")))).item().get("embedding"));
        }
    }
}
