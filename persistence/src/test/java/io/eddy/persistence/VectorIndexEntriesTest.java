package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.BoolValue;
import io.eddy.model.AttributeValue.ListValue;
import io.eddy.model.IndexProjection;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.VectorIndex;

/**
 * A vector index's entries: which items have one, the key a search by HASH value reads, what an
 * entry holds; and the ids of definitions journaled before vector indexes had entries.
 */
class VectorIndexEntriesTest {

    private static final VectorIndex BY_CATEGORY = new VectorIndex("by-category", "embedding",
            List.of(new VectorIndex.SearchAttribute("category", VectorIndex.SearchAttributeType.HASH),
                    new VectorIndex.SearchAttribute("brand", VectorIndex.SearchAttributeType.INLINE_FILTER)),
            new IndexProjection(IndexProjection.ProjectionType.KEYS_ONLY, List.of()), 2, VectorIndex.DistanceFunction.COSINE, UUID.randomUUID(), SecondaryIndex.Status.ACTIVE);

    private static TableMetadata table(UUID id, VectorIndex... indexes) {
        return new TableMetadata("Products", id, KeySchema.hash("id", AttributeType.S),
                List.of(new TableMetadata.AttributeDefinition("id", AttributeType.S),
                        new TableMetadata.AttributeDefinition("category", AttributeType.S),
                        new TableMetadata.AttributeDefinition("brand", AttributeType.S)),
                TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND, Instant.EPOCH, Optional.empty(),
                TableMetadata.TableStatus.ACTIVE, 4, TableOptions.DEFAULTS.withVectorIndexes(List.of(indexes)));
    }

