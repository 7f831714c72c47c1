package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemIterator;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.KeyRanges;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.StoredItem;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionEvent.TransactionResolved;
import io.eddy.shards.PartitionId;
import io.eddy.shards.StorageExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>A transaction's writes count at the moment its coordinator decided to commit it, not at the
 * times its partitions journaled them (each a little later, by its own clock), so that no moment
 * shows a transaction half done: a partition's commit journaled after the moment, of a transaction
 * decided before it, counts as before it.
 */
public final class PointInTimeItems {

    /**
     * How long after its decision a transaction's commit may reach a partition's journal and
     * still be placed at its decision (a lost message is sent again after a second). A moment is
     * read only once this long has passed since it, so that everything it covers is journaled.
     */
    public static final Duration SETTLE = Duration.ofSeconds(2);

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

    /** Waits until {@link #SETTLE} has passed since the moment: only then may it be read. */
    public static void awaitSettled(long timeMicros) throws InterruptedException {
        long settledMillis = timeMicros / 1000 + SETTLE.toMillis();
        Thread.sleep(Math.max(0, settledMillis - System.currentTimeMillis()));
    }

    /**
     * Gives each item the table held at {@code timeMicros} (epoch microseconds: the changes
     * journaled at or before it count), partition after partition. Call it once the moment has
     * settled ({@link #awaitSettled}).
     *
     * @throws HistoryUnavailable when the journal no longer holds a change that is needed
     */
    public void forEach(TableMetadata table, long timeMicros, Consumer<Map<String, AttributeValue>> action) {
        for (int partition = 0; partition < table.partitionCount(); partition++) {
            forEachInPartition(table, partition, timeMicros, action);
        }
    }

    /** What the changes to one item in a period came to: its image before the first and after the last, and the last one's time. */
    public record NetChange(Optional<Map<String, AttributeValue>> before, Optional<Map<String, AttributeValue>> after, long lastMicros) {}

