package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** PutItem: replace the whole item, optionally under a condition, optionally returning the old one. */
final class PutItemOperation implements Operation {

    private final NodeContext node;

    PutItemOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        ConditionalWrite write = ConditionalWrite.parse(request, "Item");
        CapacityReport capacity = CapacityReport.of(request.string("ReturnConsumedCapacity"));
        TableMetadata table = node.tableForData(write.tableName());
        Map<String, AttributeValue> item = write.attributes();
        Map<String, AttributeValue> key = ItemKeys.keyOfItem(item, table.keySchema());
        ItemKeys.checkIndexKeys(item, Optional.empty(), table);
        ItemKeys.checkItemSize(item);
        String collectionMetrics = request.string("ReturnItemCollectionMetrics");
        return node.writeItem(table, key, current -> {
            write.check(current);
            return Optional.of(item);
        }).thenApply(written -> write.render(written, g -> {
            capacity.writeField(g, write.tableName(), node.throughput().chargedWrite(table, written));
            ItemCollectionMetrics.writeField(g, collectionMetrics, node, table, key);
        }));
    }
}