    private static Map<String, AttributeValue> item(AttributeValue category) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.s("p1"));
        if (category != null) item.put("category", category);
        item.put("brand", AttributeValue.s("acme"));
        item.put("name", AttributeValue.s("anvil"));
        item.put("embedding", new ListValue(List.of(AttributeValue.n("0.5"), AttributeValue.n("-1"))));
        return item;
    }

    @Test
    void anEntryIsKeyedByTheHashValueAndHoldsKeysSearchSchemaAndVector() {
        TableMetadata table = table(UUID.randomUUID(), BY_CATEGORY);
        IndexEntries.Entry entry = IndexEntries.ofVector(table, BY_CATEGORY, item(AttributeValue.s("tools"))).orElseThrow();
        byte[] prefix = StorageKeys.indexPartitionPrefix(table.id(), BY_CATEGORY.id(), List.of(AttributeValue.s("tools")));
        assertArrayEquals(prefix, Arrays.copyOf(entry.key(), prefix.length), "a search of HASH value tools reads it");
        assertEquals(List.of("id", "category", "brand", "embedding"), List.copyOf(entry.projected().keySet()), "KEYS_ONLY: no name");
    }

    @Test
    void anEntryHoldsTheVectorAsPackedFloatsThatASearchReadsAndAResultShowsAsNumbers() {
        TableMetadata table = table(UUID.randomUUID(), BY_CATEGORY);
        Map<String, AttributeValue> item = item(AttributeValue.s("tools"));
        item.put("embedding", new ListValue(List.of(AttributeValue.n("0.123456789"), AttributeValue.n("-1E+3"))));
        Map<String, AttributeValue> held = IndexEntries.ofVector(table, BY_CATEGORY, item).orElseThrow().projected();
        assertEquals(8, ((AttributeValue.BinaryValue) held.get("embedding")).value().length(), "two 32-bit floats");

        EncodedItem stored = ItemCodec.decodeItem(ItemCodec.encodeItem(held));
        assertArrayEquals(new float[] {0.123456789f, -1000f}, stored.floatList("embedding", 2));
        assertEquals(null, stored.floatList("embedding", 3), "another number of dimensions");
        assertArrayEquals(new float[] {0.123456789f, -1000f}, BY_CATEGORY.entryVector(held).orElseThrow());
        // A result shows what the index kept: the f32 value, as the shortest decimal that reads back as it.
        assertEquals(new ListValue(List.of(AttributeValue.n("0.12345679"), AttributeValue.n("-1000"))),
                BY_CATEGORY.storedAsList(held).get("embedding"));
        // An entry written before vectors were packed holds the item's list, and is read as it was.
        Map<String, AttributeValue> legacy = new LinkedHashMap<>(held);
        legacy.put("embedding", item.get("embedding"));
        assertArrayEquals(new float[] {0.123456789f, -1000f}, ItemCodec.decodeItem(ItemCodec.encodeItem(legacy)).floatList("embedding", 2));
        assertArrayEquals(new float[] {0.123456789f, -1000f}, BY_CATEGORY.entryVector(legacy).orElseThrow());
        // Shown at the index's precision too, as a packed entry is.
        assertEquals(new ListValue(List.of(AttributeValue.n("0.12345679"), AttributeValue.n("-1000"))),
                BY_CATEGORY.storedAsList(legacy).get("embedding"));
    }

    @Test
    void aPackedVectorIsBigEndianFloatsAndATruncatedOneIsCorrupt() {
        AttributeValue.BinaryValue packed = VectorIndex.packed(new float[] {1.0f, -2.5f});
        // Stored on disk: the layout is fixed.
        assertArrayEquals(new byte[] {0x3F, (byte) 0x80, 0, 0, (byte) 0xC0, 0x20, 0, 0}, packed.value().toArray());
        byte[] encoded = ItemCodec.encodeItem(Map.of("embedding", packed));
        assertArrayEquals(new float[] {1.0f, -2.5f}, ItemCodec.decodeItem(encoded).floatList("embedding", 2));
        EncodedItem truncated = ItemCodec.decodeLazily(Arrays.copyOf(encoded, encoded.length - 1));
        assertThrows(IllegalArgumentException.class, () -> truncated.floatList("embedding", 2));
    }

    @Test
    void itemsWithoutAVectorOrAHashValueOfTheDefinedTypeHaveNoEntry() {
        TableMetadata table = table(UUID.randomUUID(), BY_CATEGORY);
        assertTrue(IndexEntries.ofVector(table, BY_CATEGORY, item(null)).isEmpty(), "no HASH attribute");
        // Writes of another type are refused, but an item written before the index was added may have one.
        assertTrue(IndexEntries.ofVector(table, BY_CATEGORY, item(AttributeValue.n("7"))).isEmpty(), "N where S is defined");
        assertTrue(IndexEntries.ofVector(table, BY_CATEGORY, item(BoolValue.TRUE)).isEmpty(), "not a key type at all");
        Map<String, AttributeValue> shortVector = item(AttributeValue.s("tools"));
        shortVector.put("embedding", new ListValue(List.of(AttributeValue.n("1"))));
        assertTrue(IndexEntries.ofVector(table, BY_CATEGORY, shortVector).isEmpty(), "another number of dimensions");
    }

    @Test
    void definitionsJournaledWithoutAnIdGetOneOfTheirTableAndAreBuiltAgain() {
        VectorIndex journaled = new VectorIndex("vec", "embedding", List.of(), IndexProjection.ALL, 2,
                VectorIndex.DistanceFunction.EUCLIDEAN, null, null);
        UUID first = UUID.randomUUID();
        VectorIndex inFirst = table(first, journaled).options().vectorIndexes().get(0);
        VectorIndex inSecond = table(UUID.randomUUID(), journaled).options().vectorIndexes().get(0);
        assertEquals(SecondaryIndex.Status.CREATING, inFirst.status(), "its entries are built before it is searched");
        assertNotEquals(inFirst.id(), inSecond.id(), "two tables' indexes of one name are two indexes");
        assertEquals(inFirst.id(), table(first, journaled).options().vectorIndexes().get(0).id(), "the same on every read");
        assertEquals(inFirst, table(first, inFirst).options().vectorIndexes().get(0), "an id once given is kept");
    }
}
