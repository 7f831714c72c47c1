package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.CapacityUnits;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.IndexEntries;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The capacity units one operation consumed on one table: on the table itself and on each of its
 * local and global secondary indexes (what ReturnConsumedCapacity INDEXES breaks the total down to).
 */
record ConsumedCapacity(String tableName, double table, Map<String, Double> localIndexes, Map<String, Double> globalIndexes) {

    ConsumedCapacity {
        localIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(localIndexes));
        globalIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(globalIndexes));
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
     * entry is deleted and a new one written).
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
        return new ConsumedCapacity(table.name(), CapacityUnits.write(before, after), local, global);
    }

    private static double indexWrite(TableMetadata table, SecondaryIndex index, Optional<Map<String, AttributeValue>> before,
                                     Optional<Map<String, AttributeValue>> after) {
        Optional<IndexEntries.Entry> old = before.flatMap(item -> IndexEntries.of(table.id(), table.keySchema(), index, item));
        Optional<IndexEntries.Entry> next = after.flatMap(item -> IndexEntries.of(table.id(), table.keySchema(), index, item));
        if (old.isPresent() && next.isPresent() && Arrays.equals(old.get().key(), next.get().key())) {
            if (old.get().projected().equals(next.get().projected())) return 0;
            return CapacityUnits.write(Math.max(old.get().size(), next.get().size()));
        }
        return old.map(entry -> CapacityUnits.write(entry.size())).orElse(0.0)
                + next.map(entry -> CapacityUnits.write(entry.size())).orElse(0.0);
    }

    double total() {
        return table + localIndexes.values().stream().mapToDouble(Double::doubleValue).sum()
                + globalIndexes.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** These units {@code factor} times over (a transaction's writes cost twice a plain write's). */
    ConsumedCapacity times(double factor) {
        Map<String, Double> local = new LinkedHashMap<>();
        localIndexes.forEach((name, units) -> local.put(name, units * factor));
        Map<String, Double> global = new LinkedHashMap<>();
        globalIndexes.forEach((name, units) -> global.put(name, units * factor));
        return new ConsumedCapacity(tableName, table * factor, local, global);
    }

    /** Both operations' units on the same table, index by index. */
    ConsumedCapacity plus(ConsumedCapacity other) {
        Map<String, Double> local = new LinkedHashMap<>(localIndexes);
        other.localIndexes.forEach((name, units) -> local.merge(name, units, Double::sum));
        Map<String, Double> global = new LinkedHashMap<>(globalIndexes);
        other.globalIndexes.forEach((name, units) -> global.merge(name, units, Double::sum));
        return new ConsumedCapacity(tableName, table + other.table, local, global);
    }
}
