package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.TableMetadata;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * ReturnItemCollectionMetrics SIZE: for a table with local secondary indexes, the item collection a
 * write touched (its partition-key value) and an estimate of its size as a range of whole gigabytes,
 * as DynamoDB reports it ([0, 1] for a collection under 1 GB). Tables without local indexes have no
 * item collections to report.
 */
final class ItemCollectionMetrics {

    static final List<String> VALUES = List.of("SIZE", "NONE");
    private static final double GIGABYTE = 1024.0 * 1024 * 1024;

    private ItemCollectionMetrics() {}

    /** Whether the response reports the collection: SIZE was asked for and the table has local indexes. */
    static boolean reported(String parameter, TableMetadata table) {
        return "SIZE".equals(parameter) && !table.options().localIndexes().isEmpty();
    }

    /** {@code "ItemCollectionMetrics": {…}} for the collection of {@code key}, when reported. */
    static void writeField(JsonGenerator g, String parameter, NodeContext node, TableMetadata table,
                           Map<String, AttributeValue> key) throws IOException {
        if (!reported(parameter, table)) return;
        g.writeFieldName("ItemCollectionMetrics");
        write(g, node, table, key);
    }

    /**
     * {@code "ItemCollectionMetrics": {"<table>": [{…}, …], …}} for the collections of the keys a
     * multi-item write (BatchWriteItem, TransactWriteItems) wrote, unless there are none.
     */
    static void writeByTable(JsonGenerator g, NodeContext node, Map<TableMetadata, List<Map<String, AttributeValue>>> keys)
            throws IOException {
        if (keys.isEmpty()) return;
        g.writeObjectFieldStart("ItemCollectionMetrics");
        for (Map.Entry<TableMetadata, List<Map<String, AttributeValue>>> table : keys.entrySet()) {
            g.writeArrayFieldStart(table.getKey().name());
            for (Map<String, AttributeValue> key : table.getValue()) write(g, node, table.getKey(), key);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** One collection's metrics: its key (the partition-key attribute) and size estimate range. */
    static void write(JsonGenerator g, NodeContext node, TableMetadata table, Map<String, AttributeValue> key) throws IOException {
        String partitionKey = table.keySchema().partitionKey().name();
        AttributeValue value = key.get(partitionKey);
        long bytes = node.shards().itemCollection(table, value).sizeBytes();
        double lower = Math.floor(bytes / GIGABYTE);
        g.writeStartObject();
        g.writeFieldName("ItemCollectionKey");
        AttributeValueJson.writeItem(g, Map.of(partitionKey, value));
        g.writeArrayFieldStart("SizeEstimateRangeGB");
        g.writeNumber(lower);
        g.writeNumber(lower + 1);
        g.writeEndArray();
        g.writeEndObject();
    }
}
