package io.eddy.model.expression;

import io.eddy.model.AttributeValue;

/**
 * The right-hand side of a SET action. Every path in it is read from the item as it was before
 * the update, so {@code SET a = :v, b = a} copies the old {@code a}.
 */
public sealed interface SetValue {

    /** {@code :value}; {@code placeholder} is kept for messages. */
    record Constant(String placeholder, AttributeValue value) implements SetValue {}

    /** A document path; the attribute must exist. */
    record Read(DocumentPath path) implements SetValue {}

    /** {@code if_not_exists(path, fallback)}: the value at {@code path}, or {@code fallback} when there is none. */
    record IfNotExists(DocumentPath path, SetValue fallback) implements SetValue {}

    /** {@code list_append(first, second)}: the elements of two lists, first's then second's. */
    record ListAppend(SetValue first, SetValue second) implements SetValue {}

    /** {@code left + right} on numbers. */
    record Plus(SetValue left, SetValue right) implements SetValue {}

    /** {@code left - right} on numbers. */
    record Minus(SetValue left, SetValue right) implements SetValue {}
}
