package io.eddy.model.expression;

import io.eddy.model.AttributeValue;

/**
 * One action of an update, on one document path. UpdateExpression's four clauses and the legacy
 * AttributeUpdates' three actions both become these.
 */
public sealed interface UpdateAction {

    /** The document path the action writes; no two actions of one update overlap. */
    DocumentPath path();

    /** SET (and AttributeUpdates PUT): replace the value at the path, appending to a list past its end. */
    record SetAction(DocumentPath path, SetValue value) implements UpdateAction {}

    /** REMOVE (and AttributeUpdates DELETE without a value): drop the value; later list elements move up. */
    record RemoveAction(DocumentPath path) implements UpdateAction {}

    /**
     * ADD: add a number to a number, or the members of a set to a set of the same type; creates the
     * attribute when it is absent. From AttributeUpdates, a list is appended to a list.
     */
    record AddAction(DocumentPath path, AttributeValue value) implements UpdateAction {}

    /** DELETE: remove the members of a set from a set of the same type; an emptied set is removed. */
    record DeleteAction(DocumentPath path, AttributeValue value) implements UpdateAction {}
}
