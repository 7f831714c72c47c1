package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import io.eddy.model.query.QueryKeys;
import io.eddy.model.query.QuerySchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ExclusiveStartKey, decoded with DynamoDB's wording of its errors. */
final class StartKeys {
    private StartKeys() {}

    /**
     * DynamoDB prefixes most problems with a starting key's values with "The provided starting key
     * is invalid: ", but not these (number syntax and range, and some set problems).
     */
    private static final List<String> UNPREFIXED = List.of("The parameter cannot be converted", "Attempting to store",
            "Number overflow", "Number underflow", "Input collection", "One or more parameter values were invalid: Input collection",
            "One or more parameter values were invalid: An number set");

    static Optional<Map<String, AttributeValue>> read(RequestBody request) {
        if (request.node("ExclusiveStartKey") == null) return Optional.empty();
        AttributeValueJson.checkItemShape(request.node("ExclusiveStartKey"));
        try {
            return Optional.of(request.attributeMap("ExclusiveStartKey"));
        } catch (DynamoException e) {
            if (e.code() != ErrorCode.ValidationException || UNPREFIXED.stream().anyMatch(e.getMessage()::startsWith)) throw e;
            throw DynamoException.validation("The provided starting key is invalid: " + e.getMessage());
        }
    }

    /**
     * The starting key of a Scan must be a primary key of the table, and when scanning an index
     * ({@code ofIndex}), also hold the index's key attributes with their types, which are checked
     * first, with their own words ({@link QueryKeys#checkIndexStartKey}).
     */
    static void checkIsKeyOf(Map<String, AttributeValue> startKey, QuerySchema schema, boolean ofIndex) {
        if (ofIndex) QueryKeys.checkIndexStartKey(startKey, schema);
        KeySchema table = schema.tableKeys();
        try {
            if (startKey.size() != schema.startKeyNames().size()) {
                throw DynamoException.validation("The provided key element does not match the schema");
            }
            Map<String, AttributeValue> tableKey = new LinkedHashMap<>();
            for (Map.Entry<String, AttributeValue> attribute : startKey.entrySet()) {
                if (table.isKeyAttribute(attribute.getKey())) tableKey.put(attribute.getKey(), attribute.getValue());
            }
            ItemKeys.validateKey(tableKey, table);
            for (KeySchema.KeyAttribute attribute : schema.keyAttributes()) {
                AttributeValue value = startKey.get(attribute.name());
                if (value == null || value.type() != attribute.type()) {
                    throw DynamoException.validation("The provided key element does not match the schema");
                }
            }
        } catch (DynamoException e) {
            throw DynamoException.validation("The provided starting key is invalid: " + e.getMessage());
        }
    }
}
