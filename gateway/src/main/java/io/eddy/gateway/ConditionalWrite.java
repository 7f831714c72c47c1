package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.legacy.LegacyConditions;
import io.eddy.shards.ItemReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts PutItem and DeleteItem share: the table, the item or key, ReturnValues, the condition
 * (ConditionExpression with its placeholders, or the legacy Expected with ConditionalOperator),
 * and ReturnValuesOnConditionCheckFailure, checked in DynamoDB's order (constraints, expression
 * envelope, values, Expected, expressions, unused placeholders).
 */
record ConditionalWrite(String tableName, Map<String, AttributeValue> attributes, boolean returnOld,
                        WriteCondition condition) {

    static final List<String> RETURN_VALUES = List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");

    /**
     * The request's checks, refused as PutItem and DeleteItem refuse them ({@link RequestLayer#writeEnvelope}).
     *
     * @param attributesField "Item" (PutItem) or "Key" (DeleteItem)
     */
    static ConditionalWrite parse(RequestBody request, String attributesField) {
        try {
            return check(request, attributesField);
        } catch (DynamoException e) {
            throw RequestLayer.writeEnvelope(e);
        }
    }

    private static ConditionalWrite check(RequestBody request, String attributesField) {
        ItemRequests.checkShapes(request, attributesField);
        String tableName = request.string("TableName");
        String returnValues = request.string("ReturnValues");
        String returnOnFailure = request.string("ReturnValuesOnConditionCheckFailure");
        String conditionExpression = request.string("ConditionExpression");
        String conditionalOperator = request.string("ConditionalOperator");
        RequestBody expected = ConditionMapParameter.readExpected(request);

        boolean nameChecked = Constraints.tableNameFirst(tableName, request.node(attributesField));
        Constraints c = new Constraints();
        c.oneOf("returnConsumedCapacity", request.string("ReturnConsumedCapacity"), CapacityReport.VALUES);
        if (!nameChecked) c.validTableName("tableName", tableName);
        c.notNull(attributesField.toLowerCase(java.util.Locale.ROOT), request.node(attributesField));
        c.oneOf("returnValues", returnValues, RETURN_VALUES);
        c.oneOf("returnItemCollectionMetrics", request.string("ReturnItemCollectionMetrics"), List.of("SIZE", "NONE"));
        c.oneOf("conditionalOperator", conditionalOperator, ItemRequests.CONDITIONAL_OPERATORS);
        ConditionMapParameter.checkOptionalOperators(c, "expected", expected);
        c.oneOf("returnValuesOnConditionCheckFailure", returnOnFailure, WriteCondition.RETURN_VALUES_ON_FAILURE);
        c.throwIfAny();

        ItemRequests.checkEnvelope(request, List.of("ConditionExpression"), List.of("Expected", "ConditionalOperator"));
        Map<String, AttributeValue> attributes = request.attributeMap(attributesField);
        Optional<Condition> legacy = LegacyConditions.expected(request.node("Expected"), conditionalOperator);
        ExpressionAttributes placeholders = request.expressionAttributes();
        boolean returnOld = returnsOldItem(returnValues);
        Optional<Condition> condition = conditionExpression == null ? legacy
                : Optional.of(ConditionExpressionParser.parse(conditionExpression, "ConditionExpression", placeholders));
        placeholders.checkAllUsed();
        return new ConditionalWrite(tableName, attributes, returnOld, WriteCondition.of(condition, returnOnFailure));
    }

    /** PutItem and DeleteItem can only return the old item. */
    private static boolean returnsOldItem(String returnValues) {
        if (returnValues == null || returnValues.equals("NONE")) return false;
        if (returnValues.equals("ALL_OLD")) return true;
        throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
    }

    /** Throws ConditionalCheckFailedException unless the condition holds for the current item. */
    void check(Optional<Map<String, AttributeValue>> current) {
        condition.check(current);
    }

    /**
     * {@code {}}, or {@code {"Attributes": old}} when ALL_OLD was asked for and there was an old item;
     * then the fields {@code more} writes (ConsumedCapacity).
     */
    byte[] render(ItemReply.Written written, Json.BodyWriter more) {
        return Json.object(g -> {
            if (returnOld && written.oldImage().isPresent()) {
                g.writeFieldName("Attributes");
                AttributeValueJson.writeItem(g, written.oldImage().get());
            }
            more.write(g);
        });
    }
}
