package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.AttributeValue.BinarySetValue;
import io.eddy.model.AttributeValue.BoolValue;
import io.eddy.model.AttributeValue.ListValue;
import io.eddy.model.AttributeValue.MapValue;
import io.eddy.model.AttributeValue.NullValue;
import io.eddy.model.AttributeValue.NumberSetValue;
import io.eddy.model.AttributeValue.NumberValue;
import io.eddy.model.AttributeValue.StringSetValue;
import io.eddy.model.Bytes;
import io.eddy.model.ItemSize;

class ItemCodecTest {

    @Test
    void aListOfNumbersIsReadAsFloatsFromTheEncodingAsBigDecimalGivesThem() {
        java.util.Random random = new java.util.Random(11);
        List<AttributeValue> numbers = new ArrayList<>();
        List<String> texts = new ArrayList<>(List.of("0", "1", "-1", "100", "1E+30", "-3.4028235E+38", "1.4E-45", "16777215", "16777217",
                "0.1", "-0.30000001", "123456789.123456789", "0.0000000001", "1E-40", "8388607.5", "-7E+10", "12E+5", "16777215E+10", "16777217E+3"));
        for (int i = 0; i < 2000; i++) {
            texts.add(new BigDecimal(random.nextInt(2_000_001) - 1_000_000).movePointLeft(random.nextInt(12)).toPlainString());
            texts.add(Float.toString((float) random.nextGaussian()));
        }
        for (String text : texts) numbers.add(AttributeValue.n(text));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("before", new MapValue(Map.of("l", new ListValue(List.of(AttributeValue.n("5"))))));
        item.put("embedding", new ListValue(numbers));
        item.put("mixed", new ListValue(List.of(AttributeValue.n("1"), AttributeValue.s("2"))));
        EncodedItem encoded = ItemCodec.decodeItem(ItemCodec.encodeItem(item));

        float[] floats = encoded.floatList("embedding", numbers.size());
        for (int i = 0; i < numbers.size(); i++) {
            assertEquals(((NumberValue) numbers.get(i)).value().floatValue(), floats[i], texts.get(i));
        }
        assertEquals(null, encoded.floatList("embedding", numbers.size() - 1), "another length");
        assertEquals(null, encoded.floatList("mixed", 2), "not all numbers");
        assertEquals(null, encoded.floatList("before", 1), "not a list");
        assertEquals(null, encoded.floatList("missing", 1));
    }

