package io.eddy.model.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemSize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all the
 * expressions of that request. Parsers resolve {@code #name} and {@code :value} placeholders
 * through it, which marks them used; after every expression is parsed, {@link #checkAllUsed()}
 * refuses placeholders no expression used, as DynamoDB does.
 *
 * <p>DynamoDB checks a request in this order, which callers should keep:
 * {@link #checkEnvelope} (expression vs. legacy parameters), then the item/key values, then this
 * class's construction (empty maps, malformed placeholders, bad values), then the expressions in
 * the order UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression,
 * ProjectionExpression, then {@link #checkAllUsed()}.
 *
 * <p>Not thread-safe: one instance per request.
 */
public final class ExpressionAttributes {
    private static final Pattern NAME_KEY = Pattern.compile("#[0-9a-zA-Z_]+");
    private static final Pattern VALUE_KEY = Pattern.compile(":[0-9a-zA-Z_]+");
    /** The longest placeholder, prefix included, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 255;
    /** The most all substitutions together may take: names and values, placeholders included. */
    static final long MAX_SUBSTITUTION_BYTES = 2L * 1024 * 1024;

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /**
     * @param names  ExpressionAttributeNames, or null when the request has none
     * @param values ExpressionAttributeValues, or null when the request has none
     * @throws DynamoException ValidationException for an empty map, a malformed or too long
     *         placeholder, or substitutions over 2 MB together
     */
    public ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values) {
        checkKeys("ExpressionAttributeNames", names, NAME_KEY);
        checkNamesNotEmpty(names);
        checkKeys("ExpressionAttributeValues", values, VALUE_KEY);
        checkSubstitutionSize(names, values);
        this.names = names == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(names));
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** For requests without ExpressionAttributeNames or ExpressionAttributeValues. */
    public static ExpressionAttributes none() {
        return new ExpressionAttributes(null, null);
    }

    /**
     * Builds from the request's JSON members (either may be null or JSON null), with DynamoDB's
     * errors in DynamoDB's order: SerializationException for a non-string name or a malformed
     * value, then the key checks of the constructor, then ValidationException
     * "ExpressionAttributeValues contains invalid value: <problem> for key :v" for a bad value (the
     * older request layer's words; the newer one gives the problem alone).
     */
    public static ExpressionAttributes fromJson(JsonNode namesNode, JsonNode valuesNode) {
        boolean hasNames = namesNode != null && !namesNode.isNull();
        boolean hasValues = valuesNode != null && !valuesNode.isNull();
        checkShapes(namesNode, valuesNode);

        Map<String, String> names = null;
        if (hasNames) {
            names = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : namesNode.properties()) {
                names.put(entry.getKey(), entry.getValue().isNull() ? null : entry.getValue().textValue());
            }
        }
        Map<String, AttributeValue> placeholderOnly = null;
        if (hasValues) {
            // Key checks come before value checks, so validate the keys against a stand-in map first.
            placeholderOnly = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : valuesNode.properties()) {
                placeholderOnly.put(entry.getKey(), AttributeValue.NullValue.INSTANCE);
            }
        }
        new ExpressionAttributes(names, placeholderOnly);

        Map<String, AttributeValue> values = null;
        if (hasValues) {
            values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : valuesNode.properties()) {
                try {
                    values.put(entry.getKey(), AttributeValueJson.readOperand(entry.getValue()));
                } catch (DynamoException e) {
                    throw e.inOlderContext("ExpressionAttributeValues contains invalid value: ", " for key " + entry.getKey());
                }
            }
        }
        return new ExpressionAttributes(names, values);
    }

    /**
     * The JSON types of ExpressionAttributeNames and ExpressionAttributeValues (either may be null
     * or JSON null): a SerializationException, which DynamoDB answers before any validation, as it
     * reads the whole request before it checks it (dynalite's tests, recorded against it: a value
     * of the wrong type in ExpressionAttributeValues is told so even where no expression allows
     * them).
     */
    public static void checkShapes(JsonNode namesNode, JsonNode valuesNode) {
        if (namesNode != null && !namesNode.isNull()) checkNamesShape(namesNode);
        if (valuesNode != null && !valuesNode.isNull()) AttributeValueJson.checkItemShape(valuesNode);
    }

    /**
     * The checks DynamoDB makes on a request's expression parameters before looking at them.
     *
     * @param expressionParameters    the expression parameters present in the request, e.g.
     *                                ["ConditionExpression"], in the operation's documented order
     * @param nonExpressionParameters the legacy parameters present, e.g. ["Expected"]; for Query,
     *                                leave KeyConditions out when KeyConditionExpression is absent,
     *                                since DynamoDB allows it next to FilterExpression
     * @param hasNames                whether ExpressionAttributeNames is present (even if empty)
     * @param hasValues               whether ExpressionAttributeValues is present (even if empty)
     */
    public static void checkEnvelope(List<String> expressionParameters, List<String> nonExpressionParameters,
                                     boolean hasNames, boolean hasValues) {
        if (!expressionParameters.isEmpty() && !nonExpressionParameters.isEmpty()) {
            throw DynamoException.validation("Can not use both expression and non-expression parameters in the same request: "
                    + "Non-expression parameters: {" + String.join(", ", nonExpressionParameters) + "} "
                    + "Expression parameters: {" + String.join(", ", expressionParameters) + "}");
        }
        if (hasNames && expressionParameters.isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        // A ProjectionExpression cannot refer to values, so it alone does not allow them.
        boolean valueUsingExpression = expressionParameters.stream().anyMatch(p -> !p.equals("ProjectionExpression"));
        if (hasValues && !valueUsingExpression) {
            // DynamoDB's words differ between regions and over 2026: ": ConditionExpression is null" (PutItem; "…:
            // UpdateExpression and ConditionExpression are null" for UpdateItem, "…: FilterExpression is null" for Scan) was
            // appended in us-east-1 until mid-2026, and is no more there or in eu-west-2 (the conformance suite's captures).
            throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
    }

    /** The attribute name {@code placeholder} (e.g. "#a") stands for, marking it used. */
    public Optional<String> name(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) usedNames.add(placeholder);
        return Optional.ofNullable(name);
    }

    /** The value {@code placeholder} (e.g. ":v") stands for, marking it used. */
    public Optional<AttributeValue> value(String placeholder) {
        AttributeValue value = values.get(placeholder);
        if (value != null) usedValues.add(placeholder);
        return Optional.ofNullable(value);
    }

    /**
     * @throws DynamoException "Value provided in ExpressionAttributeNames unused in expressions:
     *         keys: {#a, #b}" (names first), likewise for values
     */
    public void checkAllUsed() {
        List<String> unusedNames = unused(names.keySet(), usedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = unused(values.keySet(), usedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    private static List<String> unused(Set<String> defined, Set<String> used) {
        List<String> unused = new ArrayList<>();
        for (String key : defined) {
            if (!used.contains(key)) unused.add(key);
        }
        return unused;
    }

    private static void checkKeys(String parameter, Map<String, ?> map, Pattern syntax) {
        if (map == null) return;
        if (map.isEmpty()) throw DynamoException.validation(parameter + " must not be empty");
        for (String key : map.keySet()) {
            // Length before syntax, as DynamoDB does; its message gives the size for names only.
            long bytes = ItemSize.utf8Length(key);
            if (bytes > MAX_KEY_BYTES) {
                throw DynamoException.validation(parameter + " contains invalid key: The expression attribute map contains a key that is too long;"
                        + (syntax == NAME_KEY ? " size of key: " + bytes : ""));
            }
            if (!syntax.matcher(key).matches()) {
                throw DynamoException.validation(parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
    }

    private static void checkNamesNotEmpty(Map<String, String> names) {
        if (names == null) return;
        for (Map.Entry<String, String> entry : names.entrySet()) {
            if ("".equals(entry.getValue())) {
                throw DynamoException.validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key "
                        + entry.getKey());
            }
            ItemSize.checkAttributeName(entry.getValue());
        }
    }

    /**
     * DynamoDB's limit on all substitutions of a request: each placeholder with the name or the
     * value it stands for (a value counts its size as an attribute, as in an item).
     */
    private static void checkSubstitutionSize(Map<String, String> names, Map<String, AttributeValue> values) {
        long namesBytes = 0;
        if (names != null) {
            for (Map.Entry<String, String> entry : names.entrySet()) {
                namesBytes += ItemSize.utf8Length(entry.getKey()) + (entry.getValue() == null ? 0 : ItemSize.utf8Length(entry.getValue()));
            }
        }
        if (namesBytes > MAX_SUBSTITUTION_BYTES) throw DynamoException.validation("ExpressionAttributeNames exceeds max size");
        long valuesBytes = 0;
        if (values != null) {
            for (Map.Entry<String, AttributeValue> entry : values.entrySet()) {
                valuesBytes += ItemSize.utf8Length(entry.getKey()) + ItemSize.of(entry.getValue());
            }
        }
        if (valuesBytes > MAX_SUBSTITUTION_BYTES) throw DynamoException.validation("ExpressionAttributeValues exceeds max size");
        if (namesBytes + valuesBytes > MAX_SUBSTITUTION_BYTES) {
            throw DynamoException.validation("Combined size of ExpressionAttributeNames and ExpressionAttributeValues exceeds max size");
        }
    }

    private static void checkNamesShape(JsonNode namesNode) {
        if (namesNode.isArray()) {
            throw DynamoException.serialization(
                    "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>");
        }
        if (!namesNode.isObject()) throw DynamoException.serialization("Unexpected field type");
        for (JsonNode name : namesNode) AttributeValueJson.checkStringShape(name);
    }
}
