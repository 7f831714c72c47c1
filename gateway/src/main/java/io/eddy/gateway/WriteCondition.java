package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionEvaluator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The condition of a PutItem, UpdateItem or DeleteItem (from ConditionExpression or the legacy
 * Expected) and ReturnValuesOnConditionCheckFailure; checked inside the partition against the
 * item as stored.
 */
record WriteCondition(Optional<Condition> condition, boolean returnItemOnFailure) {

    static final List<String> RETURN_VALUES_ON_FAILURE = List.of("ALL_OLD", "NONE");

    /** @param returnValuesOnFailure the parameter, already checked against {@link #RETURN_VALUES_ON_FAILURE} */
    static WriteCondition of(Optional<Condition> condition, String returnValuesOnFailure) {
        return new WriteCondition(condition, "ALL_OLD".equals(returnValuesOnFailure));
    }

    /** Throws ConditionalCheckFailedException, with the item when asked for, unless the condition holds. */
    void check(Optional<Map<String, AttributeValue>> current) {
        if (condition.isEmpty()) return;
        if (!ConditionEvaluator.evaluate(condition.get(), current.orElse(Map.of()))) {
            throw new DynamoException(ErrorCode.ConditionalCheckFailedException, "The conditional request failed",
                    returnItemOnFailure ? current.orElse(null) : null);
        }
    }
}
