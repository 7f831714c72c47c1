package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateEvaluator;
import io.eddy.model.expression.UpdateExpressionParser;
import io.eddy.model.legacy.LegacyAttributeUpdates;
import io.eddy.model.legacy.LegacyConditions;
import io.eddy.shards.ItemReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * UpdateItem: change some attributes of an item (UpdateExpression, or the legacy AttributeUpdates),
 * creating it from its key when it does not exist, optionally under a condition
 * (ConditionExpression, or the legacy Expected). The update runs inside the item's partition
 * against the item as stored; checks run in DynamoDB's order: member constraints, expression
 * envelope, key values, AttributeUpdates, Expected, placeholders, the expressions, unused
 * placeholders; then the table, the key and the key attributes the update may not touch.
 */
final class UpdateItemOperation implements Operation {

    private static final List<String> ACTIONS = List.of("ADD", "PUT", "DELETE");

    private final NodeContext node;

    UpdateItemOperation(NodeContext node) {
        this.node = node;
    }

    /** What the request asks for, once its checks have passed. */
    private record UpdateRequest(Map<String, AttributeValue> key, Update update, Optional<Condition> condition) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        UpdateRequest parsed;
        try {
            parsed = check(request);
        } catch (DynamoException e) {
            throw RequestLayer.writeEnvelope(e);
        }
        String tableName = request.string("TableName");
        String returnValues = request.string("ReturnValues");
        Update change = parsed.update();

