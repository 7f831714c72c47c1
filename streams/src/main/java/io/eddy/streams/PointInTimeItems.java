package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemIterator;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.KeyRanges;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.StoredItem;
import io.eddy.shards.PartitionId;
import io.eddy.shards.StorageExtension;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A table's items as they were at a moment of the past, for point-in-time recovery. Each
 * partition's items are read as of one item-store snapshot, whose applied sequence number says
 * exactly which journaled changes they hold; the changes between that and the moment are then
 * undone (each key takes the old image of its first change after the moment) or, for changes
 * journaled but not yet applied at the snapshot, redone (the new image of its last change up to
 * the moment). Every change carries full images, so nothing else is needed; the journal must
 * still hold them, which journal trimming ensures for a table with point-in-time recovery.
 */
public final class PointInTimeItems {

    /** The table, or changes a restore needs, are no longer there: the restore cannot be done. */
    public static final class HistoryUnavailable extends IllegalStateException {
        public HistoryUnavailable(String message) {
            super(message);
        }
    }

    private final ItemStore store;
    private final ChangeLog changes;

    PointInTimeItems(ItemStore store, ChangeLog changes) {
        this.store = store;
        this.changes = changes;
    }

    public static PointInTimeItems of(ActorSystem<?> system) {
        return new PointInTimeItems(StorageExtension.get(system).itemStore(), ChangeLog.of(system));
    }

    /**
     * Gives each item the table held at {@code timeMicros} (epoch microseconds: the changes
     * journaled at or before it count), partition after partition.
     *
     * @throws HistoryUnavailable when the journal no longer holds a change that is needed
     */
    public void forEach(TableMetadata table, long timeMicros, Consumer<Map<String, AttributeValue>> action) {
        for (int partition = 0; partition < table.partitionCount(); partition++) {
            forEachInPartition(table, partition, timeMicros, action);
        }
    }

    private void forEachInPartition(TableMetadata table, int index, long timeMicros, Consumer<Map<String, AttributeValue>> action) {
        PartitionId partition = new PartitionId(table.id(), index);
        int partitions = table.partitionCount();
        KeyRange range = KeyRanges.hashes(table.id(), PartitionHash.rangeStart(index, partitions), PartitionHash.rangeLast(index, partitions));
        ItemStore.SnapshotRange snapshot = store.snapshotRange(partition.entityId(), range.from(), range.toExclusive());
        try (ItemIterator items = snapshot.items()) {
            long applied = snapshot.meta().appliedSeqNr();
            long lastAtTime = changes.firstAtOrAfter(partition, timeMicros + 1) - 1;
            // The keys whose image at the moment differs from the snapshot's, with that image.
            Map<ByteBuffer, Optional<Map<String, AttributeValue>>> differing = new HashMap<>();
            if (lastAtTime < applied) {
                requireJournaled(partition, lastAtTime + 1);
                changes.forEach(partition, lastAtTime + 1, applied,
                        change -> differing.putIfAbsent(ByteBuffer.wrap(change.event().key()), change.event().oldImage()));
            } else if (lastAtTime > applied) {
                requireJournaled(partition, applied + 1);
                changes.forEach(partition, applied + 1, lastAtTime,
                        change -> differing.put(ByteBuffer.wrap(change.event().key()), change.event().newImage()));
            }
            while (items.hasNext()) {
                StoredItem item = items.next();
                if (!differing.containsKey(ByteBuffer.wrap(item.key()))) action.accept(item.item());
            }
            differing.values().forEach(image -> image.ifPresent(action));
        }
    }

    private void requireJournaled(PartitionId partition, long from) {
        long lowest = changes.journal().lowestSequenceNr(partition.persistenceId());
        if (lowest > from) {
            throw new HistoryUnavailable("the journal of " + partition.persistenceId() + " no longer holds the changes from "
                    + from + " on (it starts at " + lowest + ")");
        }
    }
}
