package io.eddy.model;

import java.util.Arrays;
import java.util.Base64;

/**
 * An immutable byte string. DynamoDB binary values compare as unsigned bytes, and sets of
 * them need value equality, which a bare {@code byte[]} does not give.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** Copies {@code data}. */
    public static Bytes of(byte[] data) {
        return new Bytes(data.clone());
    }

    /** Takes ownership of {@code data}: the caller must not change it afterwards. */
    public static Bytes wrap(byte[] data) {
        return new Bytes(data);
    }

    public static Bytes fromBase64(String base64) {
        return new Bytes(Base64.getDecoder().decode(base64));
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(data);
    }

    public int length() {
        return data.length;
    }

    public byte get(int i) {
        return data[i];
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return data.clone();
    }

    /** The bytes themselves, for encoders that only read them. Never modify the result. */
    public byte[] unsafeArray() {
        return data;
    }

    public boolean startsWith(Bytes prefix) {
        return prefix.data.length <= data.length
                && Arrays.equals(data, 0, prefix.data.length, prefix.data, 0, prefix.data.length);
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(data, other.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
