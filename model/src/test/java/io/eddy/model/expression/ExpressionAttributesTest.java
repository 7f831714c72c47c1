package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.eddy.model.TestSupport.assertSerialization;
import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpressionAttributesTest {

    private static Map<String, String> names(String... keysAndNames) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < keysAndNames.length; i += 2) names.put(keysAndNames[i], keysAndNames[i + 1]);
        return names;
    }

    @Test
    void resolvesPlaceholders() {
        ExpressionAttributes attributes = new ExpressionAttributes(names("#a", "x"), Map.of(":v", AttributeValue.s("y")));
        assertEquals(Optional.of("x"), attributes.name("#a"));
        assertEquals(Optional.of(AttributeValue.s("y")), attributes.value(":v"));
        assertEquals(Optional.empty(), attributes.name("#b"));
        assertEquals(Optional.empty(), attributes.value(":w"));
        attributes.checkAllUsed();
    }

    @Test
    void refusesEmptyMaps() {
        assertValidation("ExpressionAttributeNames must not be empty", () -> new ExpressionAttributes(Map.of(), null));
        assertValidation("ExpressionAttributeValues must not be empty", () -> new ExpressionAttributes(null, Map.of()));
        assertValidation("ExpressionAttributeNames must not be empty", () -> new ExpressionAttributes(Map.of(), Map.of()));
    }

    @Test
    void refusesMalformedPlaceholders() {
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"",
                () -> new ExpressionAttributes(Map.of("a", "a"), null));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\"",
                () -> new ExpressionAttributes(Map.of("#", "a"), null));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"",
                () -> new ExpressionAttributes(Map.of("#a-b", "a"), null));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"a\"",
                () -> new ExpressionAttributes(null, Map.of("a", AttributeValue.s("b"))));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"#a\"",
                () -> new ExpressionAttributes(null, Map.of("#a", AttributeValue.s("b"))));
    }

    /** The message client code matches on, as DynamoDB words it. */
    @Test
    void refusesAnEmptyName() {
        assertValidation("ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
                () -> new ExpressionAttributes(Map.of("#a", ""), null));
    }

    @Test
    void refusesPlaceholdersOver255BytesBeforeTheirSyntax() {
        String longest = "#" + "a".repeat(254);
        new ExpressionAttributes(Map.of(longest, "a"), Map.of(":" + "v".repeat(254), AttributeValue.s("b")));
        assertValidation("ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256",
                () -> new ExpressionAttributes(Map.of(longest + "a", "a"), null));
        assertValidation("ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 258",
                () -> new ExpressionAttributes(Map.of(longest + "-x-", "a"), null));
        // Bytes, not characters: 129 characters, 257 bytes.
        assertValidation("ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 257",
                () -> new ExpressionAttributes(Map.of("#" + "\u00e9".repeat(128), "a"), null));
        // DynamoDB leaves the size out of this one.
        assertValidation("ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;",
                () -> new ExpressionAttributes(null, Map.of(":" + "v".repeat(255), AttributeValue.s("b"))));
    }

    @Test
    void refusesSubstitutionsOver2MegabytesTogether() {
        int limit = 2 * 1024 * 1024;
        // ":v" and its value: 2 + (limit - 2) bytes, the most allowed.
        new ExpressionAttributes(null, Map.of(":v", AttributeValue.s("x".repeat(limit - 2))));
        assertValidation("ExpressionAttributeValues exceeds max size",
                () -> new ExpressionAttributes(null, Map.of(":v", AttributeValue.s("x".repeat(limit - 1)))));
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; names.size() * 60_003L <= limit; i++) names.put("#n" + i, "a".repeat(60_000));
        assertValidation("ExpressionAttributeNames exceeds max size", () -> new ExpressionAttributes(names, null));
        // Half the limit in names (and their placeholders), each name within the 64 KB a name may have.
        Map<String, String> half = new LinkedHashMap<>();
        long remaining = 2 + limit / 2;
        for (int i = 0; remaining > 0; i++) {
            String key = "#h" + i;
            int length = (int) Math.min(60_000, remaining - key.length());
            half.put(key, "a".repeat(length));
            remaining -= key.length() + length;
        }
        assertValidation("Combined size of ExpressionAttributeNames and ExpressionAttributeValues exceeds max size",
                () -> new ExpressionAttributes(half, Map.of(":v", AttributeValue.s("x".repeat(limit / 2)))));
        // A value counts its size as an attribute: a number's, not its text's.
        new ExpressionAttributes(half, Map.of(":v", AttributeValue.s("x".repeat(limit / 2 - 10)), ":n", AttributeValue.n("1" + "0".repeat(37))));
    }

    @Test
    void reportsUnusedNamesBeforeUnusedValues() {
        ExpressionAttributes attributes = new ExpressionAttributes(names("#a", "a", "#b", "b", "#c", "c"),
                Map.of(":v", AttributeValue.s("x")));
        attributes.name("#b");
        assertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}",
                attributes::checkAllUsed);
        attributes.name("#a");
        attributes.name("#c");
        assertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
                attributes::checkAllUsed);
        attributes.value(":v");
        attributes.checkAllUsed();
    }

    @Test
    void noneHasNothingToResolveOrReport() {
        ExpressionAttributes none = ExpressionAttributes.none();
        assertEquals(Optional.empty(), none.name("#a"));
        none.checkAllUsed();
    }

    @Test
    void envelopeRefusesMixingExpressionAndLegacyParameters() {
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
                () -> ExpressionAttributes.checkEnvelope(List.of("ConditionExpression"), List.of("Expected"), false, false));
        assertValidation("Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {AttributesToGet, QueryFilter} "
                        + "Expression parameters: {FilterExpression, ProjectionExpression}",
                () -> ExpressionAttributes.checkEnvelope(List.of("FilterExpression", "ProjectionExpression"),
                        List.of("AttributesToGet", "QueryFilter"), true, true));
    }

    @Test
    void envelopeRefusesPlaceholdersWithoutExpressions() {
        assertValidation("ExpressionAttributeNames can only be specified when using expressions",
                () -> ExpressionAttributes.checkEnvelope(List.of(), List.of(), true, true));
        assertValidation("ExpressionAttributeValues can only be specified when using expressions",
                () -> ExpressionAttributes.checkEnvelope(List.of(), List.of(), false, true));
        assertValidation("ExpressionAttributeValues can only be specified when using expressions",
                () -> ExpressionAttributes.checkEnvelope(List.of("ProjectionExpression"), List.of(), true, true));
        ExpressionAttributes.checkEnvelope(List.of("ProjectionExpression"), List.of(), true, false);
        ExpressionAttributes.checkEnvelope(List.of("ConditionExpression"), List.of(), true, true);
        ExpressionAttributes.checkEnvelope(List.of(), List.of("Expected"), false, false);
    }

    @Test
    void fromJsonReadsBothMaps() {
        ExpressionAttributes attributes = ExpressionAttributes.fromJson(json("{'#a':'x'}"), json("{':v':{'N':'1.0'}}"));
        assertEquals(Optional.of("x"), attributes.name("#a"));
        assertEquals(Optional.of(AttributeValue.n("1")), attributes.value(":v"));
        ExpressionAttributes.fromJson(null, json("null")).checkAllUsed();
    }

    @Test
    void fromJsonReportsInDynamoDbOrder() {
        assertSerialization("NUMBER_VALUE cannot be converted to String",
                () -> ExpressionAttributes.fromJson(json("{'a':1}"), json("{}")));
        assertSerialization("Unexpected value type in payload",
                () -> ExpressionAttributes.fromJson(json("{}"), json("{':v':1}")));
        assertSerialization("Unexpected field type", () -> ExpressionAttributes.fromJson(json("'x'"), null));
        assertSerialization("Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>",
                () -> ExpressionAttributes.fromJson(json("[]"), null));
        assertValidation("ExpressionAttributeNames must not be empty", () -> ExpressionAttributes.fromJson(json("{}"), json("{}")));
        assertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"",
                () -> ExpressionAttributes.fromJson(json("{'a':'a'}"), json("{}")));
        assertValidation("ExpressionAttributeValues must not be empty",
                () -> ExpressionAttributes.fromJson(json("{'#a':'a'}"), json("{}")));
        assertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"a\"",
                () -> ExpressionAttributes.fromJson(null, json("{'a':{}}")));
        assertValidation("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must "
                        + "contain exactly one of the supported datatypes for key :v",
                () -> ExpressionAttributes.fromJson(null, json("{':v':{}}")));
        assertValidation("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: "
                        + "An string set  may not be empty for key :w",
                () -> ExpressionAttributes.fromJson(null, json("{':v':{'S':'x'},':w':{'SS':[]}}")));
    }
}