    /**
     * Gives, partition after partition, each item changed from {@code fromMicros} (inclusive) to
     * {@code toMicros} (exclusive) with what its changes came to; an item created and deleted
     * within the period is not given. A change counts where a point-in-time read places it: a
     * transaction's writes at its decision, so that the items just before {@code fromMicros}
     * ({@link #forEach} at {@code fromMicros - 1}), changed as this gives, are the items just
     * before {@code toMicros}, and consecutive periods neither overlap nor leave a gap. The changed items of a partition are held in
     * memory while it is read. Call it once {@code toMicros} has settled ({@link #awaitSettled}).
     *
     * @throws HistoryUnavailable when the journal no longer holds a change of the period
     */
    public void forEachChange(TableMetadata table, long fromMicros, long toMicros, Consumer<NetChange> action) {
        for (int index = 0; index < table.partitionCount(); index++) {
            PartitionId partition = new PartitionId(table.id(), index);
            // Before a moment: journaled before it, or of a transaction decided before it (whenever journaled).
            long beforeFrom = changes.firstAtOrAfter(partition, fromMicros) - 1;
            Set<Long> lateBeforeFrom = new HashSet<>();
            lateCommits(partition, beforeFrom + 1, 0, fromMicros - 1, lateBeforeFrom);
            long beforeTo = changes.firstAtOrAfter(partition, toMicros) - 1;
            Set<Long> lateBeforeTo = new HashSet<>();
            long lastLate = lateCommits(partition, beforeTo + 1, 0, toMicros - 1, lateBeforeTo);
            long last = Math.max(beforeTo, lastLate);
            if (beforeFrom + 1 > last) continue;
            requireJournaled(partition, beforeFrom + 1);
            // A key's changes that count before a moment are a prefix of its changes, so those between
            // the two moments are consecutive ones: folded in order, first old image to last new one.
            Map<ByteBuffer, NetChange> net = new java.util.LinkedHashMap<>();
            changes.forEach(partition, beforeFrom + 1, last, change -> {
                long seq = change.sequenceNr();
                boolean beforeEnd = seq <= beforeTo || lateBeforeTo.contains(seq);
                if (!beforeEnd || lateBeforeFrom.contains(seq)) return;
                ItemChanged event = change.event();
                // A commit journaled just after the period, of a transaction decided in it, is timed within it.
                long time = Math.min(event.timestampMicros(), toMicros - 1);
                net.merge(ByteBuffer.wrap(event.key()), new NetChange(event.oldImage(), event.newImage(), time),
                        (first, later) -> new NetChange(first.before(), later.after(), later.lastMicros()));
            });
            for (NetChange change : net.values()) {
                if (change.before().isPresent() || change.after().isPresent()) action.accept(change);
            }
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
            Set<Long> lateCommits = new HashSet<>();
            long lastLate = lateCommits(partition, lastAtTime + 1, applied, timeMicros, lateCommits);
            long from = Math.min(lastAtTime, applied) + 1;
            long to = Math.max(Math.max(lastAtTime, applied), lastLate);
            // The keys whose image at the moment differs from the snapshot's, with that image. A key's
            // changes that count form a prefix of its changes (an item is locked from a transaction's
            // prepare to its commit), so its image is the old one of its first change that does not
            // count, or else the new one of its last change that does and the snapshot lacks.
            Map<ByteBuffer, Optional<Map<String, AttributeValue>>> differing = new HashMap<>();
            Set<ByteBuffer> past = new HashSet<>();
            if (from <= to) {
                requireJournaled(partition, from);
                changes.forEach(partition, from, to, change -> {
                    ByteBuffer key = ByteBuffer.wrap(change.event().key());
                    boolean counts = change.sequenceNr() <= lastAtTime || lateCommits.contains(change.sequenceNr());
                    if (!counts) {
                        if (past.add(key)) differing.put(key, change.event().oldImage());
                    } else if (change.sequenceNr() > applied && !past.contains(key)) {
                        differing.put(key, change.event().newImage());
                    }
                });
            }
            while (items.hasNext()) {
                StoredItem item = items.next();
                if (!differing.containsKey(ByteBuffer.wrap(item.key()))) action.accept(item.item());
            }
            differing.values().forEach(image -> image.ifPresent(action));
        }
    }

    /**
     * Collects the sequence numbers of the changes, journaled from {@code from} on, of
     * transactions decided at or before the moment; answers the last of them (0 if none). The
     * reading goes on to the snapshot's applied sequence number (the changes to undo are read that
     * far anyway), so a commit a crash delayed past a restart is found too, and then to the first
     * change journaled {@link #SETTLE} after the moment, beyond which no commit of a transaction
     * decided by then comes unless a crash delayed it.
     */
    private long lateCommits(PartitionId partition, long from, long applied, long timeMicros, Set<Long> lateCommits) {
        long horizon = timeMicros + SETTLE.toNanos() / 1000;
        long[] last = {0};
        changes.forEachEvent(partition, from, (sequenceNr, event) -> {
            if (event instanceof ItemChanged changed) return sequenceNr <= applied || changed.timestampMicros() <= horizon;
            if (event instanceof TransactionResolved resolved && resolved.committed()
                    && resolved.committedAtMicros() > 0 && resolved.committedAtMicros() <= timeMicros) {
                // Its changes are the events just before it, from the same journal write.
                for (long seq = sequenceNr - resolved.changes(); seq < sequenceNr; seq++) lateCommits.add(seq);
                if (resolved.changes() > 0) last[0] = sequenceNr - 1;
            }
            return true;
        });
        return last[0];
    }

    private void requireJournaled(PartitionId partition, long from) {
        long lowest = changes.journal().lowestSequenceNr(partition.persistenceId());
        if (lowest > from) {
            throw new HistoryUnavailable("the journal of " + partition.persistenceId() + " no longer holds the changes from "
                    + from + " on (it starts at " + lowest + ")");
        }
    }
}
