package io.eddy.persistence;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.BinarySetValue;
import io.eddy.model.AttributeValue.BinaryValue;
import io.eddy.model.AttributeValue.BoolValue;
import io.eddy.model.AttributeValue.ListValue;
import io.eddy.model.AttributeValue.MapValue;
import io.eddy.model.AttributeValue.NullValue;
import io.eddy.model.AttributeValue.NumberSetValue;
import io.eddy.model.AttributeValue.NumberValue;
import io.eddy.model.AttributeValue.StringSetValue;
import io.eddy.model.AttributeValue.StringValue;
import io.eddy.model.Bytes;
import io.eddy.model.ItemSize;
import io.eddy.model.VectorIndex;

/**
 * A compact binary form of items and attribute values, for the item store and for events.
 *
 * <pre>
 *   item:   [varint count] ([varint length][UTF-8 name] value)*        (in the map's order)
 *   value:  [tag] payload
 *     S     [varint length][UTF-8]          B   [varint length][bytes]
 *     N     [zigzag varint scale][varint length][unscaled value, two's complement big-endian]
 *     SS/NS/BS  [varint count] payloads     L   [varint count] values
 *     M     like an item                    TRUE, FALSE, NULL: no payload
 * </pre>
 *
 * {@link #encodeItem} adds a leading format byte because its output is stored on disk;
 * {@link #writeItem} does not, since an embedding (a Pekko serializer) versions its own format.
 * The format is stable: stored data and journalled events depend on it.
 */
public final class ItemCodec {
    static final byte FORMAT_V1 = 1;

    static final byte TAG_S = 1;
    static final byte TAG_N = 2;
    static final byte TAG_B = 3;
    static final byte TAG_SS = 4;
    static final byte TAG_NS = 5;
    static final byte TAG_BS = 6;
    static final byte TAG_M = 7;
    static final byte TAG_L = 8;
    static final byte TAG_TRUE = 9;
    static final byte TAG_FALSE = 10;
    static final byte TAG_NULL = 11;

    /** Bounds for lengths and counts read back, so that corrupt input fails instead of exhausting memory. */
    static final int MAX_LENGTH = 64 << 20;
    private static final int MAX_NUMBER_BYTES = 1024;
    /** DynamoDB allows 32 levels of nesting; deeper input is corrupt (and would risk a stack overflow). */
    static final int MAX_DEPTH = 64;

    private ItemCodec() {}

    public static byte[] encodeItem(Map<String, AttributeValue> item) {
        return item instanceof EncodedItem encoded ? encoded.encoding().clone() : encode(item);
    }

    private static byte[] encode(Map<String, AttributeValue> item) {
        return ByteArraySink.collect(sink -> {
            sink.write(FORMAT_V1);
            writeItem(sink.data(), item);
        });
    }

    /** The item's encoding, not copied if it has one: for this package's writers, which only read it. */
    static byte[] encoding(Map<String, AttributeValue> item) {
        return item instanceof EncodedItem encoded ? encoded.encoding() : encode(item);
    }

    /** The item with its encoding: itself if it has one, else an unmodifiable copy, encoded once here. */
    public static EncodedItem encoded(Map<String, AttributeValue> item) {
        if (item instanceof EncodedItem encoded) return encoded;
        return new EncodedItem(Collections.unmodifiableMap(new LinkedHashMap<>(item)), encode(item));
    }

    /**
     * Decodes {@link #encodeItem}'s output; the item is unmodifiable, keeps the encoded order and
     * keeps {@code encoded} as its encoding, so the caller must not change the array afterwards.
     */
    public static EncodedItem decodeItem(byte[] encoded) {
        return new EncodedItem(decodeAttributes(encoded), encoded);
    }

    /**
     * As {@link #decodeItem}, but the attributes are decoded when first read, and a corrupt
     * encoding fails then: for the store's items, many of which are only sized, written out as
     * JSON or put in an event, which all read the encoding itself.
     */
    public static EncodedItem decodeLazily(byte[] encoded) {
        if (encoded.length == 0) throw new IllegalArgumentException("corrupt item encoding: empty");
        checkFormat(encoded[0]);
        return new EncodedItem(null, encoded);
    }

