package io.eddy.model.query;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.legacy.ComparisonArguments;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks DynamoDB makes on the legacy KeyConditions parameter before it looks at the table:
 * value counts, value types per operator and BETWEEN bounds, then that there is a condition. How
 * many more it may have is the key schema's matter ({@link QueryKeys#resolve}): one or two, or as
 * many as a multi-attribute global index key has.
 */
public final class LegacyKeyConditions {
    private LegacyKeyConditions() {}

    private static final Set<AttributeType> SCALARS_AND_SETS = EnumSet.of(AttributeType.S, AttributeType.N,
            AttributeType.B, AttributeType.SS, AttributeType.NS, AttributeType.BS);

    /**
     * One attribute's condition, its values already decoded.
     *
     * @throws DynamoException ValidationException for a wrong number of values, values of mixed
     *         types, a type the operator does not take, or BETWEEN bounds in the wrong order
     */
    public static KeyTerm term(String attribute, KeyOperator operator, List<AttributeValue> values) {
        ComparisonArguments.check(operator, values, allowedTypes(operator));
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
            case BEGINS_WITH -> ComparisonArguments.STRING_OR_BINARY;
            default -> ComparisonArguments.SCALARS;
        };
    }
}
