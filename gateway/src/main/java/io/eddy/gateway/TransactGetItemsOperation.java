package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CancellationReason;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.ProjectionExpressionParser;
import io.eddy.shards.TransactionGet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * TransactGetItems: up to 100 Gets over any tables, read as one serializable snapshot. A Get of an
 * item that a pending transaction holds, or that changes while the snapshot is taken, cancels the
 * request with TransactionCanceledException and a TransactionConflict reason for that Get.
 * Responses come in request order, {@code {}} for an item that does not exist.
 */
final class TransactGetItemsOperation implements Operation {

    private final NodeContext node;

    TransactGetItemsOperation(NodeContext node) {
        this.node = node;
    }

    /** One Get, checked: its table, its key as sent, and its projection. */
    private record Get(String tableName, Map<String, AttributeValue> key, Optional<List<DocumentPath>> projection) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        List<RequestBody> items = request.structList("TransactItems", "TransactGetItem");
        List<RequestBody> gets = new ArrayList<>();
        if (items != null) {
            for (RequestBody item : items) gets.add(readShapes(item.struct("Get")));
        }

        Constraints c = new Constraints();
        TransactionRequests.checkItemCount(c, request.node("TransactItems"));
        for (int i = 0; i < gets.size(); i++) {
            String path = "transactItems." + (i + 1) + ".member.get";
            RequestBody get = gets.get(i);
            c.notNull(path, get);
            if (get == null) continue;
            c.notNull(path + ".key", get.node("Key"));
            c.validTableName(path + ".tableName", get.string("TableName"));
        }
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();

        List<Get> checked = gets.stream().map(TransactGetItemsOperation::check).toList();
        List<TableMetadata> tables = checked.stream().map(get -> node.tableForData(get.tableName())).toList();
        CancellationReason[] reasons = new CancellationReason[checked.size()];
        List<Map<String, AttributeValue>> keys = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            Get get = checked.get(i);
            TableMetadata table = tables.get(i);
            keys.add(TransactionRequests.key(() -> ItemKeys.validateKey(get.key(), table.keySchema()), reasons, i));
            // As TransactWriteItems, it stops at the first action with a ValidationError.
            if (reasons[i] != null) TransactionRequests.cancelIfAnyReason(reasons);
            get.projection().ifPresent(paths -> KeyPaths.checkScalar(paths, table));
        }
        TransactionRequests.checkNoDuplicates(tables, keys);
        TransactionRequests.cancelIfAnyReason(reasons);
        TransactionRequests.admit(node, tables, keys, i -> ThroughputLimits.Use.READ);

        List<TransactionGet> reads = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) reads.add(new TransactionGet(tables.get(i), keys.get(i)));
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        return node.shards().transactGet(reads).thenApply(found -> {
            checkAggregateSize(found);
            return render(found, checked, TransactionRequests.chargeReads(node, found, tables), capacity);
        });
    }

    /**
     * The items read, whole (a projection does not make them smaller to read), may come to 4 MB at
     * most; the message is TransactWriteItems', as DynamoDB's for reads could not be found.
     */
    private static void checkAggregateSize(List<Optional<Map<String, AttributeValue>>> found) {
        TransactionRequests.checkAggregateSize(found.stream().mapToLong(item -> item.map(ItemSize::of).orElse(0L)).sum());
    }

    /** The SerializationException pass over one Get. */
    private static RequestBody readShapes(RequestBody get) {
        if (get == null) return null;
        get.string("TableName");
        get.string("ProjectionExpression");
        JsonNode key = get.node("Key");
        if (key != null) AttributeValueJson.checkItemShape(key);
        ExpressionAttributes.checkShapes(get.node("ExpressionAttributeNames"), null);
        return get;
    }

    /**
     * A Get's own checks, as GetItem makes them: key values, projection, unused names; but names
     * without a projection are taken, unused, as DynamoDB takes them in a transaction (a 2026 test
     * suite run against it).
     */
    private static Get check(RequestBody get) {
        Map<String, AttributeValue> key = get.attributeMap("Key");
        ExpressionAttributes names = ExpressionAttributes.fromJson(get.node("ExpressionAttributeNames"), null);
        String projectionExpression = get.string("ProjectionExpression");
        Optional<List<DocumentPath>> projection = projectionExpression == null ? Optional.empty()
                : Optional.of(ProjectionExpressionParser.parse(projectionExpression, names));
        if (projection.isPresent()) names.checkAllUsed();
        return new Get(get.string("TableName"), key, projection);
    }

    /** Responses in request order and, when asked for, twice the units of strongly consistent reads. */
    private static byte[] render(List<Optional<Map<String, AttributeValue>>> found, List<Get> gets, Map<String, ConsumedCapacity> units,
                                 CapacityReport capacity) {
        return Json.object(g -> {
            g.writeArrayFieldStart("Responses");
            for (int i = 0; i < found.size(); i++) {
                g.writeStartObject();
                if (found.get(i).isPresent()) {
                    Map<String, AttributeValue> item = found.get(i).get();
                    Map<String, AttributeValue> returned = gets.get(i).projection().map(paths -> Projection.apply(item, paths)).orElse(item);
                    // An item the projection leaves nothing of is no Item at all (a 2026 test suite run against DynamoDB).
                    if (!returned.isEmpty()) {
                        g.writeFieldName("Item");
                        AttributeValueJson.writeItem(g, returned);
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            capacity.writeListField(g, units.values(), CapacityReport.Split.READ);
        });
    }
}
