package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionEvaluator;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.ExpressionAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Request parts shared by the single-item operations: ReturnValues, conditions, expression attributes. */
final class ItemRequests {

    static final List<String> RETURN_VALUES = List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");
    static final List<String> RETURN_VALUES_ON_FAILURE = List.of("ALL_OLD", "NONE");

    private ItemRequests() {}

    /** PutItem and DeleteItem can only return the old item. */
    static boolean returnsOldItem(String returnValues) {
        if (returnValues == null || returnValues.equals("NONE")) return false;
        if (returnValues.equals("ALL_OLD")) return true;
        throw DynamoException.validation("ReturnValues can only be ALL_OLD or NONE");
    }

    /**
     * DynamoDB's first checks on expression parameters: expression and legacy parameters not mixed,
     * and placeholders only where an expression can use them.
     */
    static void checkEnvelope(RequestBody request, List<String> expressionFields, List<String> legacyFields) {
        List<String> expressions = expressionFields.stream().filter(f -> request.node(f) != null).toList();
        List<String> legacy = legacyFields.stream().filter(f -> request.node(f) != null).toList();
        ExpressionAttributes.checkEnvelope(expressions, legacy,
                request.node("ExpressionAttributeNames") != null, request.node("ExpressionAttributeValues") != null);
    }

    /** Legacy parameters that a later version implements; refused rather than silently ignored. */
    static void refuseLegacy(RequestBody request, String... names) {
        for (String name : names) {
            if (request.node(name) != null) {
                throw DynamoException.validation("The legacy parameter " + name + " is not supported by this version of Eddy; use expressions");
            }
        }
    }

    /** The ConditionExpression, parsed against the request's expression attributes. */
    static Optional<Condition> condition(String expression, ExpressionAttributes attributes) {
        if (expression == null) return Optional.empty();
        return Optional.of(ConditionExpressionParser.parse(expression, "ConditionExpression", attributes));
    }

    /** Throws ConditionalCheckFailedException unless the condition holds for the current item. */
    static void check(Optional<Condition> condition, Optional<Map<String, AttributeValue>> current, boolean returnItemOnFailure) {
        if (condition.isEmpty()) return;
        if (!ConditionEvaluator.evaluate(condition.get(), current.orElse(Map.of()))) {
            throw new DynamoException(ErrorCode.ConditionalCheckFailedException, "The conditional request failed",
                    returnItemOnFailure ? current.orElse(null) : null);
        }
    }
}
