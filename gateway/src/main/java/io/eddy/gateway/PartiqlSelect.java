package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CapacityUnits;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionEvaluator;
import io.eddy.model.expression.ConditionPaths;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.Operand;
import io.eddy.model.expression.Projection;
import io.eddy.model.partiql.SelectProjection;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import io.eddy.model.query.KeyCondition;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.QueryKeys;
import io.eddy.model.query.QuerySchema;
import io.eddy.persistence.ItemPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A PartiQL SELECT of ExecuteStatement: a GetItem when its WHERE pins the table's whole key; a
 * Query per partition when it pins the partition key of the table or index to one value or a few
 * ({@code IN}, or an OR of branches that each pin it), the partitions read one after another in
 * key order; a Scan otherwise. The whole WHERE filters what is read, so Limit and the 1 MB page
 * count the items read, as in Query and Scan. NextToken carries the partition and the last key
 * read, and is valid only for the same statement and parameters.
 */
final class PartiqlSelect {

    private final NodeContext node;

    PartiqlSelect(NodeContext node) {
        this.node = node;
    }

    /** Where a SELECT stopped: the index of the partition it was reading (0 for a scan) and the last key read there. */
    private record Position(int partition, Optional<Map<String, AttributeValue>> lastKey) {}

    /** One SELECT's read: what it reads, and how its pages are filtered and returned. */
    private record Reading(TableMetadata table, Optional<SecondaryIndex> index, QuerySchema schema, PageRequest page,
                           boolean forward, String requestHash) {}

    /** PartiQL's own words for an unknown index and a consistent read of a global one (captured from the service, 2026). */
    private static void checkIndex(TableMetadata table, String name, boolean consistent) {
        if (table.options().vectorIndex(name).isPresent()) return;
        SecondaryIndex index = table.options().index(name).filter(found -> found.status() != SecondaryIndex.Status.DELETING)
                .orElseThrow(() -> DynamoException.validation("The table does not have the specified index"));
        checkSingleAttributeKeys(index);
        if (consistent && !index.local()) {
            throw DynamoException.validation("Strongly consistent read is not supported on Global Secondary Indexes");
        }
    }

    /**
     * PartiQL does not read an index whose key parts have more than one attribute each; the
     * refusal comes before any other check of the statement against the table (captured 2026-10).
     */
    static void checkSingleAttributeKeys(SecondaryIndex index) {
        if (index.multiAttribute()) {
            throw DynamoException.validation(
                    "PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.");
        }
    }

    /**
     * A SELECT of an index reads what the index holds. Keyed on the index's partition key (an
     * equality or IN among the WHERE's top-level ANDs), its WHERE may not name attributes the
     * index does not project (either kind of index); unkeyed it is a scan of the index, where such
     * an attribute is simply absent. Its projection may not name attributes a global index lacks
     * (a local one fetches them). DynamoDB's words (captured, 2026): "Secondary index" for both
     * kinds in the first case, "Global secondary index" in the second.
     */
    private static void checkProjected(TableMetadata table, SecondaryIndex index, Statement.Select select) {
        IndexReads.checkProjected(table, index,
                select.where().filter(where -> keyed(where, index)).map(ConditionPaths::of).orElse(List.of()),
                select.projection().orElse(List.of()));
    }

    /**
     * What the WHERE keeps of a page. It sees what the index holds: a local index's items, fetched
     * from the table for what the SELECT returns, are filtered on the index's attributes only, so an
     * attribute the index does not project is absent, as DynamoDB filters the index entry (the
     * dynamodb-conformance suite: an unkeyed read filtering on it matches nothing).
     */
    private static List<Map<String, AttributeValue>> matching(TableMetadata table, Optional<SecondaryIndex> index, PageRequest page,
                                                              List<Map<String, AttributeValue>> items) {
        // A local index that does not project every attribute: what it holds, as its reads return by default.
        Optional<List<DocumentPath>> held = IndexReads.returnedPaths(table, index, null, Optional.empty());
        if (page.filter().isEmpty() || held.isEmpty()) return page.matching(items);
        return items.stream().filter(item -> ConditionEvaluator.evaluate(page.filter().get(), Projection.apply(item, held.get()))).toList();
    }

