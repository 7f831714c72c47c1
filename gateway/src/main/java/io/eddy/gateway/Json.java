package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The gateway's one Jackson setup and a way to write a response body with the streaming generator. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {}

    @FunctionalInterface
    public interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes one JSON object: {@code body} writes its fields. */
    public static byte[] object(BodyWriter body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512);
             JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final byte[] EMPTY_OBJECT = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
}
