package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.model.AttributeValueJson;
import io.eddy.persistence.ByteArraySink;
import java.io.IOException;

/** The gateway's one Jackson setup and a way to write a response body with the streaming generator. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper(AttributeValueJson.factory());
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {}

    @FunctionalInterface
    public interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes one JSON object: {@code body} writes its fields. */
    public static byte[] object(BodyWriter body) {
        return ByteArraySink.collect(out -> {
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.writeStartObject();
                body.write(g);
                g.writeEndObject();
            }
        });
    }

    public static final byte[] EMPTY_OBJECT = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** A time as DynamoDB sends timestamps: epoch seconds with a fraction (milliseconds). */
    static java.math.BigDecimal epochSeconds(long epochMillis) {
        return java.math.BigDecimal.valueOf(epochMillis, 3);
    }

    /** The epoch milliseconds of such a timestamp ({@link #epochSeconds}). */
    static long epochMillis(JsonNode epochSeconds) {
        return epochSeconds.decimalValue().movePointRight(3).longValue();
    }
}
