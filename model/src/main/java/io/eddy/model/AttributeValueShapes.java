package io.eddy.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The first of the two passes over wire JSON: checks that every member has the JSON type the
 * DynamoDB model declares, failing with the SerializationException DynamoDB's (Coral) deserializer
 * gives. It runs over the whole value before any validation, because DynamoDB reports
 * deserialization problems ahead of validation problems wherever they occur in the request.
 * JSON {@code null} members count as absent, as they do for DynamoDB.
 */
public final class AttributeValueShapes {
    private AttributeValueShapes() {}

    private static final String STRUCTURE_NOT_EXPECTED = "Start of structure or map found where not expected";
    private static final String UNEXPECTED_FIELD_TYPE = "Unexpected field type";
    private static final String UNEXPECTED_VALUE_TYPE = "Unexpected value type in payload";
    private static final String MODEL_PACKAGE = "com.amazonaws.dynamodb.v20120810.";
    private static final String GENERIC_COLLECTION_CAST = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl"
            + " cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and"
            + " java.lang.Class are in module java.base of loader 'bootstrap')";

    /** A {@code Map<String, AttributeValue>} such as an item, a key or ExpressionAttributeValues. */
    static void checkAttributeMap(JsonNode node) {
        if (node == null || node.isNull()) return;
        if (!node.isObject()) throw DynamoException.serialization(mapMismatch(node, "AttributeValue"));
        for (JsonNode value : node) checkValue(value);
    }

    /** One AttributeValue structure, e.g. {@code {"S":"x"}}. Unknown members are ignored. */
    static void checkValue(JsonNode node) {
        if (node == null || node.isNull()) return;
        if (!node.isObject()) throw DynamoException.serialization(valueMismatch(node, "AttributeValue"));
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            JsonNode value = member.getValue();
            switch (member.getKey()) {
                case "S", "N" -> checkString(value);
                case "B" -> checkBlob(value);
                case "BOOL", "NULL" -> checkBoolean(value);
                case "SS", "NS" -> checkList(value, AttributeValueShapes::checkString);
                case "BS" -> checkList(value, AttributeValueShapes::checkBlob);
                case "L" -> checkList(value, AttributeValueShapes::checkValue);
                case "M" -> checkAttributeMap(value);
                default -> { }
            }
        }
    }

    /** A plain string member, e.g. an ExpressionAttributeNames value. */
    static void checkString(JsonNode node) {
        if (node == null || node.isNull() || node.isTextual()) return;
        throw DynamoException.serialization(scalarMismatch(node, "String", "class java.lang.String"));
    }

    private static void checkBoolean(JsonNode node) {
        if (node == null || node.isNull() || node.isBoolean()) return;
        if (node.isTextual()) throw DynamoException.serialization("Unexpected token received from parser");
        throw DynamoException.serialization(scalarMismatch(node, "Boolean", "class java.lang.Boolean"));
    }

    private static void checkBlob(JsonNode node) {
        if (node == null || node.isNull()) return;
        if (node.isTextual()) {
            StrictBase64.check(node.textValue());
            return;
        }
        if (node.isArray()) throw DynamoException.serialization("Unrecognized collection type class java.nio.ByteBuffer");
        if (node.isObject()) throw DynamoException.serialization(STRUCTURE_NOT_EXPECTED);
        throw DynamoException.serialization("only base-64-encoded strings are convertible to bytes");
    }

    private static void checkList(JsonNode node, Consumer<JsonNode> elementCheck) {
        if (node == null || node.isNull()) return;
        if (node.isObject()) throw DynamoException.serialization(STRUCTURE_NOT_EXPECTED);
        if (!node.isArray()) throw DynamoException.serialization(UNEXPECTED_FIELD_TYPE);
        for (JsonNode element : node) elementCheck.accept(element);
    }

    /**
     * DynamoDB's SerializationException message for a JSON value of the wrong type where a scalar
     * ({@code declared}: String, Boolean, Long, ...) was declared, in an attribute value or a
     * request's own member (dynalite's tests, recorded against DynamoDB); a string where a Boolean
     * was declared is a parser error.
     */
    public static String scalarMismatch(JsonNode node, String declared, String collectionClass) {
        if (node.isArray()) return "Unrecognized collection type " + collectionClass;
        if (node.isObject()) return STRUCTURE_NOT_EXPECTED;
        if (node.isBoolean()) return (node.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE") + " cannot be converted to " + declared;
        if (node.isIntegralNumber()) return "NUMBER_VALUE cannot be converted to " + declared;
        if (node.isNumber()) return "DECIMAL_VALUE cannot be converted to " + declared;
        if (node.isTextual() && !declared.equals("Boolean")) return "STRING_VALUE cannot be converted to " + declared;
        return "Unexpected token received from parser";
    }

    /**
     * The message for a JSON value that is not an object where a request member of structure type
     * {@code shape} (e.g. ProvisionedThroughput) was declared, as DynamoDB words it (dynalite's
     * tests, recorded against it).
     */
    public static String structureMismatch(JsonNode node, String shape) {
        return node.isArray() ? "Unrecognized collection type class " + MODEL_PACKAGE + shape : UNEXPECTED_FIELD_TYPE;
    }

    /**
     * The message for a JSON value that is not an object where a map of structures of type
     * {@code valueShape} was declared (Expected, KeyConditions, an item).
     */
    public static String mapMismatch(JsonNode node, String valueShape) {
        return node.isArray() ? "Unrecognized collection type java.util.Map<java.lang.String, " + MODEL_PACKAGE + valueShape + ">"
                : UNEXPECTED_FIELD_TYPE;
    }

    /** The message for a map's value or a list's element that is not the object of structure type {@code shape} it should be. */
    public static String valueMismatch(JsonNode node, String shape) {
        return node.isArray() ? "Unrecognized collection type class " + MODEL_PACKAGE + shape : UNEXPECTED_VALUE_TYPE;
    }

    /**
     * The message for a JSON value that is not an object where a map of lists of structures of
     * type {@code elementShape} was declared (BatchWriteItem's RequestItems).
     */
    public static String listMapMismatch(JsonNode node, String elementShape) {
        return node.isArray() ? "Unrecognized collection type java.util.Map<java.lang.String, java.util.List<" + MODEL_PACKAGE + elementShape + ">>"
                : UNEXPECTED_FIELD_TYPE;
    }

    /**
     * The message for a list element that is not the map of structures of type {@code valueShape}
     * it should be (BatchGetItem's Keys). A scalar where a generic collection is an element or a
     * value fails in DynamoDB's deserializer with a class cast, whose message it returns as is
     * (dynalite's tests, recorded against it).
     */
    public static String genericElementMismatch(JsonNode node, String valueShape) {
        if (node.isArray()) return mapMismatch(node, valueShape);
        return node.isNull() ? UNEXPECTED_VALUE_TYPE : GENERIC_COLLECTION_CAST;
    }

    /** The message for a map value that is not the list it should be (BatchWriteItem's RequestItems): see {@link #genericElementMismatch}. */
    public static String genericValueMismatch(JsonNode node) {
        return node.isObject() ? STRUCTURE_NOT_EXPECTED : GENERIC_COLLECTION_CAST;
    }

    /** The message for a JSON value that is not an array where a request member of list type was declared. */
    public static String listMismatch(JsonNode node) {
        return node.isObject() ? STRUCTURE_NOT_EXPECTED : UNEXPECTED_FIELD_TYPE;
    }
}
