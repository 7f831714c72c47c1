package io.eddy.model.query;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import io.eddy.model.KeySchema.KeyAttribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a Query's key conditions (and its ExclusiveStartKey) against the key schema it reads,
 * with DynamoDB's messages in DynamoDB's order: the starting key's shape, then, key attribute by
 * key attribute (partition key first), the starting key's value and the condition on it; then the
 * starting key as a whole, and last whether it lies where the conditions can reach.
 *
 * <p>A global index with multi-attribute keys takes an equality on every partition attribute and
 * conditions on a prefix of its sort attributes, equalities but for the last one named.
 */
public final class QueryKeys {
    private QueryKeys() {}

    /** A table's Query; see {@link #resolve(List, QuerySchema, Optional)}. */
    public static KeyCondition resolve(List<KeyTerm> terms, KeySchema schema, Optional<Map<String, AttributeValue>> startKey) {
        return resolve(terms, QuerySchema.of(schema), startKey);
    }

    /**
     * @param terms      one or more conditions, as {@link KeyConditionExpressions} or
     *                   {@link LegacyKeyConditions} produce them
     * @param startKey   the ExclusiveStartKey, if any (its values already decoded)
     * @return the partition key value and the sort key condition to read
     * @throws DynamoException ValidationException when the conditions do not fit the schema or the
     *         starting key is invalid or out of the conditions' reach
     */
    public static KeyCondition resolve(List<KeyTerm> terms, QuerySchema schema, Optional<Map<String, AttributeValue>> startKey) {
        if (!schema.multiAttribute()) LegacyKeyConditions.checkCount(terms);
        if (startKey.isPresent() && startKey.get().size() != schema.startKeyNames().size()) throw invalidStartKey();
        return schema.multiAttribute() ? resolveMultiAttribute(terms, schema, startKey) : resolveSingle(terms, schema, startKey);
    }

    /**
     * A KeyConditionExpression names at most as many conditions as the schema it reads has key
     * attributes; DynamoDB counts before it matches names (captured in 2026: three conditions on a
     * two-attribute key, two on a partition key alone). Legacy KeyConditions keep their own count
     * ({@link LegacyKeyConditions#checkCount}).
     */
    public static void checkExpressionConditionCount(List<KeyTerm> terms, QuerySchema schema) {
        int keyAttributes = schema.keyAttributes().size();
        if (terms.size() > keyAttributes) {
            throw DynamoException.validation("The number of query conditions (" + terms.size()
                    + ") exceeds the number of key attributes defined in the schema (" + keyAttributes + ")");
        }
    }

    /** One partition attribute and at most one sort attribute: a table, a local index, most global ones. */
    private static KeyCondition resolveSingle(List<KeyTerm> terms, QuerySchema schema, Optional<Map<String, AttributeValue>> startKey) {
        KeyAttribute partition = schema.partitionKeys().get(0);
        Optional<KeyAttribute> sort = schema.sortKeys().stream().findFirst();
        checkStartKeyPart(startKey, partition, true);
        if (sort.isEmpty() && terms.size() > 1) throw notSupported();
        KeyTerm partitionTerm = find(terms, partition.name())
                .orElseThrow(() -> missedKeyElement(partition.name()));
        checkTerm(partitionTerm, partition);
        if (partitionTerm.operator() != KeyOperator.EQ) throw notSupported();

        Optional<KeyTerm> sortTerm = Optional.empty();
        if (sort.isPresent()) {
            checkStartKeyPart(startKey, sort.get(), false);
            sortTerm = find(terms, sort.get().name());
            if (sortTerm.isEmpty() && terms.size() > 1) throw missedKeyElement(sort.get().name());
            if (sortTerm.isPresent()) checkTerm(sortTerm.get(), sort.get());
        }

        KeyCondition condition = new KeyCondition(partitionTerm.values().get(0), sortTerm);
        if (startKey.isPresent()) checkStartKeyInReach(startKey.get(), schema, condition);
        return condition;
    }