        TableMetadata table = node.tableForData(tableName);
        Map<String, AttributeValue> validKey = ItemKeys.validateKey(parsed.key(), table.keySchema());
        checkKeyUntouched(change, table.keySchema());
        WriteCondition writeCondition = WriteCondition.of(parsed.condition(), request.string("ReturnValuesOnConditionCheckFailure"));
        CapacityReport capacity = CapacityReport.of(request.string("ReturnConsumedCapacity"));
        String collectionMetrics = request.string("ReturnItemCollectionMetrics");
        return node.writeItem(table, validKey, current -> {
            writeCondition.check(current);
            UpdateEvaluator.Result result = UpdateEvaluator.apply(change, validKey, current);
            Optional<Map<String, AttributeValue>> updated = result.stored();
            if (updated.isPresent()) {
                UpdateEvaluator.checkStandaloneSize(change, result);
                ItemKeys.checkUpdatedIndexKeys(updated.get(), current, table);
            }
            return updated;
        }).thenApply(written -> Json.object(g -> {
            Map<String, AttributeValue> returned = returnedAttributes(returnValues, change, written);
            if (!returned.isEmpty()) {
                g.writeFieldName("Attributes");
                AttributeValueJson.writeItem(g, returned);
            }
            capacity.writeField(g, tableName, node.throughput().chargedWrite(table, written));
            ItemCollectionMetrics.writeField(g, collectionMetrics, node, table, validKey);
        }));
    }

    /** The request's checks, in DynamoDB's order, before the table is looked up. */
    private static UpdateRequest check(RequestBody request) {
        ItemRequests.checkShapes(request, "Key");
        String tableName = request.string("TableName");
        String returnValues = request.string("ReturnValues");
        String returnOnFailure = request.string("ReturnValuesOnConditionCheckFailure");
        String updateExpression = request.string("UpdateExpression");
        String conditionExpression = request.string("ConditionExpression");
        String conditionalOperator = request.string("ConditionalOperator");
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        RequestBody attributeUpdates = readAttributeUpdates(request);
        RequestBody expected = ConditionMapParameter.readExpected(request);

        boolean staged = Constraints.tableNameFirst(tableName, request.node("Key"));
        if (staged) {
            // UpdateItem then stops at an invalid ReturnValues too (captured 2026-06, eu-west-2; PutItem
            // and DeleteItem report it with the others).
            Constraints returnValuesFirst = new Constraints();
            returnValuesFirst.oneOf("returnValues", returnValues, ConditionalWrite.RETURN_VALUES);
            returnValuesFirst.throwIfAny();
        }
        Constraints c = new Constraints();
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        if (!staged) {
            c.validTableName("tableName", tableName);
            c.oneOf("returnValues", returnValues, ConditionalWrite.RETURN_VALUES);
        }
        c.oneOf("returnItemCollectionMetrics", request.string("ReturnItemCollectionMetrics"), List.of("SIZE", "NONE"));
        // ConditionalOperator before Key (captured 2026-10; dynalite's older order had it after)
        c.oneOf("conditionalOperator", conditionalOperator, ItemRequests.CONDITIONAL_OPERATORS);
        c.notNull("key", request.node("Key"));
        checkActions(c, attributeUpdates);
        ConditionMapParameter.checkOptionalOperators(c, "expected", expected);
        c.oneOf("returnValuesOnConditionCheckFailure", returnOnFailure, WriteCondition.RETURN_VALUES_ON_FAILURE);
        c.throwIfAny();

        ItemRequests.checkEnvelope(request, List.of("UpdateExpression", "ConditionExpression"),
                List.of("AttributeUpdates", "Expected", "ConditionalOperator"));
        Map<String, AttributeValue> key = request.attributeMap("Key");
        Update update = LegacyAttributeUpdates.parse(request.node("AttributeUpdates"));
        Optional<Condition> condition = LegacyConditions.expected(request.node("Expected"), conditionalOperator);
        ExpressionAttributes attributes = request.expressionAttributes();
        if (updateExpression != null) update = UpdateExpressionParser.parse(updateExpression, attributes);
        if (conditionExpression != null) {
            condition = Optional.of(ConditionExpressionParser.parse(conditionExpression, "ConditionExpression", attributes));
        }
        attributes.checkAllUsed();
        return new UpdateRequest(key, update, condition);
    }

    /**
     * What ReturnValues asks for: the whole item before or after, or the paths the update names,
     * as they were before (UPDATED_OLD) or are after it (UPDATED_NEW), projected as a
     * ProjectionExpression would. As DynamoDB does, the paths are the expression's own, not where
     * the values ended up: a SET past a list's end appends an element that UPDATED_NEW does not
     * return, and after a REMOVE of l[1] it returns the element that moved into l[1] (recorded
     * from DynamoDB by ScyllaDB's Alternator tests).
     */
    static Map<String, AttributeValue> returnedAttributes(String returnValues, Update update,
                                                                  ItemReply.Written written) {
        if (returnValues == null) return Map.of();
        Optional<Map<String, AttributeValue>> old = written.oldImage();
        return switch (returnValues) {
            case "ALL_OLD" -> old.orElse(Map.of());
            case "ALL_NEW" -> written.newImage().orElse(Map.of());
            case "UPDATED_OLD" -> old.map(item -> Projection.apply(item, update.paths())).orElse(Map.of());
            case "UPDATED_NEW" -> written.newImage().map(item -> Projection.apply(item, update.paths())).orElse(Map.of());
            default -> Map.of();
        };
    }

    /** @throws DynamoException "Cannot update attribute id. This attribute is part of the key" */
    static void checkKeyUntouched(Update update, KeySchema schema) {
        for (DocumentPath path : update.paths()) {
            if (schema.isKeyAttribute(path.attribute())) {
                throw DynamoException.invalidParameter("Cannot update attribute " + path.attribute()
                        + ". This attribute is part of the key");
            }
        }
    }

    /** The SerializationException pass over AttributeUpdates: objects with a string Action and an attribute-value Value. */
    private static RequestBody readAttributeUpdates(RequestBody request) {
        RequestBody updates = request.structMap("AttributeUpdates", "AttributeValueUpdate");
        if (updates == null) return null;
        for (String attribute : updates.fieldNames()) {
            RequestBody update = updates.struct(attribute);
            if (update == null) continue;
            update.string("Action");
            update.attributeValue("Value");
        }
        return updates;
    }

    private static void checkActions(Constraints c, RequestBody updates) {
        if (updates == null) return;
        for (String attribute : updates.fieldNames()) {
            RequestBody update = updates.struct(attribute);
            if (update != null) c.oneOf("attributeUpdates." + attribute + ".member.action", update.string("Action"), ACTIONS);
        }
    }
}
