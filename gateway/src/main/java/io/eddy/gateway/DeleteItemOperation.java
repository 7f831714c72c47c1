package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** DeleteItem: remove an item by key, optionally under a condition, optionally returning it. */
final class DeleteItemOperation implements Operation {

    private final NodeContext node;

    DeleteItemOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        ConditionalWrite write = ConditionalWrite.parse(request, "Key");
        CapacityReport capacity = CapacityReport.of(request.string("ReturnConsumedCapacity"));
        TableMetadata table = node.tableForData(write.tableName());
        Map<String, AttributeValue> key = ItemKeys.validateKey(write.attributes(), table.keySchema());
        String collectionMetrics = request.string("ReturnItemCollectionMetrics");
        return node.writeItem(table, key, current -> {
            write.check(current);
            return Optional.empty();
        }).thenApply(written -> write.render(written, g -> {
            capacity.writeField(g, write.tableName(), node.throughput().chargedWrite(table, written));
            ItemCollectionMetrics.writeField(g, collectionMetrics, node, table, key);
        }));
    }
}
