package io.eddy.model.expression;

import java.util.List;

/**
 * A parsed ConditionExpression / FilterExpression: boolean structure over comparisons and the
 * condition functions. Built by {@link ConditionExpressionParser}, evaluated by
 * {@link ConditionEvaluator}.
 */
public sealed interface Condition {

    record Compare(Comparator comparator, Operand left, Operand right) implements Condition {}

    /** {@code value BETWEEN lower AND upper}, both bounds inclusive. */
    record Between(Operand value, Operand lower, Operand upper) implements Condition {}

    /** {@code value IN (candidates…)}. */
    record In(Operand value, List<Operand> candidates) implements Condition {
        public In {
            candidates = List.copyOf(candidates);
        }
    }

    record And(Condition left, Condition right) implements Condition {}

    record Or(Condition left, Condition right) implements Condition {}

    record Not(Condition condition) implements Condition {}

    record AttributeExists(DocumentPath path) implements Condition {}

    record AttributeNotExists(DocumentPath path) implements Condition {}

    /** {@code attribute_type(operand, :type)}; {@code type} names one of the ten types, e.g. "SS". */
    record AttributeTypeIs(Operand operand, Operand type) implements Condition {}

    record BeginsWith(Operand operand, Operand prefix) implements Condition {}

    record Contains(Operand container, Operand element) implements Condition {}
}
