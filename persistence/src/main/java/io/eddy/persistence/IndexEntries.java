package io.eddy.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemSize;
import io.eddy.model.KeySchema;
import io.eddy.model.KeySchema.KeyAttribute;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.VectorIndex;

/**
 * An item's entries in a secondary index, derived from its images alone, so that the index can be
 * brought from an item's old image to its new one by a change event (and rebuilt by replaying the
 * events). An item is in an index when it has every index key attribute with the attribute's type.
 */
public final class IndexEntries {
    private IndexEntries() {}

    /** An item's entry: its key in the index's key space and what the index holds of the item. */
    public record Entry(byte[] key, Map<String, AttributeValue> projected) {
        public long size() {
            return ItemSize.of(projected);
        }
    }

    /** What one change does to an index: the store mutations and the change in entry count and size. */
    public record Change(List<ItemMutation> mutations, long countDelta, long bytesDelta) {}

    /** How an index's entries follow its table's items: an item's entry, and what a change of an item does. */
    public interface Derivation {
        Optional<Entry> entryOf(Map<String, AttributeValue> item);

        Change change(Optional<Map<String, AttributeValue>> oldImage, Optional<Map<String, AttributeValue>> newImage);
    }

    /** A secondary index's derivation: {@link #of} and {@link #change(UUID, KeySchema, SecondaryIndex, Optional, Optional)}. */
    public static Derivation derivation(UUID tableId, KeySchema tableKeys, SecondaryIndex index) {
        return new Derivation() {
            public Optional<Entry> entryOf(Map<String, AttributeValue> item) {
                return of(tableId, tableKeys, index, item);
            }

            public Change change(Optional<Map<String, AttributeValue>> oldImage, Optional<Map<String, AttributeValue>> newImage) {
                return IndexEntries.change(tableId, tableKeys, index, oldImage, newImage);
            }
        };
    }

    /** A vector index's derivation: {@link #ofVector}. */
    public static Derivation derivation(TableMetadata table, VectorIndex index) {
        return new Derivation() {
            public Optional<Entry> entryOf(Map<String, AttributeValue> item) {
                return ofVector(table, index, item);
            }

            public Change change(Optional<Map<String, AttributeValue>> oldImage, Optional<Map<String, AttributeValue>> newImage) {
                return IndexEntries.change(this::entryOf, oldImage, newImage);
            }
        };
    }

    /** The entry of {@code item} in {@code index}, or empty when the item is not in the index. */
    public static Optional<Entry> of(UUID tableId, KeySchema tableKeys, SecondaryIndex index, Map<String, AttributeValue> item) {
        return index.keyOf(item).map(indexKey -> new Entry(entryKey(tableId, tableKeys, index, indexKey, item),
                index.projection().apply(item, keyNames(tableKeys, index))));
    }

    /**
     * Where an entry of {@code item} sits in the index, whatever its key values: a starting key's
     * position (a LastEvaluatedKey may come from an entry an older Eddy wrote for an empty or too
     * long value, which {@link #of} now leaves out).
     */
    public static Optional<byte[]> positionOf(UUID tableId, KeySchema tableKeys, SecondaryIndex index, Map<String, AttributeValue> item) {
        return index.keyOfAnyValue(item).map(indexKey -> entryKey(tableId, tableKeys, index, indexKey, item));
    }

    private static byte[] entryKey(UUID tableId, KeySchema tableKeys, SecondaryIndex index, Map<String, AttributeValue> indexKey,
                                   Map<String, AttributeValue> item) {
        List<AttributeValue> partition = index.partitionKeys().stream().map(k -> indexKey.get(k.name())).toList();
        List<AttributeValue> sort = index.sortKeys().stream().map(k -> indexKey.get(k.name())).toList();
        return StorageKeys.indexEntryKey(tableId, index.id(), partition, sort,
                item.get(tableKeys.partitionKey().name()), tableKeys.sortKey().map(k -> item.get(k.name())));
    }