    @Test
    void everyTypeRoundTrips() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.s("hello"));
        item.put("n", AttributeValue.n("-12.5"));
        item.put("b", AttributeValue.b(new byte[] {0, (byte) 0xFF, 0x7F, (byte) 0x80}));
        item.put("ss", new StringSetValue(new LinkedHashSet<>(List.of("z", "a", "m"))));
        item.put("ns", new NumberSetValue(new LinkedHashSet<>(List.of(new BigDecimal("3"), new BigDecimal("-1E-130"), new BigDecimal("2.50")))));
        item.put("bs", new BinarySetValue(new LinkedHashSet<>(List.of(Bytes.of(new byte[] {1}), Bytes.of(new byte[] {})))));
        item.put("m", new MapValue(Map.of("inner", AttributeValue.s("x"))));
        item.put("l", new ListValue(List.of(AttributeValue.n("1"), AttributeValue.s("two"), BoolValue.TRUE)));
        item.put("t", BoolValue.TRUE);
        item.put("f", BoolValue.FALSE);
        item.put("null", NullValue.INSTANCE);
        assertRoundTrip(item);
        for (AttributeValue v : item.values()) assertEquals(v, ItemCodec.decodeValue(ItemCodec.encodeValue(v)));
    }

    @Test
    void emptyValuesRoundTrip() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("", AttributeValue.s(""));
        item.put("emptyBinary", AttributeValue.b(new byte[0]));
        item.put("emptyList", new ListValue(List.of()));
        item.put("emptyMap", new MapValue(Map.of()));
        assertRoundTrip(item);
        assertRoundTrip(Map.of());
    }

    @Test
    void bigAndSmallNumbersKeepEveryDigit() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        String[] numbers = {"0", "1", "-1", "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125",
                "1E-130", "-1E-130", "12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678",
                "1E+100", "100", "-0.001"};
        for (int i = 0; i < numbers.length; i++) item.put("n" + i, AttributeValue.n(numbers[i]));
        Map<String, AttributeValue> decoded = ItemCodec.decodeItem(ItemCodec.encodeItem(item));
        assertEquals(item, decoded);
        for (int i = 0; i < numbers.length; i++) {
            BigDecimal expected = new BigDecimal(numbers[i]);
            assertEquals(0, expected.compareTo(((NumberValue) decoded.get("n" + i)).value()), numbers[i]);
        }
    }

    @Test
    void unicodeNamesAndValuesRoundTrip() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("名前", AttributeValue.s("日本語 \uD83D\uDE00 é \u0000 end"));
        // What JSON escapes, in names and values: quotes, backslashes, control characters.
        item.put("q\"\\\t", AttributeValue.s("\" \\ \t \n \r \u001f \u007f \u2028 /"));
        item.put("\uD83D\uDC4D", new StringSetValue(Set.of("\uD83D\uDE00", "\u00e9", "")));
        assertRoundTrip(item);
    }

    @Test
    void attributeOrderIsPreservedAtEveryLevelAndSetsAreSorted() {
        Map<String, AttributeValue> nested = new LinkedHashMap<>();
        for (String k : List.of("zeta", "alpha", "mu")) nested.put(k, AttributeValue.s(k));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (String k : List.of("z", "b", "y", "a")) item.put(k, new MapValue(nested));
        Map<String, AttributeValue> decoded = ItemCodec.decodeItem(ItemCodec.encodeItem(item));
        assertEquals(List.of("z", "b", "y", "a"), new ArrayList<>(decoded.keySet()));
        assertEquals(List.of("zeta", "alpha", "mu"), new ArrayList<>(((MapValue) decoded.get("y")).values().keySet()));
        // A set's members are in DynamoDB's order (AttributeValue), whatever order they were written in.
        Set<String> ss = new LinkedHashSet<>(List.of("c", "a", "b"));
        StringSetValue decodedSet = (StringSetValue) ItemCodec.decodeValue(ItemCodec.encodeValue(new StringSetValue(ss)));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(decodedSet.values()));
    }

    @Test
    void encodedItemsCompareAsItems() {
        Map<String, AttributeValue> item = sample(List.of("pk", "tags", "doc", "n"), List.of("x", "y"), List.of("p", "q"), "1");
        byte[] stored = ItemCodec.encodeItem(item);
        EncodedItem storedItem = ItemCodec.decodeLazily(stored);

        // The same bytes; then one value changed, the names in the same order: told from the encodings.
        assertEquals(Boolean.TRUE, ItemCodec.sameItem(stored, ItemCodec.encodeItem(item)));
        byte[] changed = ItemCodec.encodeItem(sample(List.of("pk", "tags", "doc", "n"), List.of("x", "y"), List.of("p", "q"), "2"));
        assertEquals(Boolean.FALSE, ItemCodec.sameItem(stored, changed));
        assertNotEquals(storedItem, ItemCodec.decodeLazily(changed));
        // A set and a map in another order: other bytes, equal values.
        byte[] reorderedValues = ItemCodec.encodeItem(sample(List.of("pk", "tags", "doc", "n"), List.of("y", "x"), List.of("q", "p"), "1"));
        assertEquals(Boolean.TRUE, ItemCodec.sameItem(stored, reorderedValues));
        // Another number of attributes.
        Map<String, AttributeValue> longer = new LinkedHashMap<>(item);
        longer.put("extra", NullValue.INSTANCE);
        assertEquals(Boolean.FALSE, ItemCodec.sameItem(stored, ItemCodec.encodeItem(longer)));
        // The names in another order: left to the decoded items, which are equal.
        byte[] reorderedNames = ItemCodec.encodeItem(sample(List.of("n", "doc", "tags", "pk"), List.of("x", "y"), List.of("p", "q"), "1"));
        assertEquals(null, ItemCodec.sameItem(stored, reorderedNames));
        EncodedItem other = ItemCodec.decodeLazily(reorderedNames);
        assertEquals(storedItem, other);
        assertEquals(storedItem.hashCode(), other.hashCode());
        // The same names and values in another order, but one value changed: not equal.
        assertNotEquals(storedItem, ItemCodec.decodeLazily(ItemCodec.encodeItem(
                sample(List.of("n", "doc", "tags", "pk"), List.of("x", "y"), List.of("p", "q"), "2"))));
        // Against a plain map, as any map.
        assertEquals(storedItem, item);
        assertEquals(ItemCodec.encoded(item), storedItem);
    }

    /** An item with the given attribute names (in that order) for a string, a string set, a map and a number. */
    private static Map<String, AttributeValue> sample(List<String> names, List<String> set, List<String> mapKeys, String number) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put("pk", AttributeValue.s("key"));
        values.put("tags", new StringSetValue(new LinkedHashSet<>(set)));
        Map<String, AttributeValue> doc = new LinkedHashMap<>();
        for (String k : mapKeys) doc.put(k, AttributeValue.s(k.toUpperCase()));
        values.put("doc", new MapValue(doc));
        values.put("n", AttributeValue.n(number));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (String name : names) item.put(name, values.get(name));
        return item;
    }

    @Test
    void deepNestingRoundTrips() {
        AttributeValue v = AttributeValue.s("leaf");
        for (int i = 0; i < 32; i++) v = i % 2 == 0 ? new ListValue(List.of(v, NullValue.INSTANCE)) : new MapValue(Map.of("k" + i, v));
        assertRoundTrip(Map.of("deep", v));
    }

    @Test
    void randomItemsRoundTrip() {
        RandomValues values = new RandomValues(1234);
        for (int i = 0; i < 5000; i++) assertRoundTrip(values.item(4));
    }

    @Test
    void itemsAndValuesEmbedInAStream() throws IOException {
        RandomValues values = new RandomValues(77);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<AttributeValue> singles = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int i = 0; i < 200; i++) {
            Map<String, AttributeValue> item = values.item(3);
            AttributeValue single = values.any(3);
            items.add(item);
            singles.add(single);
            out.writeLong(i); // the embedding's own fields around ours
            ItemCodec.writeItem(out, item);
            ItemCodec.writeValue(out, single);
        }
        out.writeUTF("trailer");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        for (int i = 0; i < 200; i++) {
            assertEquals(i, in.readLong());
            assertEquals(items.get(i), ItemCodec.readItem(in));
            assertEquals(singles.get(i), ItemCodec.readValue(in));
        }
        assertEquals("trailer", in.readUTF());
    }

    @Test
    void encodingIsCompact() {
        // format, count, name length, "id", tag, length, "abc"
        assertEquals(10, ItemCodec.encodeItem(Map.of("id", AttributeValue.s("abc"))).length);
        // tag, scale, length, one unscaled byte
        assertEquals(4, ItemCodec.encodeValue(AttributeValue.n("42")).length);
        assertEquals(1, ItemCodec.encodeValue(BoolValue.TRUE).length);
    }

    @Test
    void corruptInputIsRejected() {
        byte[] good = ItemCodec.encodeItem(Map.of("a", AttributeValue.s("value"), "b", AttributeValue.n("7")));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeItem(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeItem(Arrays.copyOf(good, good.length + 1)));
        // cut off inside a string: its length says more bytes than are left
        byte[] text = ItemCodec.encodeItem(Map.of("a", AttributeValue.s("a longer value")));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeItem(Arrays.copyOf(text, text.length - 3)));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeValue(new byte[] {ItemCodec.TAG_S, 5, 'a', 'b'}));
        byte[] badFormat = good.clone();
        badFormat[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeItem(badFormat));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeValue(new byte[] {42}));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeItem(new byte[0]));
        // a length far beyond any item
        assertThrows(IllegalArgumentException.class,
                () -> ItemCodec.decodeValue(new byte[] {ItemCodec.TAG_S, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}));
        byte[] deep = new byte[200];
        Arrays.fill(deep, ItemCodec.TAG_L);
        for (int i = 1; i < deep.length; i += 2) deep[i] = 1;
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeValue(deep));
    }

    @Test
    void theSizeOfACorruptEncodingIsRefused() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("name", AttributeValue.s("a string of some length"));
        item.put("n", AttributeValue.n("12.5"));
        for (byte[] corrupt : truncationsAndABadTag(ItemCodec.encodeItem(item))) {
            assertThrows(IllegalArgumentException.class, () -> ItemCodec.accountingSize(corrupt), "length " + corrupt.length);
        }
    }

    @Test
    void theJsonOfACorruptEncodingIsRefused() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("name", AttributeValue.s("a string of some length"));
        item.put("n", AttributeValue.n("12.5"));
        item.put("b", AttributeValue.b(new byte[] {1, 2, 3}));
        byte[] encoded = ItemCodec.encodeItem(item);
        List<byte[]> corrupt = new ArrayList<>(truncationsAndABadTag(encoded));
        corrupt.add(Arrays.copyOf(encoded, encoded.length + 1)); // a trailing byte
        for (byte[] bytes : corrupt) {
            assertThrows(IOException.class,
                    () -> EncodedItemJson.write(AttributeValueJson.factory().createGenerator(new ByteArrayOutputStream()), bytes),
                    "length " + bytes.length);
        }
    }

    /** The encoding cut at every length, and with the tag of its first attribute (named "name") replaced by an unknown one. */
    private static List<byte[]> truncationsAndABadTag(byte[] encoded) {
        List<byte[]> corrupt = new ArrayList<>();
        for (int cut = 0; cut < encoded.length; cut++) corrupt.add(Arrays.copyOf(encoded, cut));
        byte[] badTag = encoded.clone();
        badTag[1 + 1 + 1 + "name".length()] = 99; // format, count, name length, name, then the tag
        corrupt.add(badTag);
        return corrupt;
    }

    @Test
    void aLazilyDecodedItemRefusesACorruptEncodingWhenRead() {
        byte[] encoded = ItemCodec.encodeItem(Map.of("a", AttributeValue.s("a longer value")));
        EncodedItem truncated = ItemCodec.decodeLazily(Arrays.copyOf(encoded, encoded.length - 3));
        assertThrows(IllegalArgumentException.class, () -> truncated.get("a"));
        assertThrows(IllegalArgumentException.class, truncated::size);
        byte[] badFormat = encoded.clone();
        badFormat[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeLazily(badFormat));
        assertThrows(IllegalArgumentException.class, () -> ItemCodec.decodeLazily(new byte[0]));
        assertThrows(UnsupportedOperationException.class,
                () -> ItemCodec.decodeLazily(encoded).put("b", AttributeValue.s("y")));
    }

    @Test
    void decodedItemsAreUnmodifiable() {
        Map<String, AttributeValue> decoded = ItemCodec.decodeItem(ItemCodec.encodeItem(Map.of("a", AttributeValue.s("x"))));
        assertThrows(UnsupportedOperationException.class, () -> decoded.put("b", AttributeValue.s("y")));
    }

    @Test
    void anEncodedItemKeepsItsEncodingAndGivesOutOnlyCopies() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.s("a"));
        item.put("n", AttributeValue.n("7"));
        byte[] stored = ItemCodec.encodeItem(item);
        EncodedItem read = ItemCodec.decodeItem(stored);
        assertSame(stored, ItemCodec.encoding(read), "what the store read is written again as it is");
        byte[] copy = ItemCodec.encodeItem(read);
        assertArrayEquals(stored, copy);
        copy[1] ^= 1;
        assertEquals(item, ItemCodec.decodeItem(ItemCodec.encodeItem(read)), "a copy handed out does not change the item");
        assertThrows(UnsupportedOperationException.class, () -> read.put("x", AttributeValue.s("y")));
        assertThrows(UnsupportedOperationException.class, () -> read.entrySet().clear());
    }

    @Test
    void encodingAnItemCopiesItOnceAndEncodesItOnce() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("z", AttributeValue.s("last name first"));
        item.put("a", AttributeValue.n("1"));
        EncodedItem encoded = ItemCodec.encoded(item);
        item.put("later", AttributeValue.s("not in the copy"));
        assertEquals(List.of("z", "a"), new ArrayList<>(encoded.keySet()));
        assertEquals(ItemCodec.decodeItem(ItemCodec.encodeItem(encoded)), encoded);
        assertSame(encoded, ItemCodec.encoded(encoded));
        assertSame(encoded, new ItemMutation.Put(StorageKeys.itemKey(java.util.UUID.randomUUID(), AttributeValue.s("a"), java.util.Optional.empty()), encoded).item(),
                "an encoded item is unmodifiable: the mutation keeps it, with its encoding");
    }

    @Test
    void encodedItemsAreWrittenWithTheirLengthAndCorruptLengthsAreRefused() throws IOException {
        Map<String, AttributeValue> item = Map.of("id", AttributeValue.s("a"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        ItemCodec.writeEncodedItem(out, item);
        ItemCodec.writeEncodedItem(out, ItemCodec.encoded(item));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(item, ItemCodec.readEncodedItem(in));
        assertEquals(item, ItemCodec.readEncodedItem(in));
        assertEquals(0, in.available());
        DataInputStream negative = new DataInputStream(new ByteArrayInputStream(new byte[] {-1, -1, -1, -1}));
        assertThrows(java.io.StreamCorruptedException.class, () -> ItemCodec.readEncodedItem(negative));
    }

    private static void assertRoundTrip(Map<String, AttributeValue> item) {
        byte[] encoded = ItemCodec.encodeItem(item);
        Map<String, AttributeValue> decoded = ItemCodec.decodeItem(encoded);
        assertEquals(item, decoded);
        assertEquals(new ArrayList<>(item.keySet()), new ArrayList<>(decoded.keySet()));
        assertTrue(Arrays.equals(encoded, ItemCodec.encodeItem(decoded)), "re-encoding is stable");
        // An encoded item's size comes from its encoding, and must be what a walk over its attributes gives.
        long walked = ItemSize.of(new LinkedHashMap<>(item));
        assertEquals(walked, ItemSize.of(decoded));
        assertEquals(walked, ItemSize.of(ItemCodec.encoded(item)));
        // An item read from the store is decoded when first read, and writes its JSON from its encoding.
        EncodedItem lazy = ItemCodec.decodeLazily(encoded);
        assertEquals(walked, ItemSize.of(lazy));
        assertEquals(json(new LinkedHashMap<>(item), false), json(lazy, false), "JSON from the encoding is the decoded item's");
        assertEquals(json(new LinkedHashMap<>(item), true), json(lazy, true), "JSON from the encoding, to a generator of characters");
        assertEquals(item, lazy);
        assertEquals(new ArrayList<>(item.keySet()), new ArrayList<>(lazy.keySet()));
    }

    /** The item's JSON from a generator that writes bytes, as the gateway's does, or one that writes characters. */
    private static String json(Map<String, AttributeValue> item, boolean throughWriter) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter chars = new StringWriter();
        try (JsonGenerator g = throughWriter ? AttributeValueJson.factory().createGenerator(chars)
                : AttributeValueJson.factory().createGenerator(bytes)) {
            AttributeValueJson.writeItem(g, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return throughWriter ? chars.toString() : bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
