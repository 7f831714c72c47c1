package io.eddy.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.RequestParsers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway does first with a PutItem body: parse it (as {@code DynamoHttpHandler} does)
 * and read its item. The item holds a map of 20 keys: with
 * {@code keys=fresh} keys never seen before (maps keyed by ids), with {@code keys=repeated} the same
 * 20 keys every time. Run with {@code load-tests/bench/jmh.sh RequestJsonBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestJsonBenchmark {

    private static final int BODIES = 50_000;

    @Param({"fresh", "repeated"})
    public String keys;

    /**
     * Field names: {@code eddy} as Eddy reads them ({@link RequestParsers}: not interned, a symbol
     * table started afresh every few parses); {@code shared}, one symbol table for good;
     * {@code interned}, that and interned, Jackson 2's default.
     */
    @Param({"eddy", "shared", "interned"})
    public String names;

    private ObjectMapper mapper;
    private byte[][] bodies;
    private int next;

    @Setup
    public void prepare() {
        JsonFactory factory = AttributeValueJson.factory();
        if (names.equals("interned")) factory = factory.rebuild().enable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
        mapper = new ObjectMapper(factory);
        Random random = new Random(7);
        bodies = new byte[BODIES][];
        for (int i = 0; i < BODIES; i++) {
            StringBuilder body = new StringBuilder("{\"TableName\":\"bench\",\"Item\":{\"pk\":{\"S\":\"user-")
                    .append(i).append("\"},\"sk\":{\"N\":\"1\"},\"m\":{\"M\":{");
            for (int k = 0; k < 20; k++) {
                if (k > 0) body.append(',');
                body.append("\"u").append(keys.equals("fresh") ? random.nextInt(1_000_000_000) + "-" + random.nextInt(1_000_000_000) : k)
                        .append("\":{\"N\":\"").append(k).append("\"}");
            }
            bodies[i] = body.append("}}}}").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public Map<String, AttributeValue> parsePutItem() throws Exception {
        byte[] body = bodies[next];
        next = next + 1 == BODIES ? 0 : next + 1;
        JsonNode request;
        if (names.equals("eddy")) {
            try (JsonParser parser = RequestParsers.of(body)) {
                request = mapper.readTree(parser);
            }
        } else {
            request = mapper.readTree(body);
        }
        return AttributeValueJson.readItem(request.get("Item"));
    }
}
