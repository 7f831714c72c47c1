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
import io.eddy.model.expression.ConditionEvaluator;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import io.eddy.model.query.KeyCondition;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.QueryKeys;
import io.eddy.model.query.QuerySchema;
import io.eddy.persistence.ItemPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A PartiQL SELECT of ExecuteStatement: a GetItem when its WHERE pins the table's whole key, a
 * Query when it pins the partition key of the table or index (and a sort key bound, if it gives
 * one), a Scan otherwise. The whole WHERE filters what is read, so Limit and the 1 MB page count
 * the items read, as in Query and Scan; NextToken carries the last key read and is valid only for
 * the same statement and parameters.
 */
final class PartiqlSelect {

    private final NodeContext node;

    PartiqlSelect(NodeContext node) {
        this.node = node;
    }

    /**
     * @param requestHash the digest of the statement and its parameters that a NextToken must carry
     */
    CompletionStage<byte[]> execute(Statement.Select select, boolean consistent, Long limit, String nextToken,
                                    String requestHash, CapacityReport capacity) {
        TableMetadata table = node.tableForData(select.table());
        Optional<SecondaryIndex> index = IndexReads.resolve(table, select.index().orElse(null), null, consistent);
        QuerySchema schema = index.map(i -> QuerySchema.of(i, table.keySchema())).orElseGet(() -> QuerySchema.of(table.keySchema()));
        Optional<Map<String, AttributeValue>> startKey = Optional.ofNullable(nextToken).map(token -> decodeToken(token, requestHash));
        Optional<List<KeyTerm>> terms = WhereKeys.queryTerms(select.where(), schema);
        boolean forward = checkOrderBy(select, schema, terms.isPresent());
        PageRequest page = new PageRequest(table.name(), select.where(), select.projection(), false,
                limit == null ? Integer.MAX_VALUE : (int) Math.min(limit, Integer.MAX_VALUE), consistent, capacity);
        page.checkKeyPaths(schema, true);
        IndexReads.PageRenderer renderer = (entries, items, consumed) -> render(page, entries, items, schema, consumed, requestHash);

        if (index.isEmpty() && startKey.isEmpty() && WhereKeys.namesItem(select.where(), table.keySchema())) {
            return getItem(table, select, page);
        }
        CompletionStage<ItemPage> read;
        if (terms.isPresent()) {
            if (!partitionTypesMatch(terms.get(), schema)) {
                return CompletableFuture.completedFuture(renderer.render(ItemPage.EMPTY, List.of(), ConsumedCapacity.ofTable(table.name(), 0)));
            }
            KeyCondition keys = QueryKeys.resolve(terms.get(), schema, startKey);
            read = node.shards().query(table, index, keys, forward, startKey, page.limit());
        } else {
            startKey.ifPresent(key -> StartKeys.checkIsKeyOf(key, schema));
            read = node.shards().scan(table, index, 0, 1, startKey, page.limit());
        }
        if (index.isPresent()) return IndexReads.render(node, table, index.get(), null, page, read, renderer);
        return read.thenApply(entries -> renderer.render(entries, entries.items(),
                ConsumedCapacity.ofTable(table.name(), page.readUnits(entries))));
    }

    /** The one item the WHERE names, if it exists and the WHERE holds for it. */
    private CompletionStage<byte[]> getItem(TableMetadata table, Statement.Select select, PageRequest page) {
        Map<String, AttributeValue> key = WhereKeys.itemKey(select.where().get(), table.keySchema());
        if (!keyTypesMatch(key, table.keySchema())) {
            return CompletableFuture.completedFuture(renderItems(page, List.of(), Optional.empty(), "",
                    ConsumedCapacity.ofTable(table.name(), 0)));
        }
        Map<String, AttributeValue> validKey = ItemKeys.validateKey(key, table.keySchema());
        return node.shards().getItem(table, validKey).thenApply(found -> {
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

    /**
     * ORDER BY may name only key attributes, and needs the partition key pinned (one partition is
     * read in sort-key order); whether the sort key is read forward.
     */
    private static boolean checkOrderBy(Statement.Select select, QuerySchema schema, boolean pinned) {
        if (select.orderBy().isEmpty()) return true;
        if (select.where().isEmpty()) throw DynamoException.validation("Must have WHERE clause in the statement when using ORDER BY clause.");
        if (!pinned) {
            throw DynamoException.validation("Must have at least one non-optional hash key condition in WHERE clause when using "
                    + "ORDER BY clause.");
        }
        boolean forward = true;
        for (Statement.OrderKey key : select.orderBy()) {
            if (!schema.isKeyAttribute(key.attribute())) {
                throw DynamoException.validation("Variable reference " + key.attribute()
                        + " in ORDER BY clause must be part of the primary key");
            }
            if (!schema.sortKeys().isEmpty() && schema.sortKeys().get(0).name().equals(key.attribute())) forward = !key.descending();
        }
        return forward;
    }

    private static byte[] render(PageRequest page, ItemPage entries, List<Map<String, AttributeValue>> items, QuerySchema schema,
                                 ConsumedCapacity consumed, String requestHash) {
        return renderItems(page, page.matching(items), page.lastEvaluatedKey(entries, schema), requestHash, consumed);
    }

    /** Items, and NextToken and LastEvaluatedKey when the read stopped before its end. */
    private static byte[] renderItems(PageRequest page, List<Map<String, AttributeValue>> items,
                                      Optional<Map<String, AttributeValue>> lastKey, String requestHash, ConsumedCapacity consumed) {
        return Json.object(g -> {
            g.writeArrayFieldStart("Items");
            for (Map<String, AttributeValue> item : items) AttributeValueJson.writeItem(g, page.project(item));
            g.writeEndArray();
            if (lastKey.isPresent()) {
                g.writeStringField("NextToken", encodeToken(lastKey.get(), requestHash));
                g.writeFieldName("LastEvaluatedKey");
                AttributeValueJson.writeItem(g, lastKey.get());
            }
            page.capacity().writeField(g, () -> consumed);
        });
    }

    /** A NextToken: the request's digest and the last key read, as base64 of a small JSON object. */
    private static String encodeToken(Map<String, AttributeValue> lastKey, String requestHash) {
        byte[] json = Json.object(g -> {
            g.writeStringField("h", requestHash);
            g.writeFieldName("k");
            AttributeValueJson.writeItem(g, lastKey);
        });
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    }

    private static Map<String, AttributeValue> decodeToken(String token, String requestHash) {
        JsonNode decoded;
        try {
            decoded = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw DynamoException.validation("Invalid NextToken");
        }
        if (decoded == null || !decoded.path("h").isTextual() || !decoded.path("k").isObject()) {
            throw DynamoException.validation("Invalid NextToken");
        }
        if (!decoded.get("h").textValue().equals(requestHash)) throw DynamoException.validation("NextToken does not match request");
        return AttributeValueJson.readItem(decoded.get("k"));
    }
}