    /**
     * The entry of {@code item} in a vector index of {@code table}: keyed by its HASH attribute's
     * value (when the search schema has one) and its table key, so that a search reads the entries
     * of one HASH value; empty when the item has no vector of the index's dimensions, or no HASH
     * attribute of its defined type (writes are refused one of another type, but an item written
     * before the index was added may have it). The entry holds the vector packed as 32-bit floats
     * ({@link VectorIndex#packed}).
     */
    public static Optional<Entry> ofVector(TableMetadata table, VectorIndex index, Map<String, AttributeValue> item) {
        Optional<float[]> vector = index.indexedVector(item);
        if (vector.isEmpty()) return Optional.empty();
        Optional<String> hash = index.hashAttribute();
        if (hash.isPresent() && !table.definedType(hash.get()).equals(Optional.of(item.get(hash.get()).type()))) return Optional.empty();
        KeySchema tableKeys = table.keySchema();
        byte[] key = StorageKeys.indexEntryKey(table.id(), index.id(), vectorPartition(index, item), List.of(),
                item.get(tableKeys.partitionKey().name()), tableKeys.sortKey().map(k -> item.get(k.name())));
        Map<String, AttributeValue> held = new LinkedHashMap<>(index.projection().apply(item, index.heldAttributes(tableKeys)));
        held.put(index.vectorAttribute(), VectorIndex.packed(vector.get()));
        return Optional.of(new Entry(key, held));
    }

    /** The index partition of a vector index that {@code values} (the HASH attribute's value, if any) selects. */
    public static List<AttributeValue> vectorPartition(VectorIndex index, Map<String, AttributeValue> values) {
        return index.hashAttribute().map(hash -> List.of(values.get(hash))).orElse(List.of());
    }

    /** The mutations that take {@code index} from the item's {@code oldImage} to its {@code newImage}. */
    public static Change change(UUID tableId, KeySchema tableKeys, SecondaryIndex index,
                                Optional<Map<String, AttributeValue>> oldImage, Optional<Map<String, AttributeValue>> newImage) {
        Change change = change(item -> of(tableId, tableKeys, index, item), oldImage, newImage);
        // An entry an older Eddy wrote for an empty or too long value, which keyOf now leaves out, goes with the item's
        // next change (deleting a key that is not there does nothing); the index's count may be one off for it.
        Optional<byte[]> stale = oldImage.filter(old -> index.keyOf(old).isEmpty())
                .flatMap(old -> index.keyOfAnyValue(old).map(indexKey -> entryKey(tableId, tableKeys, index, indexKey, old)));
        if (stale.isEmpty()) return change;
        List<ItemMutation> mutations = new ArrayList<>(change.mutations());
        mutations.add(0, new ItemMutation.Delete(stale.get()));
        return new Change(mutations, change.countDelta(), change.bytesDelta());
    }

    /** The mutations that take an index whose entries {@code entryOf} derives from the item's {@code oldImage} to its {@code newImage}. */
    public static Change change(Function<Map<String, AttributeValue>, Optional<Entry>> entryOf,
                                Optional<Map<String, AttributeValue>> oldImage, Optional<Map<String, AttributeValue>> newImage) {
        Optional<Entry> before = oldImage.flatMap(entryOf);
        Optional<Entry> after = newImage.flatMap(entryOf);
        List<ItemMutation> mutations = new ArrayList<>(2);
        boolean sameKey = before.isPresent() && after.isPresent() && Arrays.equals(before.get().key(), after.get().key());
        if (before.isPresent() && !sameKey) mutations.add(new ItemMutation.Delete(before.get().key()));
        if (after.isPresent() && !unchanged(before, after)) mutations.add(new ItemMutation.Put(after.get().key(), after.get().projected()));
        return new Change(mutations,
                (after.isPresent() ? 1 : 0) - (before.isPresent() ? 1 : 0),
                after.map(Entry::size).orElse(0L) - before.map(Entry::size).orElse(0L));
    }

    /** Whether a change leaves an index's entry as it was: none before or after, or the same key holding the same attributes. */
    public static boolean unchanged(Optional<Entry> before, Optional<Entry> after) {
        if (before.isEmpty() || after.isEmpty()) return before.isEmpty() && after.isEmpty();
        return Arrays.equals(before.get().key(), after.get().key()) && before.get().projected().equals(after.get().projected());
    }

    /** The attributes every entry holds whatever the projection: the table's key and the index's. */
    public static Set<String> keyNames(KeySchema tableKeys, SecondaryIndex index) {
        Set<String> names = new LinkedHashSet<>();
        names.add(tableKeys.partitionKey().name());
        tableKeys.sortKey().ifPresent(sort -> names.add(sort.name()));
        for (KeyAttribute attribute : index.keyAttributes()) names.add(attribute.name());
        return names;
    }
}