    /** Whether one of the WHERE's top-level ANDs pins a partition key attribute of the index (= or IN). */
    private static boolean keyed(Condition where, SecondaryIndex index) {
        if (where instanceof Condition.And and) return keyed(and.left(), index) || keyed(and.right(), index);
        Operand subject = where instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ
                ? (compare.left() instanceof Operand.Path ? compare.left() : compare.right())
                : where instanceof Condition.In in ? in.value() : null;
        return subject instanceof Operand.Path path && path.path().isTopLevel()
                && index.partitionKeys().stream().anyMatch(key -> key.name().equals(path.path().attribute()));
    }

    /**
     * @param requestHash the digest of the statement and its parameters that a NextToken must carry
     */
    CompletionStage<byte[]> execute(Statement.Select select, boolean consistent, Long limit, String nextToken,
                                    String requestHash, CapacityReport capacity) {
        TableMetadata table = node.tableForData(select.table());
        select.index().ifPresent(name -> checkIndex(table, name, consistent));
        Optional<SecondaryIndex> index = IndexReads.resolve(table, select.index().orElse(null), null, consistent,
                // A SELECT of a vector index without a WHERE gets Scan's words (the dynamodb-conformance suite); with one, Query's.
                select.where().isEmpty() ? IndexReads.SCAN_OF_VECTOR_INDEX : IndexReads.QUERY_OF_VECTOR_INDEX);
        index.ifPresent(i -> checkProjected(table, i, select));
        QuerySchema schema = index.map(i -> QuerySchema.of(i, table.keySchema())).orElseGet(() -> QuerySchema.of(table.keySchema()));
        Optional<Position> resumeAt = Optional.ofNullable(nextToken).map(token -> decodeToken(token, requestHash));
        Optional<List<List<KeyTerm>>> partitions = WhereKeys.partitionReads(select.where(), schema)
                .map(reads -> reads.stream().filter(terms -> partitionTypesMatch(terms, schema)).toList());
        OrderBy order = orderBy(select, schema, partitions);
        PageRequest page = new PageRequest(table.name(), select.where(),
                IndexReads.returnedPaths(table, index, null, select.projection()), false,
                limit == null ? Integer.MAX_VALUE : (int) Math.min(limit, Integer.MAX_VALUE), consistent, capacity,
                PageRequest.meter(node, table, index));
        page.checkKeyPaths(table, schema, true);
        Reading reading = new Reading(table, index, schema, page, order.sortForward(), requestHash);

        if (index.isEmpty() && resumeAt.isEmpty() && WhereKeys.namesItem(select.where(), table.keySchema())) {
            return getItem(table, select, page);
        }
        if (partitions.isEmpty()) {
            Optional<Map<String, AttributeValue>> startKey = resumeAt.flatMap(Position::lastKey);
            startKey.ifPresent(key -> StartKeys.checkIsKeyOf(key, schema, index.isPresent()));
            node.throughput().admit(table, ThroughputLimits.Use.READ, index);
            CompletionStage<ItemPage> read = node.shards().scan(table, index, 0, 1, startKey, page.limit());
            return IndexReads.read(node, table, index, null, page, read).thenApply(done -> accessed(table, index, done))
                    .thenApply(done -> renderItems(page, matching(table, index, page, done.items()),
                            page.lastEvaluatedKey(done.entries(), schema).map(key -> new Position(0, Optional.of(key))), requestHash, done.consumed()));
        }
        List<List<KeyTerm>> reads = new ArrayList<>(partitions.get());
        if (order.partitionsDescending()) Collections.reverse(reads);
        Position start = resumeAt.orElse(new Position(0, Optional.empty()));
        // The first partition's key condition is checked before the read is let in: a malformed one is a ValidationException.
        if (start.partition() < reads.size()) QueryKeys.resolve(reads.get(start.partition()), schema, start.lastKey());
        node.throughput().admit(table, ThroughputLimits.Use.READ, index);
        return readPartitions(reading, reads, start, new ArrayList<>(), ConsumedCapacity.ofTable(table.name(), 0), 0, 0);
    }

