package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ExpressionAttributes;
import java.util.List;
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
        String tableName = request.string("TableName");
        String returnValues = request.string("ReturnValues");
        String returnOnFailure = request.string("ReturnValuesOnConditionCheckFailure");
        String conditionExpression = request.string("ConditionExpression");

        Constraints c = new Constraints();
        c.notNull("tableName", tableName);
        c.tableName("tableName", tableName);
        c.notNull("key", request.node("Key"));
        c.oneOf("returnValues", returnValues, ItemRequests.RETURN_VALUES);
        c.oneOf("returnValuesOnConditionCheckFailure", returnOnFailure, ItemRequests.RETURN_VALUES_ON_FAILURE);
        c.throwIfAny();
        ItemRequests.checkEnvelope(request, List.of("ConditionExpression"), List.of("Expected", "ConditionalOperator"));
        ItemRequests.refuseLegacy(request, "Expected", "ConditionalOperator");
        Map<String, AttributeValue> key = request.attributeMap("Key");
        ExpressionAttributes attributes = request.expressionAttributes();
        boolean returnOld = ItemRequests.returnsOldItem(returnValues);
        Optional<Condition> condition = ItemRequests.condition(conditionExpression, attributes);
        attributes.checkAllUsed();
        boolean returnItemOnFailure = "ALL_OLD".equals(returnOnFailure);

        TableMetadata table = node.tableForData(tableName);
        Map<String, AttributeValue> validKey = ItemKeys.validateKey(key, table.keySchema());
        return node.shards().writeItem(table, validKey, current -> {
            ItemRequests.check(condition, current, returnItemOnFailure);
            return Optional.empty();
        }).thenApply(written -> returnOld && written.oldImage().isPresent()
                ? Json.object(g -> {
                    g.writeFieldName("Attributes");
                    AttributeValueJson.writeItem(g, written.oldImage().get());
                })
                : Json.EMPTY_OBJECT);
    }
}