    /** The attributes {@link #encodeItem} encoded, unmodifiable, in the encoded order. */
    static Map<String, AttributeValue> decodeAttributes(byte[] encoded) {
        ByteArrayInput in = new ByteArrayInput(encoded);
        try {
            readFormat(in);
            Map<String, AttributeValue> item = readItem(in);
            if (in.available() != 0) throw new IllegalArgumentException(in.available() + " trailing bytes after item");
            return item;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt item encoding", e);
        }
    }

    /** Reads {@link #encodeItem}'s leading format byte; refuses a format this codec does not know. */
    static void readFormat(DataInput in) throws IOException {
        checkFormat(in.readByte());
    }

    private static void checkFormat(byte format) {
        if (format != FORMAT_V1) throw new IllegalArgumentException("unknown item format " + format);
    }

    /**
     * The {@link ItemSize accounting size} of the item {@link #encodeItem} encoded, read from the
     * encoding: names, strings and binaries by their encoded lengths, skipped rather than decoded
     * (the encoder wrote every string as UTF-8, so its length is the string's UTF-8 length); only
     * numbers are decoded.
     */
    static long accountingSize(byte[] encoded) {
        try {
            ByteArrayInput in = new ByteArrayInput(encoded);
            readFormat(in);
            return entriesSize(in, Varints.readLength(in, MAX_LENGTH), 0);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt item encoding", e);
        }
    }

    private static long entriesSize(ByteArrayInput in, int count, int depth) throws IOException {
        long size = 0;
        for (int i = 0; i < count; i++) size += skipLength(in) + valueSize(in, depth);
        return size;
    }

    private static long valueSize(ByteArrayInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new StreamCorruptedException("nesting deeper than " + MAX_DEPTH);
        byte tag = in.readByte();
        switch (tag) {
            case TAG_S, TAG_B: return skipLength(in);
            case TAG_N: return numberSize(in);
            case TAG_SS, TAG_BS: {
                int n = Varints.readLength(in, MAX_LENGTH);
                long size = 0;
                for (int i = 0; i < n; i++) size += skipLength(in);
                return size;
            }
            case TAG_NS: {
                int n = Varints.readLength(in, MAX_LENGTH);
                long size = 0;
                for (int i = 0; i < n; i++) size += numberSize(in);
                return size;
            }
            case TAG_M: {
                int n = Varints.readLength(in, MAX_LENGTH);
                return 3 + n + entriesSize(in, n, depth + 1);
            }
            case TAG_L: {
                int n = Varints.readLength(in, MAX_LENGTH);
                long size = 3;
                for (int i = 0; i < n; i++) size += 1 + valueSize(in, depth + 1);
                return size;
            }
            case TAG_TRUE, TAG_FALSE, TAG_NULL: return 1;
            default: throw new StreamCorruptedException("unknown value tag " + tag);
        }
    }

    /**
     * {@link ItemSize#ofNumber} of the number {@link #writeNumber} wrote next. One whose unscaled
     * value fits a long (nearly all) is sized without building a BigInteger and a BigDecimal.
     */
    private static long numberSize(ByteArrayInput in) throws IOException {
        long scale = readScale(in); // a long, as the trailing zeros taken off below lower it
        int length = readDigitsLength(in);
        if (length > 7) return ItemSize.ofNumber(readDigits(in, length, (int) scale));
        long value = in.readByte(); // two's complement, big-endian: the first byte carries the sign
        for (int i = 1; i < length; i++) value = value << 8 | in.readUnsignedByte();
        if (value == 0) return ItemSize.ofNumber(BigDecimal.ZERO);
        long magnitude = Math.abs(value);
        while (magnitude % 10 == 0) {
            magnitude /= 10;
            scale--;
        }
        int digits = 1;
        for (long rest = magnitude / 10; rest > 0; rest /= 10) digits++;
        return ItemSize.ofNumber(value < 0, digits, digits - 1 - scale);
    }

