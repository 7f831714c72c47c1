package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.AttributeValueShapes;
import io.eddy.model.DynamoException;
import io.eddy.model.expression.ExpressionAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the fields of a request's JSON body. A field of the wrong JSON type is a
 * SerializationException, as DynamoDB's front end answers before any validation; an absent or
 * null field reads as Java null.
 */
final class RequestBody {

    private final JsonNode root;

    RequestBody(JsonNode root) {
        this.root = root;
    }

    JsonNode node(String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node;
    }

    String string(String field) {
        return asString(node(field));
    }

    static String asString(JsonNode node) {
        if (node == null) return null;
        if (node.isTextual()) return node.textValue();
        throw mismatch(node, "String", "class java.lang.String");
    }

    Boolean bool(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (node.isBoolean()) return node.booleanValue();
        throw mismatch(node, "Boolean", "class java.lang.Boolean");
    }

    Long longValue(String field) {
        return asLong(node(field));
    }

    /** A member DynamoDB declares an Integer (Limit, Segment, ...): read as {@link #longValue}, refused in Integer's words. */
    Long intValue(String field) {
        return asWhole(node(field), "Integer");
    }

    static Long asLong(JsonNode node) {
        return asWhole(node, "Long");
    }

    private static Long asWhole(JsonNode node, String declared) {
        if (node == null) return null;
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
        if (node.isNumber()) throw DynamoException.serialization("NUMBER_VALUE cannot be converted to " + declared);
        throw mismatch(node, declared, "class java.lang." + declared);
    }

    Double doubleValue(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (node.isNumber()) return node.doubleValue();
        throw mismatch(node, "Double", "class java.lang.Double");
    }

    /** A timestamp, in epoch seconds (a JSON number, as the SDKs send it); null when absent. */
    java.math.BigDecimal timestamp(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isNumber()) throw mismatch(node, "Timestamp", "class java.util.Date");
        if (!Double.isFinite(node.doubleValue())) throw DynamoException.serialization("NUMBER_VALUE cannot be converted to Timestamp");
        return node.decimalValue();
    }

    /** A JSON object whose structure is named as the member is (ProvisionedThroughput, Projection, Put, ...); null when absent. */
    RequestBody struct(String field) {
        return struct(field, field);
    }

    /** A JSON object of structure {@code shape}, which DynamoDB names when it is sent another JSON type; null when absent. */
    RequestBody struct(String field, String shape) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isObject()) throw DynamoException.serialization(AttributeValueShapes.structureMismatch(node, shape));
        return new RequestBody(node);
    }

    /** A member of structure AttributeValue (the Value of an Expected or an AttributeUpdates entry), shape-checked; null when absent. */
    JsonNode attributeValue(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isObject()) throw DynamoException.serialization(AttributeValueShapes.structureMismatch(node, "AttributeValue"));
        AttributeValueJson.checkValueShape(node);
        return node;
    }

    /**
     * A JSON object whose values are objects, structures of type {@code valueShape} (Expected's
     * ExpectedAttributeValue, RequestItems' KeysAndAttributes, ...); null when absent.
     */
    RequestBody structMap(String field, String valueShape) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isObject()) throw DynamoException.serialization(AttributeValueShapes.mapMismatch(node, valueShape));
        for (JsonNode value : node) {
            if (!value.isNull() && !value.isObject()) {
                throw DynamoException.serialization(AttributeValueShapes.valueMismatch(value, valueShape));
            }
        }
        return new RequestBody(node);
    }

    /** The member names of this JSON object, in order (the tables of RequestItems, the keys of KeyConditions). */
    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A JSON array of objects of structure {@code elementShape} (Tags' Tag, KeySchema's KeySchemaElement, ...); null when absent. */
    List<RequestBody> structList(String field, String elementShape) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isArray()) throw DynamoException.serialization(AttributeValueShapes.listMismatch(node));
        List<RequestBody> list = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isObject()) throw DynamoException.serialization(AttributeValueShapes.valueMismatch(element, elementShape));
            list.add(new RequestBody(element));
        }
        return list;
    }

    /**
     * A JSON object whose values are arrays of objects of structure {@code elementShape}
     * (BatchWriteItem's RequestItems: WriteRequest); null when absent.
     */
    RequestBody structListMap(String field, String elementShape) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isObject()) throw DynamoException.serialization(AttributeValueShapes.listMapMismatch(node, elementShape));
        for (JsonNode value : node) {
            if (value.isNull()) continue;
            if (!value.isArray()) throw DynamoException.serialization(AttributeValueShapes.genericValueMismatch(value));
            for (JsonNode element : value) {
                if (!element.isObject()) throw DynamoException.serialization(AttributeValueShapes.valueMismatch(element, elementShape));
            }
        }
        return new RequestBody(node);
    }

    /** A JSON array of attribute-value maps (BatchGetItem's Keys), shape-checked; null when absent. */
    List<RequestBody> attributeMapList(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isArray()) throw DynamoException.serialization(AttributeValueShapes.listMismatch(node));
        List<RequestBody> list = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isObject()) throw DynamoException.serialization(AttributeValueShapes.genericElementMismatch(element, "AttributeValue"));
            AttributeValueJson.checkItemShape(element);
            list.add(new RequestBody(element));
        }
        return list;
    }

    /** A JSON array of strings; null when absent. */
    List<String> stringList(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isArray()) throw DynamoException.serialization(AttributeValueShapes.listMismatch(node));
        List<String> list = new ArrayList<>();
        for (JsonNode element : node) list.add(asString(element));
        return list;
    }

    /** ExpressionAttributeNames and ExpressionAttributeValues, validated as DynamoDB does. */
    ExpressionAttributes expressionAttributes() {
        return ExpressionAttributes.fromJson(node("ExpressionAttributeNames"), node("ExpressionAttributeValues"));
    }

    /** A map of attribute values (Item, Key); null when absent. */
    Map<String, AttributeValue> attributeMap(String field) {
        JsonNode node = node(field);
        if (node == null) return null;
        if (!node.isObject()) AttributeValueJson.checkItemShape(node); // DynamoDB's words for a map that is not one
        return AttributeValueJson.readItem(node);
    }

    /** The JSON as sent, as a constraint message shows a structure. */
    @Override
    public String toString() {
        return root.toString();
    }

    private static DynamoException mismatch(JsonNode node, String declared, String collectionClass) {
        return DynamoException.serialization(AttributeValueShapes.scalarMismatch(node, declared, collectionClass));
    }
}
