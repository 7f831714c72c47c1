package io.eddy.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks of primary keys against a table's {@link KeySchema}, with DynamoDB's messages. The two
 * entry points differ the way DynamoDB does: an item (PutItem) names what is wrong, a {@code Key}
 * parameter (GetItem, DeleteItem, UpdateItem) only says it does not match the schema. The empty
 * key messages also differ in wording between the two, as they do in DynamoDB.
 */
public final class ItemKeys {
    private ItemKeys() {}

    public static final int MAX_PARTITION_KEY_BYTES = 2048;
    public static final int MAX_SORT_KEY_BYTES = 1024;

    /**
     * The key attributes of an item to be written, partition key first.
     *
     * @throws DynamoException ValidationException for a missing key attribute, a key of the wrong
     *         type, an empty S or B key or a key over its size limit
     */
    public static Map<String, AttributeValue> keyOfItem(Map<String, AttributeValue> item, KeySchema schema) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyPart part : parts(schema)) {
            AttributeValue value = item.get(part.attribute.name());
            if (value == null) {
                throw DynamoException.invalidParameter("Missing the key " + part.attribute.name() + " in the item");
            }
            if (value.type() != part.attribute.type()) {
                throw DynamoException.invalidParameter("Type mismatch for key " + part.attribute.name()
                        + " expected: " + part.attribute.type() + " actual: " + value.type());
            }
            if (isEmpty(value)) {
                throw DynamoException.validation("One or more parameter values are not valid. "
                        + emptyKeyDetail(value, part.attribute.name()));
            }
            checkKeySize(value, part.partition);
            key.put(part.attribute.name(), value);
        }
        return key;
    }

    /**
     * Validates a {@code Key} request parameter (of an item operation, a batch or a transaction)
     * and returns it ordered partition key first. An empty key value is worded as in an item
     * ("One or more parameter values are not valid. …"), as DynamoDB words it everywhere
     * (captured from the service in 2026 for GetItem, DeleteItem, UpdateItem, the batches and
     * the transactions).
     *
     * @throws DynamoException "The provided key element does not match the schema" for a wrong
     *         attribute count, names or types; the empty-key and key-size errors otherwise
     */
    public static Map<String, AttributeValue> validateKey(Map<String, AttributeValue> key, KeySchema schema) {
        List<KeyPart> parts = parts(schema);
        if (key.size() != parts.size()) throw doesNotMatchSchema();
        Map<String, AttributeValue> ordered = new LinkedHashMap<>();
        for (KeyPart part : parts) {
            AttributeValue value = key.get(part.attribute.name());
            if (value == null || value.type() != part.attribute.type()) throw doesNotMatchSchema();
            if (isEmpty(value)) {
                throw DynamoException.validation("One or more parameter values are not valid. " + emptyKeyDetail(value, part.attribute.name()));
            }
            checkKeySize(value, part.partition);
            ordered.put(part.attribute.name(), value);
        }
        return ordered;
    }

    /**
     * Whether {@code refusal} (from {@link #keyOfItem} or {@link #validateKey}) is one a transaction
     * reports as its action's ValidationError cancellation reason: the key does not fit the table's
     * schema (an attribute missing, extra or of the wrong type) or a value is too long (a 2026 test
     * suite run against DynamoDB). An empty value fails the whole request with a ValidationException.
     */
    public static boolean cancelsTransaction(DynamoException refusal) {
        String message = refusal.getMessage();
        return message.equals(DOES_NOT_MATCH_SCHEMA)
                || message.startsWith("One or more parameter values were invalid: Missing the key ")
                || message.startsWith("One or more parameter values were invalid: Type mismatch for key ")
                || message.endsWith(PARTITION_KEY_TOO_LONG) || message.endsWith(SORT_KEY_TOO_LONG);
    }

    /**
     * Checks the values a write gives the key attributes of the table's secondary indexes: each
     * must have the type of its attribute definition and must not be empty (an item without the
     * attribute is fine: it is simply not in the index). With {@code before}, an update's, only
     * attributes whose value the write changes are checked, so an item that predates an index
     * keeps being updatable; a Put gives no {@code before}: it writes every value it gives.
     *
     * @param before the item as it was (empty when new)
     * @throws DynamoException ValidationException naming the index and the attribute
     */
    public static void checkIndexKeys(Map<String, AttributeValue> item, Optional<Map<String, AttributeValue>> before,
                                      TableMetadata table) {
        checkIndexKeys(item, before, table, false, false);
    }

    /**
     * As {@link #checkIndexKeys}, for an item loaded into a new table (ImportTable), whose global
     * indexes are CREATING while it loads but hold its items to their keys as ACTIVE ones do.
     */
    public static void checkIndexKeysOfLoadedItem(Map<String, AttributeValue> item, TableMetadata table) {
        checkIndexKeys(item, Optional.empty(), table, false, true);
    }

    /**
     * As {@link #checkIndexKeys}, for the item an update (UpdateItem, a transaction's Update)
     * leaves: DynamoDB words an empty index key value there without naming the index or the key.
     */
    public static void checkUpdatedIndexKeys(Map<String, AttributeValue> item, Optional<Map<String, AttributeValue>> before,
                                             TableMetadata table) {
        checkIndexKeys(item, before, table, true, false);
    }

    private static void checkIndexKeys(Map<String, AttributeValue> item, Optional<Map<String, AttributeValue>> before,
                                       TableMetadata table, boolean byUpdate, boolean loading) {
        for (SecondaryIndex index : table.options().indexesGlobalFirst()) checkIndexKey(item, before, index, byUpdate, loading);
        for (VectorIndex index : table.options().vectorIndexes()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            AttributeValue vector = changed(item, before, index.vectorAttribute());
            if (vector != null) index.checkVector(vector);
            // The search schema's attributes are typed by their definitions, as an index key is.
            for (VectorIndex.SearchAttribute attribute : index.searchSchema()) {
                AttributeValue value = changed(item, before, attribute.name());
                if (value == null) continue;
                checkType(attribute.name(), table.definedType(attribute.name()).orElse(value.type()), value, index.name());
                // The HASH attribute is a key of the index, worded as a secondary index's (captured, 2026),
                // and as long as a partition key may be (not documented: the index is partitioned by it).
                if (attribute.type() == VectorIndex.SearchAttributeType.HASH) {
                    if (isEmpty(value)) throw emptyIndexKey(value, index.name(), attribute.name(), byUpdate);
                    checkKeySize(attribute.name(), value, MAX_PARTITION_KEY_BYTES, index.name());
                }
            }
        }
    }

    private static void checkIndexKey(Map<String, AttributeValue> item, Optional<Map<String, AttributeValue>> before,
                                      SecondaryIndex index, boolean byUpdate, boolean loading) {
        if (index.status() == SecondaryIndex.Status.DELETING) return;
        for (KeySchema.KeyAttribute attribute : index.keyAttributes()) {
            AttributeValue value = changed(item, before, attribute.name());
            if (value == null) continue;
            // An item whose value is of another type is left out of the index.
            if (!loading && backfilling(index) && value.type() != attribute.type()) continue;
            checkType(attribute.name(), attribute.type(), value, index.name());
            if (isEmpty(value)) throw emptyIndexKey(value, index.name(), attribute.name(), byUpdate);
            checkKeySize(attribute.name(), value, index.maxKeyBytes(attribute), index.name());
        }
    }

    private static void checkKeySize(String attribute, AttributeValue value, int max, String indexName) {
        long bytes = keyBytes(value);
        if (bytes > max) {
            throw DynamoException.invalidParameter("Size limit exceeded for Index Key " + attribute + " Actual Size: " + bytes
                    + " bytes Max Size: " + max + " bytes IndexName: " + indexName);
        }
    }

    /**
     * Checks only for empty values given to index key attributes (of the attribute's type), which
     * fail a transaction as a whole where the other index key problems cancel its action. {@code
     * values} are what the action writes: a Put's item, an Update's constant values of top-level
     * attributes.
     */
    public static void checkNoEmptyIndexKeys(Map<String, AttributeValue> values, TableMetadata table, boolean byUpdate) {
        for (SecondaryIndex index : table.options().indexesGlobalFirst()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            for (KeySchema.KeyAttribute attribute : index.keyAttributes()) {
                AttributeValue value = values.get(attribute.name());
                if (value != null && value.type() == attribute.type() && isEmpty(value)) {
                    throw emptyIndexKey(value, index.name(), attribute.name(), byUpdate);
                }
            }
        }
        for (VectorIndex index : table.options().vectorIndexes()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            for (VectorIndex.SearchAttribute attribute : index.searchSchema()) {
                AttributeValue value = values.get(attribute.name());
                if (attribute.type() == VectorIndex.SearchAttributeType.HASH && value != null
                        && table.definedType(attribute.name()).map(type -> type == value.type()).orElse(true) && isEmpty(value)) {
                    throw emptyIndexKey(value, index.name(), attribute.name(), byUpdate);
                }
            }
        }
    }

    /**
     * Whether a global index is being backfilled (CREATING), when DynamoDB takes a write whose
     * value is of another type than the new key's and leaves the item out of the index; it refuses
     * such writes once the backfill is complete. Eddy still refuses an empty or too long value
     * then, which its index would hold rather than leave out.
     */
    private static boolean backfilling(SecondaryIndex index) {
        return index.status() == SecondaryIndex.Status.CREATING;
    }

    private static DynamoException emptyIndexKey(AttributeValue value, String indexName, String attribute, boolean byUpdate) {
        return DynamoException.validation(byUpdate ? emptyUpdatedIndexKey(value)
                : "One or more parameter values are not valid. A value specified for a "
                + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an "
                + "empty " + emptyKind(value) + " value. IndexName: " + indexName + ", IndexKey: " + attribute);
    }

    /** The value the write gives {@code attribute}, when it gives one the item did not have already; null otherwise. */
    private static AttributeValue changed(Map<String, AttributeValue> item, Optional<Map<String, AttributeValue>> before, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || before.map(old -> value.equals(old.get(attribute))).orElse(false) ? null : value;
    }

    private static void checkType(String attribute, AttributeType expected, AttributeValue value, String indexName) {
        if (value.type() != expected) {
            throw DynamoException.invalidParameter("Type mismatch for Index Key " + attribute + " Expected: " + expected
                    + " Actual: " + value.type() + " IndexName: " + indexName);
        }
    }

    private static String emptyUpdatedIndexKey(AttributeValue value) {
        return "One or more parameter values are not valid. The update expression attempted to update a secondary index key "
                + "to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty "
                + emptyKind(value) + " value.";
    }

    private static String emptyKind(AttributeValue value) {
        return value.type() == AttributeType.S ? "string" : "binary";
    }

    /** @throws DynamoException "Item size has exceeded the maximum allowed size" above 400 KB */
    public static void checkItemSize(Map<String, AttributeValue> item) {
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_SIZE) {
            throw DynamoException.validation("Item size has exceeded the maximum allowed size");
        }
    }

    private record KeyPart(KeySchema.KeyAttribute attribute, boolean partition) {}

    private static List<KeyPart> parts(KeySchema schema) {
        KeyPart partition = new KeyPart(schema.partitionKey(), true);
        return schema.sortKey().map(sort -> List.of(partition, new KeyPart(sort, false))).orElse(List.of(partition));
    }

    private static final String DOES_NOT_MATCH_SCHEMA = "The provided key element does not match the schema";

    private static DynamoException doesNotMatchSchema() {
        return DynamoException.validation(DOES_NOT_MATCH_SCHEMA);
    }

    private static boolean isEmpty(AttributeValue value) {
        return (value instanceof AttributeValue.StringValue s && s.value().isEmpty())
                || (value instanceof AttributeValue.BinaryValue b && b.value().length() == 0);
    }

    private static String emptyKeyDetail(AttributeValue value, String name) {
        String what = value.type() == AttributeType.S ? "string" : "binary";
        return "The AttributeValue for a key attribute cannot contain an empty " + what + " value. Key: " + name;
    }

    /** The bytes a key value counts against its limit; numbers are bounded by their 38 digits, so only S and B keys can be too long. */
    static long keyBytes(AttributeValue value) {
        return switch (value.type()) {
            case S -> ItemSize.utf8Length(((AttributeValue.StringValue) value).value());
            case B -> ((AttributeValue.BinaryValue) value).value().length();
            default -> 0;
        };
    }

    // DynamoDB's message really lacks the space in "of2048".
    private static final String PARTITION_KEY_TOO_LONG = "Size of hashkey has exceeded the maximum size limit of2048 bytes";
    private static final String SORT_KEY_TOO_LONG = "Aggregated size of all range keys has exceeded the size limit of 1024 bytes";

    private static void checkKeySize(AttributeValue value, boolean partition) {
        long size = keyBytes(value);
        if (partition && size > MAX_PARTITION_KEY_BYTES) {
            throw DynamoException.invalidParameter(PARTITION_KEY_TOO_LONG);
        }
        if (!partition && size > MAX_SORT_KEY_BYTES) throw DynamoException.invalidParameter(SORT_KEY_TOO_LONG);
    }
}
