package io.eddy.persistence;

import java.util.Arrays;

/**
 * A half-open range {@code [from, toExclusive)} of item-store keys (unsigned byte order). The
 * arrays are copied in and must not be changed; as with any record holding arrays, equality is by
 * identity of the arrays.
 */
public record KeyRange(byte[] from, byte[] toExclusive) {

    public KeyRange {
        from = from.clone();
        toExclusive = toExclusive.clone();
    }

    /** The keys with this prefix, and no others. */
    public static KeyRange withPrefix(byte[] prefix) {
        return new KeyRange(prefix, StorageKeys.prefixEnd(prefix));
    }

    /** The smallest key greater than {@code key}: itself followed by a zero byte. */
    public static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    public boolean isEmpty() {
        return Arrays.compareUnsigned(from, toExclusive) >= 0;
    }

    /**
     * What is left of this range for a read resuming after {@code key} (the last key already
     * returned) in the given direction.
     */
    public KeyRange after(byte[] key, boolean reverse) {
        if (reverse) return new KeyRange(from, min(toExclusive, key));
        return new KeyRange(max(from, successor(key)), toExclusive);
    }

    /** The keys in both ranges. */
    public KeyRange intersect(KeyRange other) {
        return new KeyRange(max(from, other.from), min(toExclusive, other.toExclusive));
    }

    private static byte[] max(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static byte[] min(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
