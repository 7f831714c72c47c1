package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CapacityUnits;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionEvaluator;
import io.eddy.model.expression.ConditionPaths;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.Projection;
import io.eddy.model.query.QuerySchema;
import io.eddy.persistence.ItemPage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Query and Scan share once their parameters are checked: the table as the request named it
 * (its name or ARN, which the capacity report echoes), the filter, what to return of each
 * item (Select, ProjectionExpression or AttributesToGet), Limit, the capacity report and what charges
 * the table's throughput limits; and how a page read from the store becomes the response. The filter runs on the page
 * after it was read, so Limit and the 1 MB budget count the items read, not the items returned.
 */
record PageRequest(String tableName, Optional<Condition> filter, Optional<List<DocumentPath>> projection,
                   boolean countOnly, int limit, boolean consistent, CapacityReport capacity, PageMeter meter) {

    /** What a page read counts as: its units against the throughput limits, its entries for Contributor Insights. */
    interface PageMeter {
        void read(ConsumedCapacity consumed, List<Map<String, AttributeValue>> entries);
    }

    /** A read of the table or of one of its indexes (a local index's reads are the table's). */
    static PageMeter meter(NodeContext node, TableMetadata table, Optional<SecondaryIndex> index) {
        SecondaryIndex global = index.filter(i -> !i.local()).orElse(null);
        return (consumed, entries) -> {
            node.throughput().charge(table, ThroughputLimits.Use.READ, consumed);
            node.contributors().accessedAll(table, global, entries);
        };
    }

    static final List<String> SELECT_VALUES = List.of("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");

    /** The rules between Select and the parameters that pick attributes, in DynamoDB's words; empty when they hold. */
    static Optional<String> selectProblem(String select, String projectionExpression, List<String> attributesToGet,
                                          String indexName) {
        if (select == null || !SELECT_VALUES.contains(select)) return Optional.empty();
        if (select.equals("SPECIFIC_ATTRIBUTES")) {
            if (projectionExpression != null || attributesToGet != null) return Optional.empty();
            return Optional.of("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
        String choice = select.equals("COUNT") ? "only the Count" : select;
        if (projectionExpression != null) return Optional.of("Cannot specify the ProjectionExpression when choosing to get " + choice);
        if (attributesToGet != null) return Optional.of("Cannot specify the AttributesToGet when choosing to get " + choice);
        if (select.equals("ALL_PROJECTED_ATTRIBUTES") && indexName == null) {
            return Optional.of("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        return Optional.empty();
    }

    /**
     * Key attributes are scalars, so a projection or a filter cannot look inside them
     * ({@link KeyPaths}); a Query's filter cannot name the keys it reads by at all, since its key
     * condition already decides on them.
     */
    void checkKeyPaths(TableMetadata table, QuerySchema schema, boolean filterMayNameKeys) {
        List<DocumentPath> filterPaths = filter.map(ConditionPaths::of).orElse(List.of());
        if (!filterMayNameKeys) {
            for (DocumentPath path : filterPaths) {
                if (schema.isKeyAttribute(path.attribute())) {
                    throw DynamoException.validation("Filter Expression can only contain non-primary key attributes: "
                            + "Primary key attribute: " + path.attribute());
                }
            }
        }
        KeyPaths.checkScalar(filterPaths, table);
        KeyPaths.checkScalar(projection.orElse(List.of()), table);
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, QuerySchema schema) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String name : schema.startKeyNames()) key.put(name, item.get(name));
        return key;
    }

    /** A page of the table's items (or of an index's entries returned as they are), costing its bytes read. */
    byte[] render(ItemPage page, QuerySchema schema) {
        return render(page, page.items(), schema, ConsumedCapacity.ofTable(tableName, readUnits(page)));
    }

    /** The units reading the page cost: its bytes, rounded up to 4 KB once. */
    double readUnits(ItemPage page) {
        return CapacityUnits.read(page.bytes(), consistent);
    }

    /**
     * Items (unless Select is COUNT), Count (after the filter), ScannedCount (before it),
     * LastEvaluatedKey when the page stopped at Limit or at 1 MB (the key of the last item read,
     * returned or not: the table's key, and an index's key when reading one), and ConsumedCapacity.
     *
     * @param items what the page's items are returned as: the page's items, or the table's items
     *              fetched for a local index's entries (same order)
     */
    byte[] render(ItemPage page, List<Map<String, AttributeValue>> items, QuerySchema schema, ConsumedCapacity consumed) {
        List<Map<String, AttributeValue>> matching = matching(items);
        Optional<Map<String, AttributeValue>> lastKey = lastEvaluatedKey(page, schema);
        return Json.object(g -> {
            if (!countOnly) {
                g.writeArrayFieldStart("Items");
                for (Map<String, AttributeValue> item : matching) AttributeValueJson.writeItem(g, project(item));
                g.writeEndArray();
            }
            g.writeNumberField("Count", matching.size());
            g.writeNumberField("ScannedCount", page.items().size());
            if (lastKey.isPresent()) {
                g.writeFieldName("LastEvaluatedKey");
                AttributeValueJson.writeItem(g, lastKey.get());
            }
            writeCapacity(g, consumed, page.items());
        });
    }

    /** Meters the page (what it consumed, the entries it read), and reports what it consumed when asked to. */
    void writeCapacity(JsonGenerator g, ConsumedCapacity consumed, List<Map<String, AttributeValue>> entries) throws IOException {
        meter.read(consumed, entries);
        capacity.writeField(g, tableName, () -> consumed);
    }

    /** The items the filter keeps. */
    List<Map<String, AttributeValue>> matching(List<Map<String, AttributeValue>> items) {
        return filter.isEmpty() ? items : items.stream().filter(item -> ConditionEvaluator.evaluate(filter.get(), item)).toList();
    }

    /** What is returned of an item: the projection's paths, or all of it. */
    Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
        return projection.map(paths -> Projection.apply(item, paths)).orElse(item);
    }

    /**
     * The key of the last item read, returned or not (the table's key, and an index's key when
     * reading one), when the page stopped at Limit or at 1 MB; empty when the read is complete.
     */
    Optional<Map<String, AttributeValue>> lastEvaluatedKey(ItemPage page, QuerySchema schema) {
        return lastEvaluatedKey(page, schema, limit, ItemPage.MAX_BYTES);
    }

    /** {@link #lastEvaluatedKey(ItemPage, QuerySchema)} of a page read with a smaller limit or byte budget than the request's. */
    Optional<Map<String, AttributeValue>> lastEvaluatedKey(ItemPage page, QuerySchema schema, int limit, long byteBudget) {
        List<Map<String, AttributeValue>> read = page.items();
        boolean stopped = !read.isEmpty() && (read.size() >= limit || page.bytes() >= byteBudget);
        return stopped ? Optional.of(keyOf(read.get(read.size() - 1), schema)) : Optional.empty();
    }
}
