package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableStream;
import io.eddy.persistence.ItemIterator;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.ItemVersion;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.KeyRanges;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.PartitionMeta;
import io.eddy.persistence.StorageKeys;
import io.eddy.persistence.StoredItem;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionId;
import io.eddy.streams.ReplicaLink.ReplicatedChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Sends one partition's changes of a global table to the table's replica in one other region.
 * It follows the partition's change log from its checkpoint (kept in the item store as the
 * partition's replica meta: the next change to send), sends each batch, and moves the checkpoint
 * once the replica has made the batch durable; a restarted feed sends again from the checkpoint,
 * which replicas ignore as they ignore any change no newer than what they hold.
 *
 * <p>A feed without a checkpoint either seeds the replica, when this node is creating it: it sends
 * the partition's items as of one snapshot, then follows the log from the snapshot on; or starts
 * at the end of the log, for a replica that got the items from elsewhere. Changes are sent
 * whichever region made them (so a replica added later also gets, through the region that seeded
 * it, what a third region wrote before it knew of the new replica), except to the region that made
 * them, which holds them or something newer: made there once this feed had started, that is. One
 * made there before is sent: it may have been made by an earlier replica in that region, removed
 * since, and reach this region (from a third) only after the new replica was seeded here. (Sending
 * one back to the replica that made it costs a request, which it ignores.)
 */
final class ReplicaFeed {

    /** How a feed batches: changes per request (a batch is also cut at {@code batchBytes}). */
    record Settings(int batchSize, long batchBytes) {}

    private final TableMetadata table;
    private final String region;
    private final String localRegion;
    private final PartitionId partition;
    private final String checkpointId;
    private final ItemStore store;
    private final ChangeLog changes;
    private final ReplicaLink link;
    private final Settings settings;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** When this feed started (epoch microseconds, as versions are): the target's changes from then on are not sent back. */
    private final long startedMicros = TableStream.micros(java.time.Instant.now());

    private ReplicaFeed(TableMetadata table, String region, String localRegion, int partition, ItemStore store,
                        ChangeLog changes, ReplicaLink link, Settings settings) {
        this.table = table;
        this.region = region;
        this.localRegion = localRegion;
        this.partition = new PartitionId(table.id(), partition);
        this.checkpointId = this.partition.replicaMetaId(region);
        this.store = store;
        this.changes = changes;
        this.link = link;
        this.settings = settings;
    }

    /**
     * Starts the feed; with {@code seed} (and no checkpoint yet) it first sends the partition's
     * items. {@code onStarted} runs once the feed follows the log (after seeding). Seeding runs on
     * {@code blocking}.
     */
    static FeedHandle start(ActorSystem<?> system, TableMetadata table, String region, String localRegion, int partition,
                            boolean seed, ItemStore store, ChangeLog changes, ReplicaLink link, Settings settings,
                            Executor blocking, Runnable onStarted) {
        ReplicaFeed feed = new ReplicaFeed(table, region, localRegion, partition, store, changes, link, settings);
        CompletableFuture<Long> begun = CompletableFuture.supplyAsync(() -> feed.resumeOrBegin(seed), blocking);
        return FeedHandle.run(system, begun, next -> {
            onStarted.run();
            return changes.followBatches(feed.partition, next, system.executionContext(), true)
                    .filter(batch -> !batch.isEmpty())
                    .mapAsync(1, feed::send);
        }, feed.stopped);
    }

    /** The next change to send: from the checkpoint, after seeding the replica, or from the end of the log. */
    private long resumeOrBegin(boolean seed) {
        long checkpoint = store.meta(checkpointId).appliedSeqNr();
        if (checkpoint > 0) return checkpoint;
        long next = seed ? seedReplica() : changes.highestSequenceNr(partition) + 1;
        checkpoint(next);
        return next;
    }

