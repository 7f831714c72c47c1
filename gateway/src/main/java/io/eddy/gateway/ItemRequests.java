package io.eddy.gateway;

import io.eddy.model.AttributeValueJson;
import io.eddy.model.expression.ExpressionAttributes;
import java.util.List;

/** Checks shared by the item operations on their expression and legacy parameters. */
final class ItemRequests {

    private ItemRequests() {}

    /** ConditionalOperator's values, in the order DynamoDB lists them in its enum constraint message. */
    static final List<String> CONDITIONAL_OPERATORS = List.of("OR", "AND");

    /**
     * The JSON types of an item request's attribute maps ({@code attributeMaps}: Item, Key,
     * ExclusiveStartKey) and placeholders, as SerializationExceptions. DynamoDB reads a whole
     * request before it checks any constraint, so a key of the wrong type is told so even when
     * TableName is missing (dynalite's tests, recorded against it).
     */
    static void checkShapes(RequestBody request, String... attributeMaps) {
        for (String member : attributeMaps) AttributeValueJson.checkItemShape(request.node(member));
        ExpressionAttributes.checkShapes(request.node("ExpressionAttributeNames"), request.node("ExpressionAttributeValues"));
    }

    /**
     * DynamoDB's first checks on expression parameters: the placeholders' JSON types, expression
     * and legacy parameters not mixed, and placeholders only where an expression can use them.
     */
    static void checkEnvelope(RequestBody request, List<String> expressionFields, List<String> legacyFields) {
        List<String> expressions = expressionFields.stream().filter(f -> request.node(f) != null).toList();
        List<String> legacy = legacyFields.stream().filter(f -> request.node(f) != null).toList();
        ExpressionAttributes.checkShapes(request.node("ExpressionAttributeNames"), request.node("ExpressionAttributeValues"));
        ExpressionAttributes.checkEnvelope(expressions, legacy,
                request.node("ExpressionAttributeNames") != null, request.node("ExpressionAttributeValues") != null);
    }
}
