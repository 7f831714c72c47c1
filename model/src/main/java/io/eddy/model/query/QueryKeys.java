package io.eddy.model.query;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a Query's key conditions (and its ExclusiveStartKey) against the key schema it reads,
 * with DynamoDB's messages in DynamoDB's order: the starting key's shape, then, key attribute by
 * key attribute (partition key first), the starting key's value and the condition on it; then the
 * starting key as a whole, and last whether it lies where the conditions can reach.
 */
public final class QueryKeys {
    private QueryKeys() {}

    /**
     * @param terms      one or two conditions, as {@link KeyConditionExpressions} or
     *                   {@link LegacyKeyConditions} produce them
     * @param startKey   the ExclusiveStartKey, if any (its values already decoded)
     * @return the partition key value and the sort key condition to read
     * @throws DynamoException ValidationException when the conditions do not fit the schema or the
     *         starting key is invalid or out of the conditions' reach
     */
    public static KeyCondition resolve(List<KeyTerm> terms, KeySchema schema, Optional<Map<String, AttributeValue>> startKey) {
        int keyCount = schema.sortKey().isPresent() ? 2 : 1;
        if (startKey.isPresent() && startKey.get().size() != keyCount) throw invalidStartKey();

        KeySchema.KeyAttribute partition = schema.partitionKey();
        checkStartKeyPart(startKey, partition);
        if (schema.sortKey().isEmpty() && terms.size() > 1) throw notSupported();
        KeyTerm partitionTerm = find(terms, partition.name())
                .orElseThrow(() -> missedKeyElement(partition.name()));
        checkTerm(partitionTerm, partition);
        if (partitionTerm.operator() != KeyOperator.EQ) throw notSupported();

        Optional<KeyTerm> sortTerm = Optional.empty();
        if (schema.sortKey().isPresent()) {
            KeySchema.KeyAttribute sort = schema.sortKey().get();
            checkStartKeyPart(startKey, sort);
            sortTerm = find(terms, sort.name());
            if (sortTerm.isEmpty() && terms.size() > 1) throw missedKeyElement(sort.name());
            if (sortTerm.isPresent()) checkTerm(sortTerm.get(), sort);
        }

        AttributeValue partitionValue = partitionTerm.values().get(0);
        if (startKey.isPresent()) checkStartKeyInReach(startKey.get(), schema, partitionValue, sortTerm);
        return new KeyCondition(partitionValue, sortTerm);
    }

    private static void checkStartKeyPart(Optional<Map<String, AttributeValue>> startKey, KeySchema.KeyAttribute key) {
        if (startKey.isEmpty()) return;
        AttributeValue value = startKey.get().get(key.name());
        if (value == null) throw invalidStartKey();
        if (value.type() != key.type()) {
            throw DynamoException.validation("The provided key element does not match the schema");
        }
    }

    private static void checkTerm(KeyTerm term, KeySchema.KeyAttribute key) {
        if (!term.operator().indexable()) {
            throw DynamoException.validation("Attempted conditional constraint is not an indexable operation");
        }
        for (AttributeValue value : term.values()) {
            if (value.type() != key.type()) {
                throw DynamoException.invalidParameter("Condition parameter type does not match schema type");
            }
        }
        for (AttributeValue value : term.values()) {
            if (isEmpty(value)) {
                String what = value instanceof AttributeValue.StringValue ? "string" : "binary";
                throw DynamoException.validation("One or more parameter values are not valid. The AttributeValue for a key "
                        + "attribute cannot contain an empty " + what + " value. Key: " + key.name());
            }
        }
    }

    private static void checkStartKeyInReach(Map<String, AttributeValue> startKey, KeySchema schema,
                                             AttributeValue partitionValue, Optional<KeyTerm> sortTerm) {
        try {
            ItemKeys.validateKey(startKey, schema);
        } catch (DynamoException e) {
            throw DynamoException.validation("The provided starting key is invalid: " + e.getMessage());
        }
        boolean samePartition = startKey.get(schema.partitionKey().name()).equals(partitionValue);
        if (sortTerm.isEmpty()) {
            if (!samePartition) {
                throw DynamoException.validation(
                        "The provided starting key is outside query boundaries based on provided conditions");
            }
            return;
        }
        if (!sortTerm.get().matches(startKey.get(schema.sortKey().get().name()))) {
            throw DynamoException.validation("The provided starting key does not match the range key predicate");
        }
        if (!samePartition) {
            throw DynamoException.validation("The query can return at most one row and cannot be restarted");
        }
    }

    private static Optional<KeyTerm> find(List<KeyTerm> terms, String attribute) {
        return terms.stream().filter(t -> t.attribute().equals(attribute)).findFirst();
    }

    private static boolean isEmpty(AttributeValue value) {
        return (value instanceof AttributeValue.StringValue s && s.value().isEmpty())
                || (value instanceof AttributeValue.BinaryValue b && b.value().length() == 0);
    }

    private static DynamoException invalidStartKey() {
        return DynamoException.validation("The provided starting key is invalid");
    }

    private static DynamoException notSupported() {
        return DynamoException.validation("Query key condition not supported");
    }

    private static DynamoException missedKeyElement(String name) {
        return DynamoException.validation("Query condition missed key schema element: " + name);
    }
}