    /**
     * Whether two encodings hold equal items, told from the encodings where that is cheap: the
     * same bytes; a different number of attributes; or the same names in the same order, each
     * value either the same bytes or, where its bytes differ, compared once that value alone is
     * decoded (sets and maps keep their order in their bytes, so bytes that differ can still hold
     * equal values). A write of an item whose attributes come in the same
     * order as before, the usual case, is so compared without decoding the stored item. Null when
     * the names come in another order: the caller compares the decoded items.
     */
    static Boolean sameItem(byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) return true;
        try {
            ByteArrayInput x = new ByteArrayInput(a);
            ByteArrayInput y = new ByteArrayInput(b);
            readFormat(x);
            readFormat(y);
            int count = Varints.readLength(x, MAX_LENGTH);
            if (count != Varints.readLength(y, MAX_LENGTH)) return false;
            for (int i = 0; i < count; i++) {
                int xName = x.position();
                int yName = y.position();
                skipLength(x);
                skipLength(y);
                if (!Arrays.equals(a, xName, x.position(), b, yName, y.position())) return null;
                int xValue = x.position();
                int yValue = y.position();
                valueSize(x, 0);
                valueSize(y, 0);
                if (!Arrays.equals(a, xValue, x.position(), b, yValue, y.position())
                        && !valueAt(a, xValue).equals(valueAt(b, yValue))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt item encoding", e);
        }
    }

    /**
     * The attribute {@code name} of an encoded item as 32-bit floats, read from the encoding without
     * decoding the item: a vector index entry's packed vector ({@link VectorIndex#packed}, a binary
     * value of {@code length} floats), or a list of exactly {@code length} numbers, each what
     * {@link BigDecimal#floatValue} gives it (an entry written before vectors were packed); null when
     * it is neither. What a vector search scores.
     */
    static float[] floatList(byte[] encoded, String name, int length) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        try {
            ByteArrayInput in = new ByteArrayInput(encoded);
            readFormat(in);
            int count = Varints.readLength(in, MAX_LENGTH);
            for (int i = 0; i < count; i++) {
                int nameLength = Varints.readLength(in, MAX_LENGTH);
                int nameStart = in.position();
                in.skipExactly(nameLength);
                if (!Arrays.equals(encoded, nameStart, nameStart + nameLength, wanted, 0, wanted.length)) {
                    valueSize(in, 0);
                    continue;
                }
                byte tag = in.readByte();
                if (tag == TAG_B) {
                    if (Varints.readLength(in, MAX_LENGTH) != Float.BYTES * length) return null;
                    if (in.position() + Float.BYTES * length > encoded.length) throw new IOException("truncated binary value");
                    return VectorIndex.unpack(encoded, in.position(), length);
                }
                if (tag != TAG_L || Varints.readLength(in, MAX_LENGTH) != length) return null;
                float[] floats = new float[length];
                for (int j = 0; j < length; j++) {
                    if (in.readByte() != TAG_N) return null;
                    floats[j] = readNumberAsFloat(in);
                }
                return floats;
            }
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt item encoding", e);
        }
    }

    /** Exact powers of ten as floats: 10^10 is the last below 2^24 times a power of two. */
    private static final float[] FLOAT_POWERS_OF_TEN = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

    /**
     * The number {@link #writeNumber} wrote next, as {@link BigDecimal#floatValue} gives it. An
     * unscaled value below 2^24 and a power of ten up to 10^10 are both exact floats, so their
     * quotient (a scale of 0 to 10) or product (-1 to -10: the normalised form of an integer such as
     * 100), rounded once by the division or multiplication, is the correctly rounded value, without
     * building a BigDecimal.
     */
    private static float readNumberAsFloat(ByteArrayInput in) throws IOException {
        int scale = readScale(in);
        int length = readDigitsLength(in);
        if (length > 4 || Math.abs(scale) >= FLOAT_POWERS_OF_TEN.length) return readDigits(in, length, scale).floatValue();
        int value = in.readByte(); // two's complement, big-endian: the first byte carries the sign
        for (int i = 1; i < length; i++) value = value << 8 | in.readUnsignedByte();
        if (Math.abs((long) value) >= 1 << 24) return new BigDecimal(BigInteger.valueOf(value), scale).floatValue();
        return scale >= 0 ? value / FLOAT_POWERS_OF_TEN[scale] : value * FLOAT_POWERS_OF_TEN[-scale];
    }

