package io.eddy.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * DynamoDB wire JSON for attribute values: {@code {"S":"x"}}, {@code {"N":"1"}},
 * {@code {"B":"<base64>"}}, {@code {"SS":[…]}}, {@code {"M":{…}}}, {@code {"L":[…]}},
 * {@code {"BOOL":true}}, {@code {"NULL":true}}.
 *
 * <p>Reading fails with DynamoDB's errors: SerializationException when a member has the wrong JSON
 * type (checked over the whole input first), then ValidationException for empty or ambiguous
 * values, bad numbers, empty or duplicate sets and nesting deeper than 32 levels.
 */
public final class AttributeValueJson {
    private AttributeValueJson() {}

    /**
     * The factory of Eddy's JSON parsers and generators.
     *
     * <p>Generators write characters outside the Basic Multilingual Plane as UTF-8, as an item's
     * stored encoding holds them ({@link Writable}), rather than as escaped surrogate pairs,
     * Jackson's default. Either way a client reads the same string.
     *
     * <p>Parsers do not intern field names (Jackson 2's default, dropped in Jackson 3). In DynamoDB
     * JSON the field names include every attribute name and map key of every item, and maps keyed
     * by ids are common: each new one went into the JVM's string table, which every young
     * collection walks. A PutItem with 20 new map keys took 62.5 µs to parse, 23.9 µs without
     * interning; names that repeat parse as fast either way (docs/benchmarks.md, "Field names").
     * The names stay in Jackson's symbol table: without it Jackson reads bytes through a
     * {@code Reader}, which took invalid UTF-8 that its byte parser refuses.
     */
    public static JsonFactory factory() {
        return JsonFactory.builder()
                // Attribute names are field names; DynamoDB takes them up to 64 KB and answers longer
                // ones with a ValidationException (ItemSize.checkAttributeName), not a parse error.
                // The request body's own limit bounds them.
                .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(Integer.MAX_VALUE).build())
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /** Decodes one attribute value, which counts as nesting level 1. */
    public static AttributeValue read(JsonNode node) {
        AttributeValueShapes.checkValue(node);
        return AttributeValueDecoder.decode(node, 1);
    }

    /**
     * Decodes a value a request compares or computes with (ExpressionAttributeValues, a legacy
     * condition's values), which may nest one level deeper than an item's attribute: DynamoDB
     * takes 32 levels of maps there and refuses 33 (a 2026 test suite run against it). What an
     * update stores from it is held to the item's limit when the update is applied.
     */
    public static AttributeValue readOperand(JsonNode node) {
        AttributeValueShapes.checkValue(node);
        return AttributeValueDecoder.decode(node, 0);
    }

    /**
     * Decodes a map of attribute values (an item or a key) keeping the input order. A JSON null
     * reads as an empty map, the way DynamoDB treats an absent member.
     */
    public static Map<String, AttributeValue> readItem(JsonNode objectNode) {
        AttributeValueShapes.checkAttributeMap(objectNode);
        return AttributeValueDecoder.decodeMap(objectNode, 1);
    }

    /**
     * Only the SerializationException pass of {@link #readItem}, for callers that must report
     * deserialization problems anywhere in a request before any validation problem.
     */
    public static void checkItemShape(JsonNode objectNode) {
        AttributeValueShapes.checkAttributeMap(objectNode);
    }

    /** Only the SerializationException pass of {@link #read}. */
    public static void checkValueShape(JsonNode node) {
        AttributeValueShapes.checkValue(node);
    }

    /**
     * The SerializationException DynamoDB gives where a string member (such as an
     * ExpressionAttributeNames value) holds another JSON type; null passes.
     */
    public static void checkStringShape(JsonNode node) {
        AttributeValueShapes.checkString(node);
    }

    /**
     * An item that writes itself exactly as {@link #writeItem} would write its attributes, at less
     * cost: the store's items write straight from their encoding, without decoding it.
     */
    public interface Writable {
        void writeJson(JsonGenerator g) throws IOException;
    }

    public static void writeItem(JsonGenerator g, Map<String, AttributeValue> item) {
        try {
            if (item instanceof Writable writable) {
                writable.writeJson(g);
                return;
            }
            g.writeStartObject();
            for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                g.writeFieldName(attribute.getKey());
                write(g, attribute.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes numbers in canonical form and binaries as base64; sets keep their order. */
    public static void write(JsonGenerator g, AttributeValue value) {
        try {
            g.writeStartObject();
            g.writeFieldName(value.type().name());
            writeContent(g, value);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeContent(JsonGenerator g, AttributeValue value) throws IOException {
        switch (value.type()) {
            case S -> g.writeString(((AttributeValue.StringValue) value).value());
            case N -> g.writeString(((AttributeValue.NumberValue) value).canonical());
            case B -> g.writeString(((AttributeValue.BinaryValue) value).value().toBase64());
            case BOOL -> g.writeBoolean(((AttributeValue.BoolValue) value).value());
            case NULL -> g.writeBoolean(true);
            case SS -> {
                g.writeStartArray();
                for (String member : ((AttributeValue.StringSetValue) value).values()) g.writeString(member);
                g.writeEndArray();
            }
            case NS -> {
                g.writeStartArray();
                for (BigDecimal member : ((AttributeValue.NumberSetValue) value).values()) {
                    g.writeString(DynamoNumbers.canonical(member));
                }
                g.writeEndArray();
            }
            case BS -> {
                g.writeStartArray();
                for (Bytes member : ((AttributeValue.BinarySetValue) value).values()) g.writeString(member.toBase64());
                g.writeEndArray();
            }
            case M -> writeItem(g, ((AttributeValue.MapValue) value).values());
            case L -> {
                g.writeStartArray();
                for (AttributeValue element : ((AttributeValue.ListValue) value).values()) write(g, element);
                g.writeEndArray();
            }
        }
    }
}
