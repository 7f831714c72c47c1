package io.eddy.gateway;

import com.amazon.ion.IonException;
import com.amazon.ion.IonReader;
import com.amazon.ion.IonType;
import com.amazon.ion.IonWriter;
import com.amazon.ion.system.IonTextWriterBuilder;
import com.amazon.ion.system.IonWriterBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoNumbers;
import io.eddy.model.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Items in Amazon Ion, as DynamoDB's ION exports write them and its ION imports read them: a line
 * {@code $ion_1_0 {Item:{...}}} per item; S a string, N a decimal, B a blob, BOOL a bool, NULL a
 * null, L a list, M a struct, and the sets lists annotated {@code $dynamodb_SS}, {@code $dynamodb_NS}
 * and {@code $dynamodb_BS}.
 */
final class IonItems {

    private static final String STRING_SET = "$dynamodb_SS";
    private static final String NUMBER_SET = "$dynamodb_NS";
    private static final String BINARY_SET = "$dynamodb_BS";

    private IonItems() {}

    /** One line: the version marker, then {@code {Item:{...}}}, without the line's end. */
    static String line(Map<String, AttributeValue> item) {
        StringBuilder text = new StringBuilder();
        try (IonWriter writer = IonTextWriterBuilder.standard().withInitialIvmHandling(IonWriterBuilder.InitialIvmHandling.ENSURE)
                .build(text)) {
            writer.stepIn(IonType.STRUCT);
            writer.setFieldName("Item");
            writeMap(writer, item);
            writer.stepOut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeMap(IonWriter writer, Map<String, AttributeValue> values) throws IOException {
        writer.stepIn(IonType.STRUCT);
        for (Map.Entry<String, AttributeValue> entry : values.entrySet()) {
            writer.setFieldName(entry.getKey());
            write(writer, entry.getValue());
        }
        writer.stepOut();
    }

    private static void write(IonWriter writer, AttributeValue value) throws IOException {
        switch (value.type()) {
            case S -> writer.writeString(((AttributeValue.StringValue) value).value());
            case N -> writer.writeDecimal(((AttributeValue.NumberValue) value).value());
            case B -> writer.writeBlob(((AttributeValue.BinaryValue) value).value().toArray());
            case BOOL -> writer.writeBool(((AttributeValue.BoolValue) value).value());
            case NULL -> writer.writeNull();
            case SS -> {
                writer.setTypeAnnotations(STRING_SET);
                writer.stepIn(IonType.LIST);
                for (String member : ((AttributeValue.StringSetValue) value).values()) writer.writeString(member);
                writer.stepOut();
            }
            case NS -> {
                writer.setTypeAnnotations(NUMBER_SET);
                writer.stepIn(IonType.LIST);
                for (BigDecimal member : ((AttributeValue.NumberSetValue) value).values()) writer.writeDecimal(member);
                writer.stepOut();
            }
            case BS -> {
                writer.setTypeAnnotations(BINARY_SET);
                writer.stepIn(IonType.LIST);
                for (Bytes member : ((AttributeValue.BinarySetValue) value).values()) writer.writeBlob(member.toArray());
                writer.stepOut();
            }
            case L -> {
                writer.stepIn(IonType.LIST);
                for (AttributeValue member : ((AttributeValue.ListValue) value).values()) write(writer, member);
                writer.stepOut();
            }
            case M -> writeMap(writer, ((AttributeValue.MapValue) value).values());
        }
    }

    /**
     * The value the reader is on, a top-level {@code {Item:{...}}}, as DynamoDB JSON's
     * {@code {"Item":{...}}}; null for a value of another shape.
     */
    static ObjectNode readItemValue(IonReader reader) {
        if (reader.getType() != IonType.STRUCT || reader.isNullValue()) return null;
        ObjectNode item = null;
        reader.stepIn();
        while (reader.next() != null) {
            if ("Item".equals(reader.getFieldName()) && reader.getType() == IonType.STRUCT && !reader.isNullValue()) {
                item = readStruct(reader, 0);
            }
        }
        reader.stepOut();
        if (item == null) return null;
        ObjectNode wrapped = Json.MAPPER.createObjectNode();
        wrapped.set("Item", item);
        return wrapped;
    }

    /** Deeper than any item DynamoDB takes (32 levels): what lies below is not read, and the item is refused. */
    private static final int MAX_DEPTH = 40;

    private static ObjectNode readStruct(IonReader reader, int depth) {
        ObjectNode struct = Json.MAPPER.createObjectNode();
        reader.stepIn();
        while (reader.next() != null) struct.set(reader.getFieldName(), readValue(reader, depth + 1));
        reader.stepOut();
        return struct;
    }

    /** One value as a DynamoDB JSON attribute value; what DynamoDB has no type for is left for the item's check to refuse. */
    private static JsonNode readValue(IonReader reader, int depth) {
        ObjectNode value = Json.MAPPER.createObjectNode();
        if (depth > MAX_DEPTH) return value.put("UNSUPPORTED", "nested deeper than " + MAX_DEPTH);
        if (reader.isNullValue()) return value.put("NULL", true);
        String[] annotations = reader.getTypeAnnotations();
        switch (reader.getType()) {
            case STRING, SYMBOL -> value.put("S", reader.stringValue());
            case DECIMAL, INT, FLOAT -> value.put("N", number(reader));
            case BLOB, CLOB -> value.put("B", Base64.getEncoder().encodeToString(reader.newBytes()));
            case BOOL -> value.put("BOOL", reader.booleanValue());
            case STRUCT -> value.set("M", readStruct(reader, depth));
            case LIST, SEXP -> {
                String set = Arrays.asList(annotations).contains(STRING_SET) ? "SS"
                        : Arrays.asList(annotations).contains(NUMBER_SET) ? "NS"
                        : Arrays.asList(annotations).contains(BINARY_SET) ? "BS" : null;
                ArrayNode members = value.putArray(set == null ? "L" : set);
                reader.stepIn();
                String memberType = set == null ? null : set.substring(0, 1);
                while (reader.next() != null) {
                    JsonNode member = readValue(reader, depth + 1);
                    // A set's members must be of its type; another is left for the item's check to refuse.
                    members.add(set == null ? member : member.has(memberType) ? member.get(memberType) : member);
                }
                reader.stepOut();
            }
            default -> value.put("UNSUPPORTED", reader.getType().name()); // a timestamp: no DynamoDB type
        }
        return value;
    }

    private static String number(IonReader reader) {
        try {
            return switch (reader.getType()) {
                case INT -> reader.bigIntegerValue().toString();
                case FLOAT -> DynamoNumbers.canonical(BigDecimal.valueOf(reader.doubleValue()));
                default -> reader.bigDecimalValue().toString(); // not toPlainString: 1d1000000 would be a million digits
            };
        } catch (IonException | NumberFormatException e) {
            return "not a number";
        }
    }
}
