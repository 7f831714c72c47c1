package io.eddy.model.legacy;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;
import io.eddy.model.DynamoException;
import io.eddy.model.query.KeyOperator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks DynamoDB makes on the values of a legacy ComparisonOperator (KeyConditions,
 * Expected, QueryFilter, ScanFilter), in its order: how many, then value by value a type the
 * operator takes and the first value's type, and BETWEEN's bounds in order.
 */
public final class ComparisonArguments {
    private ComparisonArguments() {}

    public static final Set<AttributeType> SCALARS = EnumSet.of(AttributeType.S, AttributeType.N, AttributeType.B);
    public static final Set<AttributeType> STRING_OR_BINARY = EnumSet.of(AttributeType.S, AttributeType.B);
    public static final Set<AttributeType> ALL = EnumSet.allOf(AttributeType.class);
    /** What CONTAINS and NOT_CONTAINS look for: a scalar, also a BOOL or NULL (an element of a list). */
    private static final Set<AttributeType> ELEMENTS = EnumSet.of(AttributeType.S, AttributeType.N, AttributeType.B,
            AttributeType.BOOL, AttributeType.NULL);

    /**
     * The types each operator takes in conditions on items (Expected, QueryFilter, ScanFilter):
     * EQ and NE any type, lists and maps included; BEGINS_WITH strings and binaries; CONTAINS and
     * NOT_CONTAINS S, N, B, BOOL or NULL (DynamoDB Local's and the DAX client's checks, both
     * Amazon's, take BOOL and NULL, which a list can hold); the others S, N or B, never a set.
     */
    public static Set<AttributeType> conditionTypes(KeyOperator operator) {
        return switch (operator) {
            case EQ, NE, NULL, NOT_NULL -> ALL;
            case BEGINS_WITH -> STRING_OR_BINARY;
            case CONTAINS, NOT_CONTAINS -> ELEMENTS;
            default -> SCALARS;
        };
    }

    /**
     * @throws DynamoException ValidationException for a wrong number of values, values of mixed
     *         types, a type outside {@code allowed}, or BETWEEN bounds in the wrong order
     */
    public static void check(KeyOperator operator, List<AttributeValue> values, Set<AttributeType> allowed) {
        if (!operator.acceptsValueCount(values.size())) {
            throw DynamoException.invalidParameter("Invalid number of argument(s) for the " + operator + " ComparisonOperator");
        }
        // Value by value, its type first: [S, SS] for BETWEEN is "not valid for SS", not "of same type"
        // (dynalite's tests, recorded against DynamoDB; DynamoDB Local checks in this order too).
        for (AttributeValue value : values) {
            if (!allowed.contains(value.type())) {
                throw DynamoException.invalidParameter("ComparisonOperator " + operator + " is not valid for "
                        + value.type() + " AttributeValue type");
            }
            if (value.type() != values.get(0).type()) {
                throw DynamoException.invalidParameter("AttributeValues inside AttributeValueList must be of same type");
            }
        }
        if (operator == KeyOperator.BETWEEN && AttributeValueOrder.compare(values.get(0), values.get(1)) > 0) {
            throw DynamoException.validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
    }
}