    /**
     * Reads the partitions one after another, from {@code at}, each as a Query, until the request's
     * Limit of items or 1 MB (all partitions' reads together) have been read; what the WHERE keeps is returned.
     */
    private CompletionStage<byte[]> readPartitions(Reading reading, List<List<KeyTerm>> partitions, Position at,
                                                   List<Map<String, AttributeValue>> matched, ConsumedCapacity consumed,
                                                   int itemsRead, long bytesRead) {
        PageRequest page = reading.page();
        if (at.partition() >= partitions.size()) {
            return CompletableFuture.completedFuture(renderItems(page, matched, Optional.empty(), reading.requestHash(), consumed));
        }
        Optional<Map<String, AttributeValue>> startKey = at.lastKey();
        KeyCondition keys = QueryKeys.resolve(partitions.get(at.partition()), reading.schema(), startKey);
        int budget = page.limit() - itemsRead;
        long byteBudget = ItemPage.MAX_BYTES - bytesRead;
        CompletionStage<ItemPage> read = node.shards().query(reading.table(), reading.index(), keys, reading.forward(), startKey, budget,
                byteBudget);
        return IndexReads.read(node, reading.table(), reading.index(), null, page, read).thenCompose(done -> {
            accessed(reading.table(), reading.index(), done);
            matched.addAll(matching(reading.table(), reading.index(), page, done.items()));
            ConsumedCapacity total = consumed.plus(done.consumed());
            int items = itemsRead + done.entries().items().size();
            long bytes = bytesRead + done.entries().bytes();
            Optional<Map<String, AttributeValue>> lastKey = page.lastEvaluatedKey(done.entries(), reading.schema(), budget, byteBudget);
            Optional<Position> next = lastKey.isPresent() ? Optional.of(new Position(at.partition(), lastKey))
                    : at.partition() + 1 < partitions.size() ? Optional.of(new Position(at.partition() + 1, Optional.empty()))
                    : Optional.empty();
            if (next.isEmpty() || lastKey.isPresent() || items >= page.limit() || bytes >= ItemPage.MAX_BYTES) {
                return CompletableFuture.completedFuture(renderItems(page, matched, next, reading.requestHash(), total));
            }
            return readPartitions(reading, partitions, next.get(), matched, total, items, bytes);
        });
    }

    /** Counts the entries a read went through for Contributor Insights (a local index's as the table's). */
    private IndexReads.PageRead accessed(TableMetadata table, Optional<SecondaryIndex> index, IndexReads.PageRead done) {
        node.contributors().accessedAll(table, index.filter(i -> !i.local()).orElse(null), done.entries().items());
        return done;
    }

    /** The one item the WHERE names, if it exists and the WHERE holds for it. */
    private CompletionStage<byte[]> getItem(TableMetadata table, Statement.Select select, PageRequest page) {
        Map<String, AttributeValue> key = WhereKeys.itemKey(select.where().get(), table.keySchema());
        if (!keyTypesMatch(key, table.keySchema())) {
            return CompletableFuture.completedFuture(renderItems(page, List.of(), Optional.empty(), "",
                    ConsumedCapacity.ofTable(table.name(), 0)));
        }
        Map<String, AttributeValue> validKey = ItemKeys.validateKey(key, table.keySchema());
        return node.readItem(table, validKey).thenApply(found -> {
            List<Map<String, AttributeValue>> items = found.filter(item -> ConditionEvaluator.evaluate(select.where().get(), item))
                    .map(List::of).orElse(List.of());
            return renderItems(page, items, Optional.empty(), "",
                    ConsumedCapacity.ofTable(table.name(), CapacityUnits.readItem(found, page.consistent())));
        });
    }

    /** A key value of another type than the schema's matches no item (a GetItem would refuse it). */
    private static boolean keyTypesMatch(Map<String, AttributeValue> key, KeySchema schema) {
        if (key.get(schema.partitionKey().name()).type() != schema.partitionKey().type()) return false;
        return schema.sortKey().map(sort -> key.get(sort.name()).type() == sort.type()).orElse(true);
    }

    private static boolean partitionTypesMatch(List<KeyTerm> terms, QuerySchema schema) {
        for (KeySchema.KeyAttribute partition : schema.partitionKeys()) {
            for (KeyTerm term : terms) {
                if (term.attribute().equals(partition.name()) && term.values().get(0).type() != partition.type()) return false;
            }
        }
        return true;
    }

