package io.eddy.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestParsersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode read(JsonParser parser) throws Exception {
        try (parser) {
            return MAPPER.readTree(parser);
        }
    }

    @Test
    void readsNewAndRepeatedNamesAcrossSymbolTables() throws Exception {
        // Enough parses to start several symbol tables afresh, each body with names seen before
        // (the request's) and names not seen before (a map keyed by ids).
        for (int i = 0; i < 5 * RequestParsers.PARSES_PER_SYMBOL_TABLE; i++) {
            String body = "{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"" + i + "\"},\"m\":{\"M\":{\"id-" + i + "\":{\"N\":\"" + i
                    + "\"},\"id-" + (i * 31) + "-é\":{\"S\":\"日本\"}}}}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            JsonNode expected = MAPPER.readTree(bytes);
            assertEquals(expected, read(RequestParsers.of(bytes)));
            assertEquals(expected, read(RequestParsers.of(new ByteArrayInputStream(bytes), bytes.length)));
        }
    }

    @Test
    void aLargeBodyIsParsedWithATableOfItsOwn() throws Exception {
        long large = RequestParsers.SHARED_TABLE_MAX_BODY + 1L;
        assertNotSame(RequestParsers.factoryFor(large), RequestParsers.factoryFor(large));
        assertNotSame(RequestParsers.factoryFor(large), RequestParsers.factoryFor(RequestParsers.SHARED_TABLE_MAX_BODY));
        // Its long name reads whole all the same.
        String name = "n".repeat(RequestParsers.SHARED_TABLE_MAX_BODY);
        byte[] body = ("{\"" + name + "\":1}").getBytes(StandardCharsets.UTF_8);
        assertEquals(name, read(RequestParsers.of(body)).fieldNames().next());
        assertEquals(name, read(RequestParsers.of(new ByteArrayInputStream(body), body.length)).fieldNames().next());
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] body = "{\"Item\":{\"a\":{\"S\":\"?text\"}}}".getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.UTF_8).indexOf('?');
        byte[] bad = Arrays.copyOf(body, body.length);
        bad[at] = (byte) 0xFF;
        assertThrows(JsonParseException.class, () -> read(RequestParsers.of(bad)));
        assertThrows(JsonParseException.class, () -> read(RequestParsers.of(new ByteArrayInputStream(bad), bad.length)));
    }
}
