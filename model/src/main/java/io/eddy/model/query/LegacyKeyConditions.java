package io.eddy.model.query;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;
import io.eddy.model.DynamoException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks DynamoDB makes on the legacy KeyConditions parameter before it looks at the table:
 * value counts, value types per operator and BETWEEN bounds, then the number of conditions.
 */
public final class LegacyKeyConditions {
    private LegacyKeyConditions() {}

    private static final Set<AttributeType> SCALARS = EnumSet.of(AttributeType.S, AttributeType.N, AttributeType.B);
    private static final Set<AttributeType> SCALARS_AND_SETS = EnumSet.of(AttributeType.S, AttributeType.N,
            AttributeType.B, AttributeType.SS, AttributeType.NS, AttributeType.BS);
    private static final Set<AttributeType> STRING_OR_BINARY = EnumSet.of(AttributeType.S, AttributeType.B);

    /**
     * One attribute's condition, its values already decoded.
     *
     * @throws DynamoException ValidationException for a wrong number of values, values of mixed
     *         types, a type the operator does not take, or BETWEEN bounds in the wrong order
     */
    public static KeyTerm term(String attribute, KeyOperator operator, List<AttributeValue> values) {
        if (!operator.acceptsValueCount(values.size())) {
            throw DynamoException.invalidParameter("Invalid number of argument(s) for the " + operator + " ComparisonOperator");
        }
        if (values.stream().map(AttributeValue::type).distinct().count() > 1) {
            throw DynamoException.invalidParameter("AttributeValues inside AttributeValueList must be of same type");
        }
        for (AttributeValue value : values) {
            if (!allowedTypes(operator).contains(value.type())) {
                throw DynamoException.invalidParameter("ComparisonOperator " + operator + " is not valid for "
                        + value.type() + " AttributeValue type");
            }
        }
        if (operator == KeyOperator.BETWEEN && AttributeValueOrder.compare(values.get(0), values.get(1)) > 0) {
            throw DynamoException.validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
        return new KeyTerm(attribute, operator, values);
    }

    /** @throws DynamoException "Conditions can be of length 1 or 2 only" */
    public static void checkCount(List<KeyTerm> terms) {
        if (terms.size() != 1 && terms.size() != 2) {
            throw DynamoException.validation("Conditions can be of length 1 or 2 only");
        }
    }

    private static Set<AttributeType> allowedTypes(KeyOperator operator) {
        return switch (operator) {
            case EQ, NE -> SCALARS_AND_SETS;
            case BEGINS_WITH -> STRING_OR_BINARY;
            default -> SCALARS;
        };
    }
}
