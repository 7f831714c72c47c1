package io.eddy.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The second pass over wire JSON, after {@link AttributeValueShapes} has accepted it: validates
 * each value as DynamoDB does and builds the {@link AttributeValue}. Members are examined in the
 * order they appear, and "more than one datatype" is reported only after every member passed,
 * which is the order DynamoDB reports problems in.
 */
final class AttributeValueDecoder {
    private AttributeValueDecoder() {}

    /** An attribute of an item is level 1; a value may sit at most this deep. */
    static final int MAX_DEPTH = 32;

    static Map<String, AttributeValue> decodeMap(JsonNode node, int depth) {
        Map<String, AttributeValue> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) return result;
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            ItemSize.checkAttributeName(member.getKey());
            result.put(member.getKey(), decode(member.getValue(), depth));
        }
        return result;
    }

    static AttributeValue decode(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            // A limit of the document's structure, which the single-item writes give bare, as they give an
            // AttributeValue with no type or several (dynoxide's families, captured in eu-west-2, 2026).
            throw DynamoException.validationOutsideEnvelope("Nesting Levels have exceeded supported limits: "
                    + "Attributes in the item have nested levels beyond supported limit");
        }
        AttributeValue decoded = null;
        int types = 0;
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                JsonNode value = member.getValue();
                if (value == null || value.isNull()) continue;
                AttributeValue candidate = decodeMember(member.getKey(), value, depth);
                if (candidate == null) continue;
                types++;
                if (decoded == null) decoded = candidate;
            }
        }
        if (types == 0) {
            throw DynamoException.validationOutsideEnvelope(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (types > 1) {
            throw DynamoException.validationOutsideEnvelope("Supplied AttributeValue has more than one datatypes set, "
                    + "must contain exactly one of the supported datatypes");
        }
        return decoded;
    }

    /** The value a member stands for, or null when the member name is not a DynamoDB type. */
    private static AttributeValue decodeMember(String type, JsonNode value, int depth) {
        switch (type) {
            case "S":
                return new AttributeValue.StringValue(value.textValue());
            case "N":
                return new AttributeValue.NumberValue(DynamoNumbers.parse(value.textValue()));
            case "B":
                return new AttributeValue.BinaryValue(StrictBase64.decode(value.textValue()));
            case "BOOL":
                return value.booleanValue() ? AttributeValue.BoolValue.TRUE : AttributeValue.BoolValue.FALSE;
            case "NULL":
                // Refused again in every region by 2026-07 (the conformance suite's later captures, and
                // dynoxide's, eu-west-2), after some regions took it as NULL in June 2026.
                if (!value.booleanValue()) {
                    throw DynamoException.invalidParameter("Null attribute value types must have the value of true");
                }
                return AttributeValue.NullValue.INSTANCE;
            case "SS":
                return stringSet(value);
            case "NS":
                return numberSet(value);
            case "BS":
                return binarySet(value);
            case "M":
                return new AttributeValue.MapValue(decodeMap(value, depth + 1));
            case "L":
                List<AttributeValue> elements = new ArrayList<>();
                for (JsonNode element : value) elements.add(decode(element, depth + 1));
                return new AttributeValue.ListValue(elements);
            default:
                return null;
        }
    }

    private static AttributeValue stringSet(JsonNode array) {
        if (array.isEmpty()) throw DynamoException.invalidParameter("An string set  may not be empty");
        for (JsonNode element : array) {
            // DynamoDB's words, "An string" included (a 2026 test suite run against it).
            if (element.isNull()) throw DynamoException.invalidParameter("An string set may not have a null string as a member");
        }
        List<String> texts = texts(array);
        Set<String> members = new LinkedHashSet<>(texts);
        if (members.size() != texts.size()) throw RepeatedSetMembers.strings(texts);
        return new AttributeValue.StringSetValue(members);
    }

    private static AttributeValue numberSet(JsonNode array) {
        if (array.isEmpty()) throw DynamoException.invalidParameter("An number set  may not be empty");
        List<BigDecimal> numbers = new ArrayList<>();
        for (String text : texts(array)) numbers.add(DynamoNumbers.parse(text));
        // parse() normalises, so "1" and "1.0" collide here as the same number should.
        Set<BigDecimal> members = new LinkedHashSet<>(numbers);
        if (members.size() != numbers.size()) throw RepeatedSetMembers.numbers();
        return new AttributeValue.NumberSetValue(members);
    }

    private static AttributeValue binarySet(JsonNode array) {
        if (array.isEmpty()) throw DynamoException.invalidParameter("Binary sets should not be empty");
        List<String> texts = texts(array);
        List<Bytes> values = new ArrayList<>(texts.size());
        for (String text : texts) values.add(StrictBase64.decode(text));
        Set<Bytes> members = new LinkedHashSet<>(values);
        if (members.size() != texts.size()) throw RepeatedSetMembers.binaries(values, texts);
        return new AttributeValue.BinarySetValue(members);
    }

    /**
     * The members of a set as text. A JSON null member is refused; DynamoDB's wording for number
     * and binary sets is not known, so this message is Eddy's.
     */
    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (element.isNull()) throw DynamoException.invalidParameter("Sets may not contain null values");
            texts.add(element.textValue());
        }
        return texts;
    }
}
