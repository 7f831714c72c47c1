package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CapacityUnits;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.ProjectionExpressionParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * GetItem. Every read is served by the item's partition after all acknowledged writes to it, so
 * eventually consistent reads are as fresh as strongly consistent ones.
 */
final class GetItemOperation implements Operation {

    private final NodeContext node;

    GetItemOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        ItemRequests.checkShapes(request, "Key");
        String tableName = request.string("TableName");
        List<String> attributesToGet = request.stringList("AttributesToGet");
        String projectionExpression = request.string("ProjectionExpression");
        boolean consistent = Boolean.TRUE.equals(request.bool("ConsistentRead"));
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");

        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.notNull("key", request.node("Key"));
        c.lengthAtLeast("attributesToGet", attributesToGet, 1);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();

        ItemRequests.checkEnvelope(request, List.of("ProjectionExpression"), List.of("AttributesToGet"));
        Map<String, AttributeValue> key = request.attributeMap("Key");
        ExpressionAttributes attributes = request.expressionAttributes();
        Optional<List<DocumentPath>> projection = Optional.empty();
        if (projectionExpression != null) {
            projection = Optional.of(ProjectionExpressionParser.parse(projectionExpression, attributes));
        } else if (attributesToGet != null) {
            projection = Optional.of(Projection.fromAttributesToGet(attributesToGet));
        }
        attributes.checkAllUsed();

        TableMetadata table = node.tableForData(tableName);
        Map<String, AttributeValue> validKey = ItemKeys.validateKey(key, table.keySchema());
        projection.ifPresent(p -> KeyPaths.checkScalar(p, table));
        Optional<List<DocumentPath>> paths = projection;
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        return node.readItem(table, validKey).thenApply(found -> {
            Supplier<ConsumedCapacity> consumed = node.throughput().charged(table, ThroughputLimits.Use.READ,
                    () -> ConsumedCapacity.ofTable(table.name(), CapacityUnits.readItem(found, consistent)));
            return Json.object(g -> {
                if (found.isPresent()) {
                    Map<String, AttributeValue> item = paths.map(p -> Projection.apply(found.get(), p)).orElse(found.get());
                    g.writeFieldName("Item");
                    AttributeValueJson.writeItem(g, item);
                }
                capacity.writeField(g, tableName, consumed);
            });
        });
    }
}
