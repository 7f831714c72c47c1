package io.eddy.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A vector index of a table (CreateTable VectorIndexes): the items whose {@code vectorAttribute}
 * holds a list of {@code dimensions} numbers, searched by similarity (SearchVectors) under
 * {@code distanceFunction}, optionally scoped by a partition attribute (HASH) and filtered by
 * others (INLINE_FILTER) of its search schema. Its entries are kept in the item store under
 * {@code id}, as a global secondary index's are; {@code status} is CREATING while an index added to
 * a table with items is built, DELETING while its entries are dropped.
 */
public record VectorIndex(String name, String vectorAttribute, List<SearchAttribute> searchSchema, IndexProjection projection,
                          int dimensions, DistanceFunction distanceFunction, UUID id, SecondaryIndex.Status status) {

    /** DynamoDB's limits: five vector indexes a table, 4,096 dimensions, one HASH and 18 inline filters an index. */
    public static final int MAX_PER_TABLE = 5;
    public static final int MAX_DIMENSIONS = 4096;
    public static final int MAX_INLINE_FILTERS = 18;

    public enum DistanceFunction { COSINE, DOT_PRODUCT, EUCLIDEAN }

    public enum SearchAttributeType { HASH, INLINE_FILTER }

    public record SearchAttribute(String name, SearchAttributeType type) {}

    public VectorIndex {
        searchSchema = searchSchema == null ? List.of() : List.copyOf(searchSchema);
        if (projection == null) projection = IndexProjection.ALL;
        // A definition journaled before indexes had entries of their own has none yet: it is built as a new index is.
        if (status == null) status = id == null ? SecondaryIndex.Status.CREATING : SecondaryIndex.Status.ACTIVE;
    }

    /**
     * This index with an id, if it was journaled without one ({@link TableMetadata} gives it one):
     * derived from the table's id and the index's name, so unique on the node and the same on every
     * read of the catalog.
     */
    public VectorIndex identifiedIn(UUID tableId) {
        if (id != null) return this;
        UUID derived = UUID.nameUUIDFromBytes(("vector-index/" + tableId + "/" + name).getBytes(StandardCharsets.UTF_8));
        return new VectorIndex(name, vectorAttribute, searchSchema, projection, dimensions, distanceFunction, derived, status);
    }

    public VectorIndex withStatus(SecondaryIndex.Status newStatus) {
        return new VectorIndex(name, vectorAttribute, searchSchema, projection, dimensions, distanceFunction, id, newStatus);
    }

    /**
     * The attributes every result of a search may show whatever the projection: the table's keys,
     * the search schema's and the vector.
     */
    public Set<String> heldAttributes(KeySchema tableKeys) {
        Set<String> held = new LinkedHashSet<>();
        held.add(tableKeys.partitionKey().name());
        tableKeys.sortKey().ifPresent(sort -> held.add(sort.name()));
        searchSchema.forEach(attribute -> held.add(attribute.name()));
        held.add(vectorAttribute);
        return held;
    }

    /** The search schema's partition attribute, if it has one. */
    public Optional<String> hashAttribute() {
        return searchSchema.stream().filter(a -> a.type() == SearchAttributeType.HASH).map(SearchAttribute::name).findFirst();
    }

    public Optional<SearchAttribute> searchAttribute(String attribute) {
        return searchSchema.stream().filter(a -> a.name().equals(attribute)).findFirst();
    }

    /**
     * The item's vector at the index's 32-bit precision, when the item is in the index: its vector
     * attribute a list of {@code dimensions} numbers (writes of any other are refused, see
     * {@link #checkVector}), and its HASH attribute present (an item without it is not indexed).
     */
    public Optional<float[]> indexedVector(Map<String, AttributeValue> item) {
        if (hashAttribute().isPresent() && !item.containsKey(hashAttribute().get())) return Optional.empty();
        return vectorOf(item);
    }

    /** The item's vector attribute at 32-bit precision, when it is a list of {@code dimensions} finite numbers. */
    public Optional<float[]> vectorOf(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(vectorAttribute);
        if (!(value instanceof AttributeValue.ListValue list) || list.values().size() != dimensions) return Optional.empty();
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            if (!(list.values().get(i) instanceof AttributeValue.NumberValue number)) return Optional.empty();
            vector[i] = number.value().floatValue();
            if (!Float.isFinite(vector[i])) return Optional.empty();
        }
        return Optional.of(vector);
    }

    /** Reads and writes a stored vector's elements: big-endian 32-bit floats. */
    private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    /**
     * The vector as an index entry stores it: its 32-bit floats packed in a binary value, as
     * DynamoDB keeps embeddings in the index at f32 precision. A search reads it back without
     * parsing a number ({@link #unpack}); a result that shows it turns it back into a list of
     * numbers ({@link #storedAsList}).
     */
    public static AttributeValue.BinaryValue packed(float[] vector) {
        byte[] bytes = new byte[Float.BYTES * vector.length];
        for (int i = 0; i < vector.length; i++) FLOATS.set(bytes, i * Float.BYTES, vector[i]);
        return new AttributeValue.BinaryValue(Bytes.wrap(bytes));
    }

    /** The {@code dimensions} floats {@link #packed} wrote at {@code offset} of {@code bytes}. */
    public static float[] unpack(byte[] bytes, int offset, int dimensions) {
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) vector[i] = (float) FLOATS.get(bytes, offset + i * Float.BYTES);
        return vector;
    }

    /**
     * The vector an index entry holds: packed, or (an entry written before vectors were packed) the
     * item's list of numbers; empty when it holds neither of the index's dimensions.
     */
    public Optional<float[]> entryVector(Map<String, AttributeValue> entry) {
        if (entry.get(vectorAttribute) instanceof AttributeValue.BinaryValue binary) {
            byte[] bytes = binary.value().unsafeArray();
            return bytes.length == Float.BYTES * dimensions ? Optional.of(unpack(bytes, 0, dimensions)) : Optional.empty();
        }
        return indexedVector(entry);
    }

    /**
     * An index entry as a result shows it: its vector as a list of numbers at the index's f32
     * precision, each as {@link Float#toString} spells the float (a decimal that reads back as it;
     * a value given with more precision comes back rounded), whether the entry holds it packed or,
     * written before vectors were packed, as the item's list.
     */
    public Map<String, AttributeValue> storedAsList(Map<String, AttributeValue> entry) {
        Map<String, AttributeValue> shown = new LinkedHashMap<>(entry);
        entryVector(entry).ifPresent(vector -> {
            List<AttributeValue> numbers = new ArrayList<>(vector.length);
            for (float element : vector) numbers.add(new AttributeValue.NumberValue(new BigDecimal(Float.toString(element))));
            shown.put(vectorAttribute, new AttributeValue.ListValue(numbers));
        });
        return shown;
    }

    /**
     * Refuses a vector a write gives this index's vector attribute unless it is a list of
     * {@code dimensions} numbers, each a finite 32-bit float.
     */
    public void checkVector(AttributeValue value) {
        if (!(value instanceof AttributeValue.ListValue list)) {
            throw invalidVector("Invalid type for parameter " + vectorAttribute + ", Expected: 32-bit floating point number list "
                    + "IndexName: " + name);
        }
        if (list.values().size() != dimensions) {
            throw invalidVector("Invalid size for parameter " + vectorAttribute + ", Expected: " + dimensions
                    + ", Actual: " + list.values().size() + " IndexName: " + name);
        }
        for (int i = 0; i < dimensions; i++) {
            AttributeValue element = list.values().get(i);
            if (!(element instanceof AttributeValue.NumberValue number)) {
                throw invalidVector("Invalid type for parameter " + vectorAttribute + "[" + i + "], Expected: 32-bit floating point "
                        + "number, Actual: " + element.type() + ". IndexName: " + name);
            }
            if (!fitsFloat(number.value())) {
                throw invalidVector("Invalid value for parameter " + vectorAttribute + "[" + i + "]: " + number.value()
                        .toPlainString() + " is not a 32-bit floating point number. IndexName: " + name);
            }
        }
    }

    /** DynamoDB words a bad vector "One or more parameter values were invalid. …", with a period (captured, 2026). */
    private static DynamoException invalidVector(String detail) {
        return DynamoException.validation("One or more parameter values were invalid. " + detail);
    }

    /** Whether {@code value} is within the range of a 32-bit float (smaller ones round to zero). */
    public static boolean fitsFloat(BigDecimal value) {
        return Float.isFinite(value.floatValue());
    }

    /**
     * The similarity score of two vectors under the index's distance function. Each function sums
     * only what it needs: a search scores every entry it reads, so this is its inner loop.
     */
    public double score(float[] a, float[] b) {
        return switch (distanceFunction) {
            case COSINE -> {
                double dot = 0;
                double normA = 0;
                double normB = 0;
                for (int i = 0; i < a.length; i++) {
                    dot += (double) a[i] * b[i];
                    normA += (double) a[i] * a[i];
                    normB += (double) b[i] * b[i];
                }
                // Rounding can take 1 - cos a hair outside [0, 2].
                yield normA == 0 || normB == 0 ? 1.0 : Math.max(0, Math.min(2, 1.0 - dot / (Math.sqrt(normA) * Math.sqrt(normB))));
            }
            case DOT_PRODUCT -> {
                double dot = 0;
                for (int i = 0; i < a.length; i++) dot += (double) a[i] * b[i];
                yield dot;
            }
            case EUCLIDEAN -> {
                double squared = 0;
                for (int i = 0; i < a.length; i++) {
                    double d = (double) a[i] - b[i];
                    squared += d * d;
                }
                yield Math.sqrt(squared);
            }
        };
    }

    /** Whether a result of score {@code a} is more similar than one of score {@code b}: higher for DOT_PRODUCT, lower otherwise. */
    public boolean moreSimilar(double a, double b) {
        return distanceFunction == DistanceFunction.DOT_PRODUCT ? a > b : a < b;
    }
}
