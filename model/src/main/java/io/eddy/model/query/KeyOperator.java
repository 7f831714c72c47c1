package io.eddy.model.query;

import io.eddy.model.expression.Comparator;
import java.util.List;

/**
 * The operators of a Query key condition, named as the legacy KeyConditions parameter names them
 * (its ComparisonOperator). KeyConditions accepts all thirteen on the wire; only the first seven
 * can be answered by a range of the sort order, and DynamoDB refuses the others once it looks at
 * the table ("Attempted conditional constraint is not an indexable operation").
 */
public enum KeyOperator {
    EQ(1), LE(1), LT(1), GE(1), GT(1), BEGINS_WITH(1), BETWEEN(2),
    NE(1), IN(-1), NULL(0), NOT_NULL(0), CONTAINS(1), NOT_CONTAINS(1);

    /** The wire names in the order DynamoDB lists them in its enum constraint message. */
    public static final List<String> WIRE_NAMES = List.of("IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT",
            "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS");

    /** How many values the operator takes; -1 for IN, which takes one or more. */
    private final int arity;

    KeyOperator(int arity) {
        this.arity = arity;
    }

    public boolean indexable() {
        return ordinal() <= BETWEEN.ordinal();
    }

    public boolean acceptsValueCount(int count) {
        return arity < 0 ? count >= 1 : count == arity;
    }

    /** The operator of a comparison in a condition; {@code <>} bounds no key range. */
    public static KeyOperator of(Comparator comparator) {
        return switch (comparator) {
            case EQ -> EQ;
            case LT -> LT;
            case LE -> LE;
            case GT -> GT;
            case GE -> GE;
            case NE -> throw new IllegalArgumentException("<> is not a key operator");
        };
    }

    /** The operator of {@code b op a} for {@code a op b}. */
    public KeyOperator mirrored() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            default -> this;
        };
    }
}
