package io.eddy.model.query;

import io.eddy.model.AttributeValue;
import java.util.List;
import java.util.Optional;

/**
 * What a Query reads: every item whose partition key equals {@code partitionKey}, whose first sort
 * key attributes equal {@code sortPrefix}, narrowed by an optional indexable condition on the next
 * sort key attribute. A table or a local index has one partition and at most one sort attribute, so
 * its prefix is empty; a global index with multi-attribute keys may have up to four of each. It says
 * nothing about storage: the key layout turns it into one range of the sort order.
 *
 * @param partitionKey the partition key attributes' values, in key-schema order
 * @param sortPrefix   the values of the sort key attributes the condition fixes by equality before
 *                     {@code sortKey}'s, in key-schema order
 */
public record KeyCondition(List<AttributeValue> partitionKey, List<AttributeValue> sortPrefix, Optional<KeyTerm> sortKey) {

    public KeyCondition {
        partitionKey = List.copyOf(partitionKey);
        sortPrefix = List.copyOf(sortPrefix);
        if (partitionKey.isEmpty()) throw new IllegalArgumentException("no partition key value");
        if (sortKey.isPresent() && !sortKey.get().operator().indexable()) {
            throw new IllegalArgumentException("not an indexable sort key condition: " + sortKey.get());
        }
    }

    /** A table's (or a single-attribute index's) condition: one partition key value, an optional sort condition. */
    public KeyCondition(AttributeValue partitionKey, Optional<KeyTerm> sortKey) {
        this(List.of(partitionKey), List.of(), sortKey);
    }
}
