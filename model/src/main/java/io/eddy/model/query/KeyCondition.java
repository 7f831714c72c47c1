package io.eddy.model.query;

import io.eddy.model.AttributeValue;
import java.util.Optional;

/**
 * What a Query reads: every item whose partition key equals {@code partitionKey}, narrowed by an
 * optional indexable condition on the sort key. It says nothing about storage: the key layout
 * turns it into one range of the sort order (of a table, or later of an index).
 */
public record KeyCondition(AttributeValue partitionKey, Optional<KeyTerm> sortKey) {

    public KeyCondition {
        if (sortKey.isPresent() && !sortKey.get().operator().indexable()) {
            throw new IllegalArgumentException("not an indexable sort key condition: " + sortKey.get());
        }
    }
}
