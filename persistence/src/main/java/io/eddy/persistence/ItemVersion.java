package io.eddy.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The version of an item of a global table: when (epoch microseconds) and in which region its
 * current state was written. Replicas resolve concurrent writes by it, last writer wins: a
 * replicated change is applied only over an older version, so every replica converges on the
 * change with the greatest version, whatever order they receive the changes in. A delete keeps its
 * version (a tombstone), so an older write arriving after it cannot bring the item back.
 */
public record ItemVersion(long timestampMicros, String region) implements Comparable<ItemVersion> {

    /** The version of an item written before its table had replicas: older than every change since. */
    public static final ItemVersion NONE = new ItemVersion(0, "");

    @Override
    public int compareTo(ItemVersion other) {
        int byTime = Long.compare(timestampMicros, other.timestampMicros);
        return byTime != 0 ? byTime : region.compareTo(other.region);
    }

    public boolean newerThan(ItemVersion other) {
        return compareTo(other) > 0;
    }

    byte[] encode() {
        byte[] name = region.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + name.length).putLong(timestampMicros).put(name).array();
    }

    static ItemVersion decode(byte[] encoded) {
        ByteBuffer buffer = ByteBuffer.wrap(encoded);
        long micros = buffer.getLong();
        return new ItemVersion(micros, new String(encoded, 8, encoded.length - 8, StandardCharsets.UTF_8));
    }
}
