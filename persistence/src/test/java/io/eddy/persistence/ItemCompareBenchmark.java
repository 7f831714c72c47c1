package io.eddy.persistence;

import io.eddy.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A put's check that it changes something: the new image against the stored one, which the store
 * returns undecoded. {@code encodings} compares the new image's encoding with the stored bytes
 * ({@link ItemCodec#sameItem}), as a put does now; {@code decoded} compares the new image's
 * attributes with the stored item, which decodes it, as a put did before. The item is the bench's
 * PutItem (load-tests/bench/common.lua) with another version. Run with
 * {@code load-tests/bench/jmh.sh ItemCompareBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ItemCompareBenchmark {

    private byte[] stored;
    private Map<String, AttributeValue> next;
    private EncodedItem nextEncoded;

    @Setup
    public void items() {
        stored = ItemCodec.encodeItem(benchItem("123456789"));
        next = benchItem("987654321");
        nextEncoded = ItemCodec.encoded(next);
    }

    private static Map<String, AttributeValue> benchItem(String version) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.s("user-1234"));
        item.put("sk", AttributeValue.n("7"));
        item.put("version", AttributeValue.n(version));
        item.put("payload", AttributeValue.s("x".repeat(960)));
        return item;
    }

    @Benchmark
    public boolean encodings() {
        return nextEncoded.equals(ItemCodec.decodeLazily(stored));
    }

    @Benchmark
    public boolean decoded() {
        return next.equals(ItemCodec.decodeLazily(stored));
    }
}
