package io.eddy.model;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.function.Executable;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared helpers for the model tests. */
public final class TestSupport {
    private TestSupport() {}

    /** Accepts single quotes so that test JSON stays readable inside Java strings. */
    public static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Decodes an item from wire JSON, e.g. {@code item("{'a':{'S':'x'}}")}. */
    public static Map<String, AttributeValue> item(String text) {
        return AttributeValueJson.readItem(json(text));
    }

    public static AttributeValue value(String text) {
        return AttributeValueJson.read(json(text));
    }

    public static String toJson(AttributeValue value) {
        StringWriter out = new StringWriter();
        try (var g = MAPPER.createGenerator(out)) {
            AttributeValueJson.write(g, value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static String toJson(Map<String, AttributeValue> item) {
        StringWriter out = new StringWriter();
        try (var g = MAPPER.createGenerator(out)) {
            AttributeValueJson.writeItem(g, item);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static Map<String, AttributeValue> map(Object... keysAndValues) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * Runs {@code action} on a thread with a stack of {@code kilobytes} (a dispatcher thread's is
     * 1 MB), so that a recursion as deep as its input shows up as a StackOverflowError here rather
     * than only on some machines; rethrows what it threw.
     */
    public static void onStack(int kilobytes, Executable action) throws Throwable {
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                action.execute();
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "test-stack", kilobytes * 1024L);
        thread.start();
        thread.join();
        if (thrown[0] != null) throw thrown[0];
    }

    public static void assertValidation(String message, Executable action) {
        assertError(ErrorCode.ValidationException, message, action);
    }

    public static void assertSerialization(String message, Executable action) {
        assertError(ErrorCode.SerializationException, message, action);
    }

    public static void assertError(ErrorCode code, String message, Executable action) {
        DynamoException e = assertThrows(DynamoException.class, action);
        assertEquals(message, e.getMessage());
        assertEquals(code, e.code(), "error code for: " + message);
    }
}
