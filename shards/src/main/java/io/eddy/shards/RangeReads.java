package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.query.KeyCondition;
import io.eddy.persistence.ItemPage;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.PartitionHash;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The read path of Query and Scan: key ranges of the item store (of a table's items or of an
 * index's entries), read page by page for the partitions that own their hash ranges: straight from
 * the store once a partition has recovered, through its entity (which holds reads until then)
 * otherwise. A
 * Query is one range inside one partition; a Scan (or a parallel-scan segment, a slice of the
 * 64-bit hash space) walks the partitions it overlaps in hash order, carrying the item limit and the
 * 1 MB budget from one partition to the next.
 */
final class RangeReads {

    private final PartitionAsks partitions;
    private final ItemStore store;
    private final RecoveredPartitions recovered;

    RangeReads(PartitionAsks partitions, ItemStore store, RecoveredPartitions recovered) {
        this.partitions = partitions;
        this.store = store;
        this.recovered = recovered;
    }

    CompletionStage<ItemPage> query(KeySpace space, KeyCondition condition, boolean forward,
                                    Optional<Map<String, AttributeValue>> startKey, int limit, long byteBudget) {
        KeyRange range = space.query(condition);
        if (startKey.isPresent()) range = range.after(space.keyOf(startKey.get()), !forward);
        int partition = PartitionHash.partitionOf(space.hashOf(condition), space.table().partitionCount());
        return read(space, partition, range, !forward, limit, byteBudget);
    }

    CompletionStage<ItemPage> scan(KeySpace space, int segment, int totalSegments,
                                   Optional<Map<String, AttributeValue>> startKey, int limit) {
        long first = PartitionHash.rangeStart(segment, totalSegments);
        long last = PartitionHash.rangeLast(segment, totalSegments);
        KeyRange range = space.hashes(first, last);
        if (startKey.isPresent()) {
            byte[] key = space.keyOf(startKey.get());
            long hash = space.hashOf(key);
            if (Long.compareUnsigned(hash, first) < 0 || Long.compareUnsigned(hash, last) > 0) {
                throw DynamoException.validation("The provided starting key is invalid: Invalid ExclusiveStartKey. "
                        + "Please use ExclusiveStartKey with correct Segment. TotalSegments: " + totalSegments
                        + " Segment: " + segment);
            }
            range = range.after(key, false);
        }
        int partition = PartitionHash.partitionOf(space.hashOf(range.from()), space.table().partitionCount());
        return scanFrom(space, partition, range, limit, ItemPage.EMPTY);
    }

    /** Reads the part of {@code range} in {@code partition}, then, while the page has room, the next partitions. */
    private CompletionStage<ItemPage> scanFrom(KeySpace space, int partition, KeyRange range, int limit, ItemPage sofar) {
        KeyRange part = range.intersect(partitionRange(space, partition));
        int itemsLeft = limit - sofar.items().size();
        long bytesLeft = ItemPage.MAX_BYTES - sofar.bytes();
        int partitions = space.table().partitionCount();
        return read(space, partition, part, false, itemsLeft, bytesLeft).thenCompose(page -> {
            ItemPage total = sofar.followedBy(page);
            boolean lastPartition = partition + 1 >= partitions
                    || Arrays.compareUnsigned(partitionRange(space, partition + 1).from(), range.toExclusive()) >= 0;
            if (!page.exhausted() || lastPartition) {
                return CompletableFuture.completedFuture(new ItemPage(total.items(), total.bytes(), page.exhausted() && lastPartition));
            }
            return scanFrom(space, partition + 1, range, limit, total);
        });
    }

    private CompletionStage<ItemPage> read(KeySpace space, int partition, KeyRange range, boolean reverse,
                                           int maxItems, long byteBudget) {
        if (range.isEmpty()) return CompletableFuture.completedFuture(ItemPage.EMPTY);
        String entityId = new PartitionId(space.table().id(), partition).entityId();
        if (recovered.isRecovered(entityId)) {
            return CompletableFuture.completedFuture(ItemPage.read(store, range, reverse, maxItems, byteBudget));
        }
        return partitions.ask(entityId, (ActorRef<ItemReply> replyTo) -> new PartitionCommand.ReadPage(range, reverse, maxItems, byteBudget, replyTo))
                .thenApply(reply -> ((ItemReply.Page) reply).page());
    }

    private static KeyRange partitionRange(KeySpace space, int partition) {
        int partitions = space.table().partitionCount();
        return space.hashes(PartitionHash.rangeStart(partition, partitions), PartitionHash.rangeLast(partition, partitions));
    }
}
