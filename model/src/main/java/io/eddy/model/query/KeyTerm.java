package io.eddy.model.query;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;
import java.util.List;

/**
 * One condition of a Query on one attribute, the shape both KeyConditionExpression and the legacy
 * KeyConditions reduce to: {@code attribute operator values}, e.g. {@code sk BETWEEN [1, 9]}.
 */
public record KeyTerm(String attribute, KeyOperator operator, List<AttributeValue> values) {

    public KeyTerm {
        values = List.copyOf(values);
    }

    /**
     * Whether a key value satisfies this (indexable) condition; values of another type never do.
     * Used to check that an ExclusiveStartKey lies where the query can reach.
     */
    public boolean matches(AttributeValue key) {
        if (!operator.indexable()) throw new IllegalStateException("not an indexable condition: " + operator);
        AttributeValue first = values.get(0);
        if (key.type() != first.type()) return false;
        int order = AttributeValueOrder.compare(key, first);
        return switch (operator) {
            case EQ -> order == 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case BETWEEN -> order >= 0 && AttributeValueOrder.compare(key, values.get(1)) <= 0;
            case BEGINS_WITH -> beginsWith(key, first);
            default -> throw new IllegalStateException(operator.name());
        };
    }

    private static boolean beginsWith(AttributeValue key, AttributeValue prefix) {
        if (key instanceof AttributeValue.StringValue s && prefix instanceof AttributeValue.StringValue p) {
            return s.value().startsWith(p.value());
        }
        return ((AttributeValue.BinaryValue) key).value().startsWith(((AttributeValue.BinaryValue) prefix).value());
    }
}
