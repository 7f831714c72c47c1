package io.eddy.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.ItemSize;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * What a Query does with a page of ten stored items once LevelDB has returned their bytes: size
 * them for the 1 MB budget and write them into the response. {@code fromEncoding} is Eddy's path
 * (items decoded only when read, JSON written from the encoding); {@code fromAttributes} decodes
 * each item and writes its attributes, as Eddy did before. Run with {@code load-tests/bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ItemJsonBenchmark {

    private static final int PAGE = 10;
    private static final JsonFactory JSON = AttributeValueJson.factory();

    /** {@code bench}: the item load.mjs writes (two keys, 960 ASCII characters); {@code document}: nested, numbers, non-ASCII. */
    @Param({"bench", "document"})
    public String item;

    private byte[] encoded;

    @Setup
    public void encode() {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        if (item.equals("bench")) {
            attributes.put("pk", AttributeValue.s("user-1234"));
            attributes.put("sk", AttributeValue.n("7"));
            attributes.put("payload", AttributeValue.s("x".repeat(960)));
        } else {
            Map<String, AttributeValue> address = new LinkedHashMap<>();
            address.put("street", AttributeValue.s("Große Straße 12"));
            address.put("city", AttributeValue.s("Zürich"));
            address.put("zip", AttributeValue.n("8001"));
            attributes.put("id", AttributeValue.s("customer-00042"));
            attributes.put("name", AttributeValue.s("Zoë Ångström 😀"));
            attributes.put("balance", AttributeValue.n("-1234.5678"));
            attributes.put("active", new AttributeValue.BoolValue(true));
            attributes.put("address", new AttributeValue.MapValue(address));
            attributes.put("tags", new AttributeValue.ListValue(List.of(AttributeValue.s("gold"), AttributeValue.s("früh"),
                    AttributeValue.n("3"))));
            attributes.put("notes", AttributeValue.s("Lorem ipsum dolor sit amet, \"quoted\" text. ".repeat(12)));
        }
        encoded = ItemCodec.encodeItem(attributes);
    }

    @Benchmark
    public byte[] fromEncoding() {
        return page(false);
    }

    @Benchmark
    public byte[] fromAttributes() {
        return page(true);
    }

    private byte[] page(boolean decode) {
        return ByteArraySink.collect(out -> {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                long bytes = 0;
                g.writeStartObject();
                g.writeArrayFieldStart("Items");
                for (int i = 0; i < PAGE; i++) {
                    Map<String, AttributeValue> read = decode ? ItemCodec.decodeItem(encoded) : ItemCodec.decodeLazily(encoded);
                    bytes += ItemSize.of(read);
                    // Wrapped, an item is written from its attributes, as any map is.
                    AttributeValueJson.writeItem(g, decode ? Collections.unmodifiableMap(read) : read);
                }
                g.writeEndArray();
                g.writeNumberField("Bytes", bytes);
                g.writeEndObject();
            }
        });
    }
}