    /**
     * Sends the partition's items as of one snapshot; answers the change to follow from: the one
     * after the first attempt's snapshot. An attempt that failed may have sent items deleted since,
     * which a later snapshot does not hold: following the log from the first attempt's snapshot
     * sends those deletes too. That position is kept (as the checkpoint's item count, while the
     * checkpoint itself is still 0) from the first attempt on, and the trimmer keeps the log until
     * the checkpoint is set.
     */
    private long seedReplica() {
        int partitions = table.partitionCount();
        KeyRange range = KeyRanges.hashes(table.id(), PartitionHash.rangeStart(partition.index(), partitions),
                PartitionHash.rangeLast(partition.index(), partitions));
        long firstSeeded = store.meta(checkpointId).itemCount();
        ItemStore.SnapshotRange snapshot = store.snapshotRange(partition.entityId(), range.from(), range.toExclusive());
        List<ReplicatedChange> chunk = new ArrayList<>();
        long chunkBytes = 0;
        try (ItemIterator items = snapshot.items()) {
            if (stopped.get()) throw new CancellationException("replica feed stopped before seeding");
            if (firstSeeded == 0) {
                firstSeeded = snapshot.meta().appliedSeqNr() + 1;
                store.apply(checkpointId, new PartitionMeta(0, firstSeeded, 0), List.of());
            }
            while (items.hasNext()) {
                if (stopped.get()) throw new CancellationException("replica feed stopped while seeding");
                StoredItem stored = items.next();
                // The version at the snapshot, as the image is: a later one would make the replica drop the later change.
                ItemVersion version = snapshot.version(stored.key());
                // An item not written since the table became global: older than any change to come.
                if (version.equals(ItemVersion.NONE)) version = new ItemVersion(0, localRegion);
                chunk.add(new ReplicatedChange(ItemKeys.keyOfItem(stored.item(), table.keySchema()),
                        java.util.Optional.of(stored.item()), version));
                chunkBytes += ItemSize.of(stored.item());
                if (chunk.size() >= settings.batchSize() || chunkBytes >= settings.batchBytes()) {
                    link.replicate(region, table, List.copyOf(chunk)).toCompletableFuture().join();
                    chunk.clear();
                    chunkBytes = 0;
                }
            }
        }
        if (!chunk.isEmpty()) link.replicate(region, table, chunk).toCompletableFuture().join();
        return Math.min(firstSeeded, snapshot.meta().appliedSeqNr() + 1);
    }

    /** Sends a batch of the partition's changes (those the replica does not hold), then moves the checkpoint past it. */
    private CompletionStage<Integer> send(List<ChangeLog.Change> batch) {
        List<List<ReplicatedChange>> requests = new ArrayList<>();
        List<ReplicatedChange> request = new ArrayList<>();
        long requestBytes = 0;
        int sent = 0;
        for (ChangeLog.Change change : batch) {
            ItemChanged event = change.event();
            ItemVersion version = event.version() != null ? event.version() : new ItemVersion(event.timestampMicros(), localRegion);
            if (version.region().equals(region) && version.timestampMicros() >= startedMicros) continue;
            // From the item key: a version-only change of a deleted item has no image.
            Map<String, AttributeValue> key = StorageKeys.keyOfItemKey(event.key(), table.keySchema());
            long bytes = event.newImage().map(ItemSize::of).orElse(0L);
            if (!request.isEmpty() && (request.size() >= settings.batchSize() || requestBytes + bytes > settings.batchBytes())) {
                requests.add(request);
                request = new ArrayList<>();
                requestBytes = 0;
            }
            request.add(new ReplicatedChange(key, event.newImage(), version));
            requestBytes += bytes;
            sent++;
        }
        if (!request.isEmpty()) requests.add(request);
        CompletionStage<Void> delivered = CompletableFuture.completedFuture(null);
        for (List<ReplicatedChange> changes : requests) delivered = delivered.thenCompose(done -> link.replicate(region, table, changes));
        long next = batch.get(batch.size() - 1).sequenceNr() + 1;
        int count = sent;
        return delivered.thenApply(done -> {
            checkpoint(next);
            return count;
        });
    }

    /** Not once stopped: a removed replica's checkpoints are reset, and a late one must not come back. */
    private void checkpoint(long next) {
        if (stopped.get()) return;
        store.apply(checkpointId, new PartitionMeta(next, 0, 0), List.of());
    }
}
