package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.CapacityUnits;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.VectorIndex;
import io.eddy.persistence.IndexEntries;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The capacity units one operation consumed on one table: on the table itself and on each of its
 * local and global secondary indexes (what ReturnConsumedCapacity INDEXES breaks the total down to);
 * and the bytes a write replicated to each vector index (VectorWriteRequestBytes, metered apart from
 * capacity units).
 */
record ConsumedCapacity(String tableName, double table, Map<String, Double> localIndexes, Map<String, Double> globalIndexes,
                        Map<String, Double> vectorIndexes) {

    /** DynamoDB meters a vector index's write at least 1 KB. */
    static final double MIN_VECTOR_WRITE_BYTES = 1024;

    ConsumedCapacity {
        localIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(localIndexes));
        globalIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(globalIndexes));
        vectorIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(vectorIndexes));
    }

    ConsumedCapacity(String tableName, double table, Map<String, Double> localIndexes, Map<String, Double> globalIndexes) {
        this(tableName, table, localIndexes, globalIndexes, Map.of());
    }

    /** The same units under another name of the table (the ARN a request named it by). */
    ConsumedCapacity named(String name) {
        return name.equals(tableName) ? this : new ConsumedCapacity(name, table, localIndexes, globalIndexes, vectorIndexes);
    }

    static ConsumedCapacity ofTable(String tableName, double units) {
        return new ConsumedCapacity(tableName, units, Map.of(), Map.of());
    }

    /** Units consumed reading an index (and, for a local index, {@code tableUnits} fetching items from the table). */
    static ConsumedCapacity ofIndex(String tableName, SecondaryIndex index, double indexUnits, double tableUnits) {
        Map<String, Double> units = Map.of(index.name(), indexUnits);
        return new ConsumedCapacity(tableName, tableUnits, index.local() ? units : Map.of(), index.local() ? Map.of() : units);
    }

    /**
     * A write that replaced {@code before} by {@code after}: the item's units, and for each index
     * whose entry the write changes, the entry's units (twice when the index key changed: the old
     * entry is deleted and a new one written); for each vector index whose entry it changes, the
     * bytes of the entry written (of the one removed, for a removal).
     */
    static ConsumedCapacity ofWrite(TableMetadata table, Optional<Map<String, AttributeValue>> before,
                                    Optional<Map<String, AttributeValue>> after) {
        Map<String, Double> local = new LinkedHashMap<>();
        Map<String, Double> global = new LinkedHashMap<>();
        for (SecondaryIndex index : table.options().indexes()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            double units = indexWrite(table, index, before, after);
            if (units > 0) (index.local() ? local : global).put(index.name(), units);
        }
        Map<String, Double> vector = new LinkedHashMap<>();
        for (VectorIndex index : table.options().vectorIndexes()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            Optional<IndexEntries.Entry> old = before.flatMap(item -> IndexEntries.ofVector(table, index, item));
            Optional<IndexEntries.Entry> next = after.flatMap(item -> IndexEntries.ofVector(table, index, item));
            if (IndexEntries.unchanged(old, next)) continue;
            vector.put(index.name(), (double) next.or(() -> old).get().size());
        }
        return new ConsumedCapacity(table.name(), CapacityUnits.write(billed(table, before), billed(table, after)), local, global,
                vector);
    }

    /**
     * The write units of one item as it stands, as a failed condition or a transaction's
     * ConditionCheck charges them: sized as a write sizes it ({@link #billed}).
     */
    static double writeUnitsOf(TableMetadata table, Optional<Map<String, AttributeValue>> item) {
        return CapacityUnits.write(billed(table, item), Optional.empty());
    }

    /**
     * An item as DynamoDB sizes it for a write's units: a vector index's attribute holding a vector
     * counts four bytes a dimension, whatever numbers it holds, as the index stores it (the
     * conformance suite's capture, 2026-10); reads and the 400 KB limit size its numbers. An index
     * being deleted stores nothing more, as {@link #ofWrite} counts it.
     */
    private static Optional<Map<String, AttributeValue>> billed(TableMetadata table, Optional<Map<String, AttributeValue>> item) {
        if (item.isEmpty() || table.options().vectorIndexes().isEmpty()) return item;
        Map<String, AttributeValue> billed = new LinkedHashMap<>(item.get());
        for (VectorIndex index : table.options().vectorIndexes()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            index.vectorOf(item.get()).ifPresent(vector -> billed.put(index.vectorAttribute(), VectorIndex.packed(vector)));
        }
        return Optional.of(billed);
    }

    private static double indexWrite(TableMetadata table, SecondaryIndex index, Optional<Map<String, AttributeValue>> before,
                                     Optional<Map<String, AttributeValue>> after) {
        Optional<IndexEntries.Entry> old = before.flatMap(item -> IndexEntries.of(table.id(), table.keySchema(), index, item));
        Optional<IndexEntries.Entry> next = after.flatMap(item -> IndexEntries.of(table.id(), table.keySchema(), index, item));
        if (IndexEntries.unchanged(old, next)) return 0;
        if (old.isPresent() && next.isPresent() && Arrays.equals(old.get().key(), next.get().key())) {
            return CapacityUnits.write(Math.max(old.get().size(), next.get().size()));
        }
        return old.map(entry -> CapacityUnits.write(entry.size())).orElse(0.0)
                + next.map(entry -> CapacityUnits.write(entry.size())).orElse(0.0);
    }

    double total() {
        return table + localIndexes.values().stream().mapToDouble(Double::doubleValue).sum()
                + globalIndexes.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * These units {@code factor} times over (a transaction's writes cost twice a plain write's); the
     * vector bytes are the bytes replicated, whatever the units.
     */
    ConsumedCapacity times(double factor) {
        Map<String, Double> local = new LinkedHashMap<>();
        localIndexes.forEach((name, units) -> local.put(name, units * factor));
        Map<String, Double> global = new LinkedHashMap<>();
        globalIndexes.forEach((name, units) -> global.put(name, units * factor));
        return new ConsumedCapacity(tableName, table * factor, local, global, vectorIndexes);
    }

    /** Both operations' units (and vector bytes) on the same table, index by index. */
    ConsumedCapacity plus(ConsumedCapacity other) {
        Map<String, Double> local = new LinkedHashMap<>(localIndexes);
        other.localIndexes.forEach((name, units) -> local.merge(name, units, Double::sum));
        Map<String, Double> global = new LinkedHashMap<>(globalIndexes);
        other.globalIndexes.forEach((name, units) -> global.merge(name, units, Double::sum));
        Map<String, Double> vector = new LinkedHashMap<>(vectorIndexes);
        other.vectorIndexes.forEach((name, bytes) -> vector.merge(name, bytes, Double::sum));
        return new ConsumedCapacity(tableName, table + other.table, local, global, vector);
    }

    /**
     * The vector bytes as reported: each index written at least DynamoDB's 1 KB minimum (per index,
     * not per request, as the conformance suite captured it in 2026-10).
     */
    Map<String, Double> reportedVectorBytes() {
        Map<String, Double> reported = new LinkedHashMap<>();
        vectorIndexes.forEach((name, bytes) -> reported.put(name, Math.max(bytes, MIN_VECTOR_WRITE_BYTES)));
        return reported;
    }
}