    private static AttributeValue valueAt(byte[] encoded, int offset) throws IOException {
        ByteArrayInput in = new ByteArrayInput(encoded);
        in.skipExactly(offset);
        return readValue(in);
    }

    /** Skips a length-prefixed string or binary; returns its length. */
    static int skipLength(ByteArrayInput in) throws IOException {
        int length = Varints.readLength(in, MAX_LENGTH);
        in.skipExactly(length);
        return length;
    }

    /** Writes the item's {@link #encodeItem encoding} after its length (an int), encoding it only if it has no encoding yet. */
    public static void writeEncodedItem(DataOutput out, Map<String, AttributeValue> item) throws IOException {
        byte[] encoded = encoding(item);
        out.writeInt(encoded.length);
        out.write(encoded);
    }

    /** Reads what {@link #writeEncodedItem} wrote. */
    public static EncodedItem readEncodedItem(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_LENGTH) throw new StreamCorruptedException("item length " + length);
        byte[] encoded = new byte[length];
        in.readFully(encoded);
        return decodeItem(encoded);
    }

    public static byte[] encodeValue(AttributeValue value) {
        return ByteArraySink.collect(sink -> writeValue(sink.data(), value));
    }

    public static AttributeValue decodeValue(byte[] encoded) {
        ByteArrayInput in = new ByteArrayInput(encoded);
        try {
            AttributeValue value = readValue(in);
            if (in.available() != 0) throw new IllegalArgumentException(in.available() + " trailing bytes after value");
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt value encoding", e);
        }
    }

    public static void writeItem(DataOutput out, Map<String, AttributeValue> item) throws IOException {
        Varints.writeUnsigned(out, item.size());
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            writeString(out, e.getKey());
            writeValue(out, e.getValue());
        }
    }

    /** Reads what {@link #writeItem} wrote; the map is unmodifiable and keeps the written order. */
    public static Map<String, AttributeValue> readItem(DataInput in) throws IOException {
        return Collections.unmodifiableMap(readMap(in, 0));
    }

    public static void writeValue(DataOutput out, AttributeValue value) throws IOException {
        switch (value.type()) {
            case S -> {
                out.writeByte(TAG_S);
                writeString(out, ((StringValue) value).value());
            }
            case N -> {
                out.writeByte(TAG_N);
                writeNumber(out, ((NumberValue) value).value());
            }
            case B -> {
                out.writeByte(TAG_B);
                writeBytes(out, ((BinaryValue) value).value());
            }
            case SS -> {
                Set<String> set = ((StringSetValue) value).values();
                out.writeByte(TAG_SS);
                Varints.writeUnsigned(out, set.size());
                for (String s : set) writeString(out, s);
            }
            case NS -> {
                Set<BigDecimal> set = ((NumberSetValue) value).values();
                out.writeByte(TAG_NS);
                Varints.writeUnsigned(out, set.size());
                for (BigDecimal n : set) writeNumber(out, n);
            }
            case BS -> {
                Set<Bytes> set = ((BinarySetValue) value).values();
                out.writeByte(TAG_BS);
                Varints.writeUnsigned(out, set.size());
                for (Bytes b : set) writeBytes(out, b);
            }
            case M -> {
                out.writeByte(TAG_M);
                writeItem(out, ((MapValue) value).values());
            }
            case L -> {
                List<AttributeValue> list = ((ListValue) value).values();
                out.writeByte(TAG_L);
                Varints.writeUnsigned(out, list.size());
                for (AttributeValue v : list) writeValue(out, v);
            }
            case BOOL -> out.writeByte(((BoolValue) value).value() ? TAG_TRUE : TAG_FALSE);
            case NULL -> out.writeByte(TAG_NULL);
        }
    }

    public static AttributeValue readValue(DataInput in) throws IOException {
        return readValue(in, 0);
    }

    private static AttributeValue readValue(DataInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new StreamCorruptedException("nesting deeper than " + MAX_DEPTH);
        byte tag = in.readByte();
        switch (tag) {
            case TAG_S: return new StringValue(readString(in));
            case TAG_N: return new NumberValue(readNumber(in));
            case TAG_B: return new BinaryValue(readBytes(in));
            case TAG_SS: {
                int n = Varints.readLength(in, MAX_LENGTH);
                Set<String> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) set.add(readString(in));
                return new StringSetValue(set);
            }
            case TAG_NS: {
                int n = Varints.readLength(in, MAX_LENGTH);
                Set<BigDecimal> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) set.add(readNumber(in));
                return new NumberSetValue(set);
            }
            case TAG_BS: {
                int n = Varints.readLength(in, MAX_LENGTH);
                Set<Bytes> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) set.add(readBytes(in));
                return new BinarySetValue(set);
            }
            case TAG_M: return new MapValue(readMap(in, depth + 1));
            case TAG_L: {
                int n = Varints.readLength(in, MAX_LENGTH);
                List<AttributeValue> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) list.add(readValue(in, depth + 1));
                return new ListValue(list);
            }
            case TAG_TRUE: return BoolValue.TRUE;
            case TAG_FALSE: return BoolValue.FALSE;
            case TAG_NULL: return NullValue.INSTANCE;
            default: throw new StreamCorruptedException("unknown value tag " + tag);
        }
    }

    private static LinkedHashMap<String, AttributeValue> readMap(DataInput in, int depth) throws IOException {
        int n = Varints.readLength(in, MAX_LENGTH);
        LinkedHashMap<String, AttributeValue> map = new LinkedHashMap<>(Math.min(n, 1024) * 4 / 3 + 1);
        for (int i = 0; i < n; i++) {
            String name = readString(in);
            map.put(name, readValue(in, depth));
        }
        return map;
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        Varints.writeUnsigned(out, utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInput in) throws IOException {
        // Decoding an item reads every name and string: from the stored bytes, not a copy of them.
        if (in instanceof ByteArrayInput input) return input.readUtf8(Varints.readLength(in, MAX_LENGTH));
        return new String(readRaw(in, MAX_LENGTH), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutput out, Bytes b) throws IOException {
        Varints.writeUnsigned(out, b.length());
        out.write(b.unsafeArray());
    }

    private static Bytes readBytes(DataInput in) throws IOException {
        return Bytes.wrap(readRaw(in, MAX_LENGTH));
    }

    private static void writeNumber(DataOutput out, BigDecimal n) throws IOException {
        Varints.writeSigned(out, n.scale());
        byte[] unscaled = n.unscaledValue().toByteArray();
        Varints.writeUnsigned(out, unscaled.length);
        out.write(unscaled);
    }

    static BigDecimal readNumber(DataInput in) throws IOException {
        int scale = readScale(in);
        return readDigits(in, readDigitsLength(in), scale);
    }

    /** The number whose unscaled value, {@code length} bytes, comes next. */
    private static BigDecimal readDigits(DataInput in, int length, int scale) throws IOException {
        byte[] unscaled = new byte[length];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    /** A number's scale, which {@link #writeNumber} wrote first. */
    private static int readScale(DataInput in) throws IOException {
        long scale = Varints.readSigned(in);
        if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) throw new StreamCorruptedException("number scale " + scale);
        return (int) scale;
    }

    /** The length of a number's unscaled value, which follows its scale. */
    private static int readDigitsLength(DataInput in) throws IOException {
        int length = Varints.readLength(in, MAX_NUMBER_BYTES);
        if (length == 0) throw new StreamCorruptedException("number without digits");
        return length;
    }

    private static byte[] readRaw(DataInput in, int max) throws IOException {
        byte[] b = new byte[Varints.readLength(in, max)];
        in.readFully(b);
        return b;
    }
}