    /** How ORDER BY reads: the sort key forward or backward, the partitions in ascending or descending key order. */
    private record OrderBy(boolean sortForward, boolean partitionsDescending) {}

    /**
     * ORDER BY may name only key attributes, and needs the partition key pinned (to one value, or
     * named first when the WHERE pins several); the partitions are read in key order and each in
     * sort-key order.
     */
    private static OrderBy orderBy(Statement.Select select, QuerySchema schema, Optional<List<List<KeyTerm>>> partitions) {
        if (select.orderBy().isEmpty()) return new OrderBy(true, false);
        if (select.where().isEmpty()) throw DynamoException.validation("Must have WHERE clause in the statement when using ORDER BY clause.");
        if (partitions.isEmpty()) {
            throw DynamoException.validation("Must have at least one non-optional hash key condition in WHERE clause when using "
                    + "ORDER BY clause.");
        }
        boolean sortForward = true;
        boolean partitionsDescending = false;
        for (Statement.OrderKey key : select.orderBy()) {
            if (!schema.isKeyAttribute(key.attribute())) {
                throw DynamoException.validation("Variable reference " + key.attribute()
                        + " in ORDER BY clause must be part of the primary key");
            }
            if (!schema.sortKeys().isEmpty() && schema.sortKeys().get(0).name().equals(key.attribute())) sortForward = !key.descending();
            if (schema.partitionKeys().get(0).name().equals(key.attribute())) partitionsDescending = key.descending();
        }
        boolean partitionFirst = schema.partitionKeys().get(0).name().equals(select.orderBy().get(0).attribute());
        if (partitions.get().size() > 1 && !partitionFirst) {
            throw DynamoException.validation("Must have hash key in ORDER BY clause when more than one hash key condition "
                    + "specified in WHERE clause.");
        }
        return new OrderBy(sortForward, partitionsDescending);
    }

    /** Items, and NextToken and LastEvaluatedKey when the read stopped before its end. */
    private static byte[] renderItems(PageRequest page, List<Map<String, AttributeValue>> items, Optional<Position> next,
                                      String requestHash, ConsumedCapacity consumed) {
        return Json.object(g -> {
            g.writeArrayFieldStart("Items");
            for (Map<String, AttributeValue> item : items) {
                AttributeValueJson.writeItem(g, SelectProjection.apply(item, page.projection()));
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("NextToken", encodeToken(next.get(), requestHash));
                if (next.get().lastKey().isPresent()) {
                    g.writeFieldName("LastEvaluatedKey");
                    AttributeValueJson.writeItem(g, next.get().lastKey().get());
                }
            }
            // The entries read were counted for Contributor Insights as they were read (accessed).
            page.writeCapacity(g, consumed, List.of());
        });
    }

    /** A NextToken: the request's digest and where to go on, as base64 of a small JSON object. */
    private static String encodeToken(Position next, String requestHash) {
        byte[] json = Json.object(g -> {
            g.writeStringField("h", requestHash);
            g.writeNumberField("p", next.partition());
            if (next.lastKey().isPresent()) {
                g.writeFieldName("k");
                AttributeValueJson.writeItem(g, next.lastKey().get());
            }
        });
        return PageTokens.encode(json);
    }

    private static Position decodeToken(String token, String requestHash) {
        JsonNode decoded;
        try {
            decoded = Json.MAPPER.readTree(PageTokens.decode(token).orElseThrow(() -> new IOException("not base64")));
        } catch (IOException e) {
            throw DynamoException.validation("Invalid NextToken");
        }
        if (decoded == null || !decoded.path("h").isTextual() || !decoded.path("p").canConvertToInt()
                || decoded.path("p").intValue() < 0 || (decoded.has("k") && !decoded.get("k").isObject())) {
            throw DynamoException.validation("Invalid NextToken");
        }
        if (!decoded.get("h").textValue().equals(requestHash)) throw DynamoException.validation("NextToken does not match request");
        Optional<Map<String, AttributeValue>> lastKey = decoded.has("k")
                ? Optional.of(AttributeValueJson.readItem(decoded.get("k"))) : Optional.empty();
        return new Position(decoded.get("p").intValue(), lastKey);
    }
}
