package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.IndexEntries;
import io.eddy.persistence.ItemIterator;
import io.eddy.persistence.ItemMutation;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.KeyRanges;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.PartitionMeta;
import io.eddy.shards.PartitionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Keeps one global secondary (or vector) index's share of one table partition: the entries of the
 * partition's items, as its {@code derivation} derives them. It first builds the share from a snapshot of the partition's items (backfill), then
 * follows the partition's change log from the snapshot's sequence number on, each batch of changes
 * applied to the index in one item-store write together with the feed's checkpoint. The checkpoint
 * (the share's {@link PartitionMeta}: the next change to read, the entry count and size) makes a
 * restarted feed continue exactly where it stopped; 0 as the next change means the share was never
 * completely built, and {@link GlobalIndexes} then builds the whole index again.
 */
final class GlobalIndexFeed {

    /** How a feed batches its work. */
    record Settings(int batchSize, Duration applyInterval, int backfillChunk) {}

    private final TableMetadata table;
    private final IndexEntries.Derivation derivation;
    private final PartitionId partition;
    private final String checkpointId;
    private final ItemStore store;
    private final ChangeLog changes;
    private final Settings settings;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private long count;
    private long bytes;

    private GlobalIndexFeed(TableMetadata table, UUID indexId, IndexEntries.Derivation derivation,
                            int partition, ItemStore store, ChangeLog changes, Settings settings) {
        this.table = table;
        this.derivation = derivation;
        this.partition = new PartitionId(table.id(), partition);
        this.checkpointId = this.partition.indexMetaId(indexId);
        this.store = store;
        this.changes = changes;
        this.settings = settings;
    }

    /** Whether the share of index {@code indexId} in this partition was ever completely built. */
    static boolean built(ItemStore store, TableMetadata table, UUID indexId, int partition) {
        return store.meta(new PartitionId(table.id(), partition).indexMetaId(indexId)).appliedSeqNr() > 0;
    }

    /**
     * Starts the feed; {@code onBuilt} runs once the share is built (at once when it already was).
     * Backfill runs on {@code blocking}; the stream on the system's dispatcher.
     */
    static FeedHandle start(ActorSystem<?> system, TableMetadata table, UUID indexId,
                            IndexEntries.Derivation derivation, int partition, ItemStore store,
                            ChangeLog changes, Settings settings, Executor blocking, Runnable onBuilt) {
        GlobalIndexFeed feed = new GlobalIndexFeed(table, indexId, derivation, partition, store, changes, settings);
        CompletableFuture<Long> built = CompletableFuture.supplyAsync(feed::resumeOrBackfill, blocking);
        return FeedHandle.run(system, built, next -> {
            onBuilt.run();
            // A change that finds the feed idle is applied as soon as it is durable; under load
            // the feed writes once an apply interval, the changes of the interval gathered into
            // one store write. (A fixed window, as groupedWithin has, made every change wait for
            // it.) The throttle's automatic burst (10 at 10 ms) lets a short run of writes that
            // follow each other closely, a client's put and query in turn, through at once too.
            return changes.followBatches(feed.partition, next, system.executionContext())
                    .filter(batch -> !batch.isEmpty())
                    .batchWeighted(settings.batchSize(), batch -> (long) batch.size(), ArrayList::new, (gathered, batch) -> {
                        gathered.addAll(batch);
                        return gathered;
                    })
                    .throttle(1, settings.applyInterval())
                    .map(feed::apply);
        }, feed.stopped);
    }

    /** The next change to follow: from the checkpoint, or after building the share from a snapshot. */
    private long resumeOrBackfill() {
        PartitionMeta checkpoint = store.meta(checkpointId);
        count = checkpoint.itemCount();
        bytes = checkpoint.sizeBytes();
        return checkpoint.appliedSeqNr() > 0 ? checkpoint.appliedSeqNr() : backfill();
    }

    /**
     * Writes the entries of the partition's items as of one snapshot, a chunk at a time, then the
     * checkpoint: the change after the snapshot's applied sequence number.
     */
    private long backfill() {
        int partitions = table.partitionCount();
        KeyRange range = KeyRanges.hashes(table.id(), PartitionHash.rangeStart(partition.index(), partitions),
                PartitionHash.rangeLast(partition.index(), partitions));
        ItemStore.SnapshotRange snapshot = store.snapshotRange(partition.entityId(), range.from(), range.toExclusive());
        count = 0;
        bytes = 0;
        List<ItemMutation> chunk = new ArrayList<>();
        try (ItemIterator items = snapshot.items()) {
            while (items.hasNext()) {
                if (stopped.get()) throw new CancellationException("feed stopped during backfill");
                Map<String, AttributeValue> item = items.next().item();
                derivation.entryOf(item).ifPresent(entry -> {
                    chunk.add(new ItemMutation.Put(entry.key(), entry.projected()));
                    count++;
                    bytes += entry.size();
                });
                if (chunk.size() >= settings.backfillChunk()) {
                    store.apply(checkpointId, new PartitionMeta(0, count, bytes), chunk);
                    chunk.clear();
                }
            }
        }
        long next = snapshot.meta().appliedSeqNr() + 1;
        store.apply(checkpointId, new PartitionMeta(next, count, bytes), chunk);
        return next;
    }

    /** Applies a batch of the partition's changes to the index, with the checkpoint after the last one. */
    private int apply(List<ChangeLog.Change> batch) {
        List<ItemMutation> mutations = new ArrayList<>(batch.size() * 2);
        for (ChangeLog.Change change : batch) {
            IndexEntries.Change applied = derivation.change(change.event().oldImage(), change.event().newImage());
            mutations.addAll(applied.mutations());
            count = Math.max(0, count + applied.countDelta());
            bytes = Math.max(0, bytes + applied.bytesDelta());
        }
        long next = batch.get(batch.size() - 1).sequenceNr() + 1;
        store.apply(checkpointId, new PartitionMeta(next, count, bytes), mutations);
        return batch.size();
    }
}
