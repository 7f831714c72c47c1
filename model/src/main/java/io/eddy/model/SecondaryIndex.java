package io.eddy.model;

import io.eddy.model.KeySchema.KeyAttribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A secondary index of a table as the catalog keeps it (journaled as JSON inside
 * {@link TableOptions}).
 *
 * <p>A local index (LSI) shares the table's partition key and has one sort key; it lives in the
 * table's partitions and is written with the items. A global index (GSI) has its own partition key
 * of one to four attributes and zero to four sort-key attributes (DynamoDB's multi-attribute keys),
 * and is kept up to date asynchronously from the partitions' change log.
 *
 * @param id         names the index's entries in the item store, so an index created again under
 *                   the name of a deleted one never sees the old one's entries
 * @param status     CREATING while a global index is being backfilled, DELETING while its entries
 *                   are dropped; ACTIVE otherwise (local indexes are always ACTIVE)
 * @param throughput a global index's provisioned throughput; null for local indexes and for tables
 *                   billed per request
 * @param onDemandThroughput a global index's on-demand maxima, either member null when unset
 * @param warmThroughput a global index's warm throughput floor (see {@link TableOptions.WarmThroughput}); null when none is recorded
 */
public record SecondaryIndex(
        String name,
        UUID id,
        Kind kind,
        List<KeyAttribute> partitionKeys,
        List<KeyAttribute> sortKeys,
        IndexProjection projection,
        Status status,
        IndexThroughput throughput,
        TableOptions.OnDemandThroughput onDemandThroughput,
        TableOptions.WarmThroughput warmThroughput) {

    /** An index that has recorded no warm throughput of its own. */
    public SecondaryIndex(String name, UUID id, Kind kind, List<KeyAttribute> partitionKeys, List<KeyAttribute> sortKeys,
                          IndexProjection projection, Status status, IndexThroughput throughput,
                          TableOptions.OnDemandThroughput onDemandThroughput) {
        this(name, id, kind, partitionKeys, sortKeys, projection, status, throughput, onDemandThroughput, null);
    }

    public enum Kind { LOCAL, GLOBAL }

    public enum Status { CREATING, ACTIVE, DELETING }

    /** A global index's provisioned read and write capacity units. */
    public record IndexThroughput(long readCapacityUnits, long writeCapacityUnits) {}

    /** DynamoDB's limits: five local indexes, twenty global ones, four attributes per key part. */
    public static final int MAX_LOCAL = 5;
    public static final int MAX_GLOBAL = 20;
    public static final int MAX_KEY_ATTRIBUTES = 4;

    public SecondaryIndex {
        partitionKeys = List.copyOf(partitionKeys);
        sortKeys = sortKeys == null ? List.of() : List.copyOf(sortKeys);
        if (projection == null) projection = IndexProjection.ALL;
        if (status == null) status = Status.ACTIVE;
        if (onDemandThroughput == null) onDemandThroughput = TableOptions.OnDemandThroughput.NONE;
    }

    public boolean local() {
        return kind == Kind.LOCAL;
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** Whether either key part has more than one attribute (only global indexes can). */
    public boolean multiAttribute() {
        return partitionKeys.size() > 1 || sortKeys.size() > 1;
    }

    /** The index's key attributes, partition key attributes first, each in key-schema order. */
    public List<KeyAttribute> keyAttributes() {
        List<KeyAttribute> all = new ArrayList<>(partitionKeys);
        all.addAll(sortKeys);
        return all;
    }

    /** The most bytes a value of this key attribute may have: 2048 in the partition key, 1024 in the sort key, as the table's. */
    public int maxKeyBytes(KeyAttribute attribute) {
        return partitionKeys.contains(attribute) ? ItemKeys.MAX_PARTITION_KEY_BYTES : ItemKeys.MAX_SORT_KEY_BYTES;
    }

    /**
     * The index key of {@code item}: every index key attribute with its value, or empty when one
     * is missing, of another type, empty or too long ({@link #maxKeyBytes}), in which case the item
     * is not in the index. Writes refuse such values while the index exists; an item older than the
     * index may have them, and DynamoDB leaves it out when it builds the index (ScyllaDB's tests,
     * run against it).
     */
    public Optional<Map<String, AttributeValue>> keyOf(Map<String, AttributeValue> item) {
        return key(item, false);
    }

    /**
     * The index key an entry of {@code item} has if it was written before {@link #keyOf} left out
     * empty and too long values (by Eddy until 2026-12): only a missing or mistyped attribute leaves
     * the item out. For removing such entries.
     */
    public Optional<Map<String, AttributeValue>> keyOfAnyValue(Map<String, AttributeValue> item) {
        return key(item, true);
    }

    private Optional<Map<String, AttributeValue>> key(Map<String, AttributeValue> item, boolean anyValue) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyAttribute attribute : keyAttributes()) {
            AttributeValue value = item.get(attribute.name());
            if (value == null || value.type() != attribute.type()) return Optional.empty();
            if (!anyValue && !fits(attribute, value)) return Optional.empty();
            key.put(attribute.name(), value);
        }
        return Optional.of(key);
    }

    private boolean fits(KeyAttribute attribute, AttributeValue value) {
        // A number is never empty, and its 38 digits always fit.
        long bytes = ItemKeys.keyBytes(value);
        return value.type() == AttributeType.N || bytes > 0 && bytes <= maxKeyBytes(attribute);
    }

    public SecondaryIndex withStatus(Status newStatus) {
        return new SecondaryIndex(name, id, kind, partitionKeys, sortKeys, projection, newStatus, throughput, onDemandThroughput, warmThroughput);
    }

    public SecondaryIndex withWarmThroughput(TableOptions.WarmThroughput floor) {
        return new SecondaryIndex(name, id, kind, partitionKeys, sortKeys, projection, status, throughput, onDemandThroughput, floor);
    }

    public SecondaryIndex withThroughput(IndexThroughput newThroughput) {
        return new SecondaryIndex(name, id, kind, partitionKeys, sortKeys, projection, status, newThroughput, onDemandThroughput, warmThroughput);
    }
}