    /**
     * Up to four partition and four sort attributes: every partition attribute by equality, then the
     * sort attributes left to right without a gap, each by equality but the last one named.
     */
    private static KeyCondition resolveMultiAttribute(List<KeyTerm> terms, QuerySchema schema,
                                                      Optional<Map<String, AttributeValue>> startKey) {
        List<AttributeValue> partitionValues = new ArrayList<>();
        for (KeyAttribute partition : schema.partitionKeys()) {
            checkStartKeyPart(startKey, partition, true);
            KeyTerm term = find(terms, partition.name()).orElseThrow(() -> missedKeyElement(partition.name()));
            checkTerm(term, partition);
            if (term.operator() != KeyOperator.EQ) throw notSupported();
            partitionValues.add(term.values().get(0));
        }
        int last = -1;
        for (int i = 0; i < schema.sortKeys().size(); i++) {
            KeyAttribute sort = schema.sortKeys().get(i);
            checkStartKeyPart(startKey, sort, false);
            Optional<KeyTerm> term = find(terms, sort.name());
            if (term.isPresent()) {
                checkTerm(term.get(), sort);
                last = i;
            }
        }
        for (KeyTerm term : terms) {
            if (!schema.isKeyAttribute(term.attribute())) {
                throw schema.sortKeys().stream().filter(sort -> find(terms, sort.name()).isEmpty()).findFirst()
                        .map(sort -> missedKeyElement(sort.name())).orElseGet(QueryKeys::notSupported);
            }
        }
        List<String> lacking = new ArrayList<>();
        List<AttributeValue> sortPrefix = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            Optional<KeyTerm> term = find(terms, schema.sortKeys().get(i).name());
            if (term.isEmpty() || term.get().operator() != KeyOperator.EQ) lacking.add(schema.sortKeys().get(i).name());
            else sortPrefix.add(term.get().values().get(0));
        }
        if (!lacking.isEmpty()) {
            throw DynamoException.validation("RANGE key attributes " + String.join(", ", lacking) + " must have equality "
                    + "conditions specified in the query because a condition is present on key attribute "
                    + schema.sortKeys().get(last).name());
        }
        Optional<KeyTerm> lastTerm = last < 0 ? Optional.empty() : find(terms, schema.sortKeys().get(last).name());
        KeyCondition condition = new KeyCondition(partitionValues, sortPrefix, lastTerm);
        if (startKey.isPresent()) checkStartKeyInReach(startKey.get(), schema, condition);
        return condition;
    }

    /**
     * A starting key's value of a key attribute: present, and of the attribute's type. A partition
     * value of another type is an invalid starting key (a 2026 test suite run against DynamoDB), a
     * sort value one that does not match the schema (dynalite's tests, recorded against it).
     */
    private static void checkStartKeyPart(Optional<Map<String, AttributeValue>> startKey, KeyAttribute key, boolean partition) {
        if (startKey.isEmpty()) return;
        AttributeValue value = startKey.get().get(key.name());
        if (value == null) throw invalidStartKey();
        if (value.type() != key.type()) {
            throw partition ? invalidStartKey() : DynamoException.validation("The provided key element does not match the schema");
        }
    }

    private static void checkTerm(KeyTerm term, KeyAttribute key) {
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

    /**
     * The starting key as a whole (the table's key in it valid, the index's key values not empty),
     * then within the conditions' reach: the same partition, and a sort key the conditions accept.
     */
    private static void checkStartKeyInReach(Map<String, AttributeValue> startKey, QuerySchema schema, KeyCondition condition) {
        try {
            ItemKeys.validateKey(tableKeyOf(startKey, schema.tableKeys()), schema.tableKeys());
            for (KeyAttribute attribute : schema.keyAttributes()) {
                AttributeValue value = startKey.get(attribute.name());
                // Worded as the table's key values are (ItemKeys.validateKey).
                if (isEmpty(value)) throw DynamoException.validation("One or more parameter values are not valid. "
                        + emptyKeyDetail(value, attribute.name()));
            }
        } catch (DynamoException e) {
            throw DynamoException.validation("The provided starting key is invalid: " + e.getMessage());
        }
        boolean samePartition = true;
        for (int i = 0; i < schema.partitionKeys().size(); i++) {
            samePartition &= startKey.get(schema.partitionKeys().get(i).name()).equals(condition.partitionKey().get(i));
        }
        for (int i = 0; i < condition.sortPrefix().size(); i++) {
            if (!startKey.get(schema.sortKeys().get(i).name()).equals(condition.sortPrefix().get(i))) throw notMatchingRange();
        }
        if (condition.sortKey().isEmpty()) {
            if (!samePartition) {
                throw DynamoException.validation(
                        "The provided starting key is outside query boundaries based on provided conditions");
            }
            return;
        }
        KeyTerm sortTerm = condition.sortKey().get();
        if (!sortTerm.matches(startKey.get(sortTerm.attribute()))) throw notMatchingRange();
        if (!samePartition) {
            throw DynamoException.validation("The query can return at most one row and cannot be restarted");
        }
    }

    /** The table key attributes of a starting key (all of it when reading the table itself). */
    private static Map<String, AttributeValue> tableKeyOf(Map<String, AttributeValue> startKey, KeySchema table) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        String partition = table.partitionKey().name();
        if (startKey.containsKey(partition)) key.put(partition, startKey.get(partition));
        table.sortKey().ifPresent(sort -> {
            if (startKey.containsKey(sort.name())) key.put(sort.name(), startKey.get(sort.name()));
        });
        return key;
    }

    private static Optional<KeyTerm> find(List<KeyTerm> terms, String attribute) {
        return terms.stream().filter(t -> t.attribute().equals(attribute)).findFirst();
    }

    private static boolean isEmpty(AttributeValue value) {
        return (value instanceof AttributeValue.StringValue s && s.value().isEmpty())
                || (value instanceof AttributeValue.BinaryValue b && b.value().length() == 0);
    }

    private static String emptyKeyDetail(AttributeValue value, String name) {
        String what = value instanceof AttributeValue.StringValue ? "string" : "binary";
        return "The AttributeValue for a key attribute cannot contain an empty " + what + " value. Key: " + name;
    }

    /**
     * The part of a Scan's starting key that reads an index, checked as a Query's is: as many
     * attributes as a LastEvaluatedKey of the index has ("The provided starting key is invalid"
     * otherwise), each of the index's key attributes among them (the same) with its type ("The
     * provided key element does not match the schema", unprefixed), in DynamoDB's words (dynalite's
     * tests, recorded against it). The table's key in it is checked after.
     */
    public static void checkIndexStartKey(Map<String, AttributeValue> startKey, QuerySchema schema) {
        if (startKey.size() != schema.startKeyNames().size()) throw invalidStartKey();
        for (KeyAttribute key : schema.keyAttributes()) checkStartKeyPart(Optional.of(startKey), key, false);
    }

    private static DynamoException invalidStartKey() {
        return DynamoException.validation("The provided starting key is invalid");
    }

    private static DynamoException notMatchingRange() {
        return DynamoException.validation("The provided starting key does not match the range key predicate");
    }

    private static DynamoException notSupported() {
        return DynamoException.validation("Query key condition not supported");
    }

    private static DynamoException missedKeyElement(String name) {
        return DynamoException.validation("Query condition missed key schema element: " + name);
    }
}
