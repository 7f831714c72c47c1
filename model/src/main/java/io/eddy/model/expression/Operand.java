package io.eddy.model.expression;

import io.eddy.model.AttributeValue;

/**
 * Something an expression compares or passes to a function: a document path into the item, a
 * value from ExpressionAttributeValues, or {@code size(…)} of another operand. UpdateExpression
 * operands (if_not_exists, list_append, + and -) are {@link SetValue}s: they fail where a
 * condition's operands are merely absent.
 */
public sealed interface Operand permits Operand.Path, Operand.Value, Operand.Size {

    record Path(DocumentPath path) implements Operand {}

    /** {@code placeholder} is the {@code :name} it was written as, kept for messages; null for a legacy parameter's value. */
    record Value(String placeholder, AttributeValue value) implements Operand {}

    record Size(Operand of) implements Operand {}
}
