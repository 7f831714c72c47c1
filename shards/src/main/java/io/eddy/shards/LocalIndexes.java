package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.Bytes;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.ItemSize;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.IndexEntries;
import io.eddy.persistence.ItemMutation;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.persistence.StorageKeys;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The local secondary indexes of one partition, kept by its writer: each change's entries are
 * derived from the change's old and new images and written in the same LevelDB batch as the item,
 * with the indexes' counters and the size of the item's collection (the items of its partition-key
 * value and their index entries), so a replayed change rebuilds all of them. The writer is their
 * only writer, so it keeps the index counters in memory.
 */
final class LocalIndexes {

    static final LocalIndexes NONE = new LocalIndexes(null, null, List.of(), null, null, Long.MAX_VALUE);

    private final UUID tableId;
    private final KeySchema tableKeys;
    private final List<SecondaryIndex> indexes;
    private final PartitionId partition;
    private final ItemStore store;
    private final long collectionLimit;
    private final Map<UUID, PartitionMeta> counters = new HashMap<>();
    /** The collection sizes the batch being evaluated has reached, by collection key. */
    private final Map<Bytes, Long> batchCollections = new HashMap<>();

    private LocalIndexes(UUID tableId, KeySchema tableKeys, List<SecondaryIndex> indexes, PartitionId partition,
                         ItemStore store, long collectionLimit) {
        this.tableId = tableId;
        this.tableKeys = tableKeys;
        this.indexes = indexes;
        this.partition = partition;
        this.store = store;
        this.collectionLimit = collectionLimit;
    }

    /** The local indexes of {@code table} (fixed at its creation), none if the table is unknown. */
    static LocalIndexes of(Optional<TableMetadata> table, PartitionId partition, ItemStore store, long collectionLimit) {
        if (table.isEmpty() || table.get().options().localIndexes().isEmpty()) return NONE;
        return new LocalIndexes(table.get().id(), table.get().keySchema(), table.get().options().localIndexes(), partition,
                store, collectionLimit);
    }

    /** Starts the evaluation of a batch of writes (see {@link #admit}). */
    void beginBatch() {
        batchCollections.clear();
    }

    /**
     * Refuses a write that would grow its item collection beyond the limit (10 GB in DynamoDB),
     * counting the batch's earlier writes; a write that shrinks a collection is always admitted.
     *
     * @throws DynamoException ItemCollectionSizeLimitExceededException
     */
    void admit(Optional<Map<String, AttributeValue>> current, Optional<Map<String, AttributeValue>> next) {
        if (indexes.isEmpty() || current.isEmpty() && next.isEmpty()) return;
        long delta = footprint(next) - footprint(current);
        byte[] key = collectionKey(next.orElseGet(current::get));
        Bytes collection = Bytes.wrap(key);
        long size = batchCollections.containsKey(collection) ? batchCollections.get(collection) : store.metaAt(key).sizeBytes();
        if (delta > 0 && size + delta > collectionLimit) {
            throw new DynamoException(ErrorCode.ItemCollectionSizeLimitExceededException, "Collection size exceeded");
        }
        batchCollections.put(collection, size + delta);
    }

    /** The collection sizes the batch has admitted so far, to go back to when a transaction's prepare is refused. */
    Map<Bytes, Long> savepoint() {
        return batchCollections.isEmpty() ? Map.of() : new HashMap<>(batchCollections);
    }

    /** Forgets what was admitted since {@code savepoint}. */
    void restore(Map<Bytes, Long> savepoint) {
        batchCollections.clear();
        batchCollections.putAll(savepoint);
    }

    /**
     * The store mutations of changes applied together: each item (and its version, in a global
     * table), its entries in every local
     * index, and the counters they move (the indexes' and the item collections').
     */
    List<ItemMutation> mutations(List<ItemChanged> changes, long sequenceNr) {
        List<ItemMutation> mutations = new ArrayList<>(changes.size() * (1 + indexes.size()));
        Set<UUID> countersMoved = new LinkedHashSet<>();
        Map<Bytes, PartitionMeta> collections = new LinkedHashMap<>();
        for (ItemChanged change : changes) {
            mutations.add(change.newImage()
                    .<ItemMutation>map(item -> new ItemMutation.Put(change.key(), item))
                    .orElseGet(() -> new ItemMutation.Delete(change.key())));
            if (change.version() != null) mutations.add(new ItemMutation.SetVersion(change.key(), change.version()));
            if (indexes.isEmpty()) continue;
            long collectionDelta = sizeOf(change.newImage()) - sizeOf(change.oldImage());
            for (SecondaryIndex index : indexes) {
                IndexEntries.Change indexChange = IndexEntries.change(tableId, tableKeys, index, change.oldImage(), change.newImage());
                mutations.addAll(indexChange.mutations());
                collectionDelta += indexChange.bytesDelta();
                if (indexChange.countDelta() != 0 || indexChange.bytesDelta() != 0) {
                    counters.put(index.id(), moved(counters(index.id()), sequenceNr, indexChange.countDelta(), indexChange.bytesDelta()));
                    countersMoved.add(index.id());
                }
            }
            if (change.oldImage().isEmpty() && change.newImage().isEmpty()) continue;
            byte[] key = collectionKey(change.newImage().orElseGet(() -> change.oldImage().get()));
            PartitionMeta collection = collections.computeIfAbsent(Bytes.wrap(key), k -> store.metaAt(key));
            long countDelta = (change.newImage().isPresent() ? 1 : 0) - (change.oldImage().isPresent() ? 1 : 0);
            collections.put(Bytes.wrap(key), moved(collection, sequenceNr, countDelta, collectionDelta));
        }
        for (UUID index : countersMoved) {
            mutations.add(new ItemMutation.SetMeta(StorageKeys.metaKey(partition.indexMetaId(index)), counters.get(index)));
        }
        collections.forEach((key, meta) -> mutations.add(new ItemMutation.SetMeta(key.unsafeArray(), meta)));
        return mutations;
    }

    private PartitionMeta counters(UUID indexId) {
        return counters.computeIfAbsent(indexId, id -> store.meta(partition.indexMetaId(id)));
    }

    private static PartitionMeta moved(PartitionMeta meta, long sequenceNr, long countDelta, long bytesDelta) {
        return new PartitionMeta(sequenceNr, Math.max(0, meta.itemCount() + countDelta), Math.max(0, meta.sizeBytes() + bytesDelta));
    }

    /** What an item adds to its collection: itself and its local index entries. */
    private long footprint(Optional<Map<String, AttributeValue>> image) {
        if (image.isEmpty()) return 0;
        long size = ItemSize.of(image.get());
        for (SecondaryIndex index : indexes) {
            size += IndexEntries.of(tableId, tableKeys, index, image.get()).map(IndexEntries.Entry::size).orElse(0L);
        }
        return size;
    }

    private byte[] collectionKey(Map<String, AttributeValue> item) {
        return StorageKeys.collectionKey(tableId, item.get(tableKeys.partitionKey().name()));
    }

    private static long sizeOf(Optional<Map<String, AttributeValue>> image) {
        return image.map(ItemSize::of).orElse(0L);
    }
}
