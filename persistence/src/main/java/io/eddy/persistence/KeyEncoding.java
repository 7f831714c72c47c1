package io.eddy.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.BinaryValue;
import io.eddy.model.AttributeValue.NumberValue;
import io.eddy.model.AttributeValue.StringValue;
import io.eddy.model.Bytes;

/**
 * An order-preserving, self-delimiting byte encoding of DynamoDB key values (S, N, B): the
 * unsigned lexicographic order of two encodings is DynamoDB's order of the values, and no
 * encoding is a proper prefix of another of the same type, so a partition-key encoding
 * followed by a sort-key encoding orders by (pk, sk).
 *
 * <p>S is its UTF-8 bytes and B its bytes, with 0x00 escaped as 0x00 0xFF and a 0x00 0x01
 * terminator (smaller than any continuation, so "a" sorts before "a\0" and "ab"). N is
 * described in {@link NumberKeyEncoding}. The type is not written: a table's key schema fixes it.
 */
public final class KeyEncoding {
    private static final byte ESCAPE = 0x00;
    private static final byte ESCAPED_ZERO = (byte) 0xFF;
    private static final byte TERMINATOR = 0x01;

    private KeyEncoding() {}

    /** A decoded key value and the offset just after its encoding. */
    public record Decoded(AttributeValue value, int nextOffset) {}

    /** Encodes one key value; throws IllegalArgumentException for a type other than S, N or B. */
    public static byte[] encode(AttributeValue scalar) {
        if (scalar instanceof StringValue s) return escape(s.value().getBytes(StandardCharsets.UTF_8), true);
        if (scalar instanceof NumberValue n) return NumberKeyEncoding.encode(n.value());
        if (scalar instanceof BinaryValue b) return escape(b.value().unsafeArray(), true);
        throw new IllegalArgumentException("not a key type: " + scalar.type());
    }

    /** The encoding of a partition key followed by that of the sort key, if any. */
    public static byte[] encodeKey(AttributeValue partitionKey, Optional<AttributeValue> sortKey) {
        byte[] pk = encode(partitionKey);
        return sortKey.isEmpty() ? pk : concat(pk, encode(sortKey.get()));
    }

    /**
     * The encoding of S or B {@code prefix} without its terminator: exactly the values that
     * begin with {@code prefix} have encodings that begin with these bytes (for begins_with).
     */
    public static byte[] encodePrefix(AttributeValue prefix) {
        if (prefix instanceof StringValue s) return escape(s.value().getBytes(StandardCharsets.UTF_8), false);
        if (prefix instanceof BinaryValue b) return escape(b.value().unsafeArray(), false);
        throw new IllegalArgumentException("begins_with needs S or B, not " + prefix.type());
    }

    /** Decodes a value of {@code type} starting at {@code offset}. */
    public static Decoded decode(AttributeType type, byte[] buf, int offset) {
        return switch (type) {
            case S -> {
                int end = unescapedEnd(buf, offset);
                yield new Decoded(new StringValue(new String(unescape(buf, offset, end), StandardCharsets.UTF_8)), end + 2);
            }
            case B -> {
                int end = unescapedEnd(buf, offset);
                yield new Decoded(new BinaryValue(Bytes.wrap(unescape(buf, offset, end))), end + 2);
            }
            case N -> NumberKeyEncoding.decode(buf, offset);
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] escape(byte[] raw, boolean terminate) {
        int zeros = 0;
        for (byte b : raw) if (b == ESCAPE) zeros++;
        byte[] out = new byte[raw.length + zeros + (terminate ? 2 : 0)];
        int pos = 0;
        for (byte b : raw) {
            out[pos++] = b;
            if (b == ESCAPE) out[pos++] = ESCAPED_ZERO;
        }
        if (terminate) {
            out[pos++] = ESCAPE;
            out[pos] = TERMINATOR;
        }
        return out;
    }

    /** The offset of the terminator of the escaped string starting at {@code offset}. */
    private static int unescapedEnd(byte[] buf, int offset) {
        for (int i = offset; i + 1 < buf.length; i++) {
            if (buf[i] != ESCAPE) continue;
            if (buf[i + 1] == TERMINATOR) return i;
            if (buf[i + 1] != ESCAPED_ZERO) throw new IllegalArgumentException("corrupt escape at offset " + i);
            i++;
        }
        throw new IllegalArgumentException("unterminated key encoding at offset " + offset);
    }

    private static byte[] unescape(byte[] buf, int from, int to) {
        byte[] out = new byte[to - from];
        int pos = 0;
        for (int i = from; i < to; i++) {
            out[pos++] = buf[i];
            if (buf[i] == ESCAPE) i++;
        }
        return pos == out.length ? out : Arrays.copyOf(out, pos);
    }
}
