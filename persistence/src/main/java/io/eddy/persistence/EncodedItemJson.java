package io.eddy.persistence;

import static io.eddy.persistence.ItemCodec.MAX_DEPTH;
import static io.eddy.persistence.ItemCodec.MAX_LENGTH;
import static io.eddy.persistence.ItemCodec.TAG_B;
import static io.eddy.persistence.ItemCodec.TAG_BS;
import static io.eddy.persistence.ItemCodec.TAG_FALSE;
import static io.eddy.persistence.ItemCodec.TAG_L;
import static io.eddy.persistence.ItemCodec.TAG_M;
import static io.eddy.persistence.ItemCodec.TAG_N;
import static io.eddy.persistence.ItemCodec.TAG_NS;
import static io.eddy.persistence.ItemCodec.TAG_NULL;
import static io.eddy.persistence.ItemCodec.TAG_S;
import static io.eddy.persistence.ItemCodec.TAG_SS;
import static io.eddy.persistence.ItemCodec.TAG_TRUE;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoNumbers;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an item's {@link ItemCodec encoding} as DynamoDB wire JSON, exactly as
 * {@link AttributeValueJson#writeItem} writes the decoded item, without decoding it: strings go
 * from their stored UTF-8 bytes to the output ({@link JsonGenerator#writeUTF8String}) and binaries
 * from their bytes to base64. Building a page's strings only to encode them again was most of what
 * a Query spent on its items after reading them.
 */
final class EncodedItemJson {

    private EncodedItemJson() {}

    static void write(JsonGenerator g, byte[] encoded) throws IOException {
        ByteArrayInput in = new ByteArrayInput(encoded);
        ItemCodec.readFormat(in);
        writeEntries(g, encoded, in, 0);
        if (in.available() != 0) throw new StreamCorruptedException(in.available() + " trailing bytes after item");
    }

    private static void writeEntries(JsonGenerator g, byte[] data, ByteArrayInput in, int depth) throws IOException {
        int count = Varints.readLength(in, MAX_LENGTH);
        g.writeStartObject();
        for (int i = 0; i < count; i++) {
            int length = ItemCodec.skipLength(in);
            int start = in.position() - length;
            // Jackson takes a field name only as a String; names are short.
            g.writeFieldName(new String(data, start, length, StandardCharsets.UTF_8));
            writeValue(g, data, in, depth);
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, byte[] data, ByteArrayInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new StreamCorruptedException("nesting deeper than " + MAX_DEPTH);
        byte tag = in.readByte();
        g.writeStartObject();
        switch (tag) {
            case TAG_S -> {
                g.writeFieldName("S");
                writeString(g, data, in);
            }
            case TAG_N -> {
                g.writeFieldName("N");
                writeNumber(g, in);
            }
            case TAG_B -> {
                g.writeFieldName("B");
                writeBinary(g, data, in);
            }
            case TAG_SS -> {
                g.writeFieldName("SS");
                int n = startArray(g, in);
                for (int i = 0; i < n; i++) writeString(g, data, in);
                g.writeEndArray();
            }
            case TAG_NS -> {
                g.writeFieldName("NS");
                int n = startArray(g, in);
                for (int i = 0; i < n; i++) writeNumber(g, in);
                g.writeEndArray();
            }
            case TAG_BS -> {
                g.writeFieldName("BS");
                int n = startArray(g, in);
                for (int i = 0; i < n; i++) writeBinary(g, data, in);
                g.writeEndArray();
            }
            case TAG_M -> {
                g.writeFieldName("M");
                writeEntries(g, data, in, depth + 1);
            }
            case TAG_L -> {
                g.writeFieldName("L");
                int n = startArray(g, in);
                for (int i = 0; i < n; i++) writeValue(g, data, in, depth + 1);
                g.writeEndArray();
            }
            case TAG_TRUE, TAG_FALSE -> g.writeBooleanField("BOOL", tag == TAG_TRUE);
            case TAG_NULL -> g.writeBooleanField("NULL", true);
            default -> throw new StreamCorruptedException("unknown value tag " + tag);
        }
        g.writeEndObject();
    }

    private static int startArray(JsonGenerator g, ByteArrayInput in) throws IOException {
        int n = Varints.readLength(in, MAX_LENGTH);
        g.writeStartArray();
        return n;
    }

    private static void writeString(JsonGenerator g, byte[] data, ByteArrayInput in) throws IOException {
        int length = ItemCodec.skipLength(in);
        int start = in.position() - length;
        // Only a generator that writes bytes takes UTF-8 as it is; one that writes characters needs a String.
        if (g instanceof UTF8JsonGenerator) {
            g.writeUTF8String(data, start, length);
        } else {
            g.writeString(new String(data, start, length, StandardCharsets.UTF_8));
        }
    }

    private static void writeNumber(JsonGenerator g, ByteArrayInput in) throws IOException {
        g.writeString(DynamoNumbers.canonical(ItemCodec.readNumber(in)));
    }

    private static void writeBinary(JsonGenerator g, byte[] data, ByteArrayInput in) throws IOException {
        int length = ItemCodec.skipLength(in);
        int start = in.position() - length;
        // The standard alphabet with padding and no line breaks: what Bytes.toBase64 writes.
        g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, data, start, length);
    }
}
