package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata;
import io.eddy.model.query.KeyCondition;
import io.eddy.persistence.ItemPage;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.KeyEncoding;
import io.eddy.persistence.KeyRange;
import io.eddy.persistence.KeyRanges;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.StorageKeys;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The read path of Query and Scan: key ranges of the item store, read page by page by the
 * partition entities that own them. A Query is one range inside one partition; a Scan (or a
 * parallel-scan segment, a slice of the 64-bit hash space) walks the partitions it overlaps in hash
 * order, carrying the item limit and the 1 MB budget from one partition to the next.
 */
final class RangeReads {

    private final ClusterSharding sharding;
    private final ItemStore store;
    private final RecoveredPartitions recovered;
    private final Duration askTimeout;
    private final Executor dispatcher;

    RangeReads(ClusterSharding sharding, ItemStore store, RecoveredPartitions recovered, Duration askTimeout, Executor dispatcher) {
        this.sharding = sharding;
        this.store = store;
        this.recovered = recovered;
        this.askTimeout = askTimeout;
        this.dispatcher = dispatcher;
    }

    CompletionStage<ItemPage> query(TableMetadata table, KeyCondition condition, boolean forward,
                                    Optional<Map<String, AttributeValue>> startKey, int limit) {
        KeyRange range = KeyRanges.query(table.id(), condition);
        if (startKey.isPresent()) range = range.after(storageKey(table, startKey.get()), !forward);
        long hash = PartitionHash.hash(KeyEncoding.encode(condition.partitionKey()));
        return read(table, PartitionHash.partitionOf(hash, table.partitionCount()), range, !forward, limit, ItemPage.MAX_BYTES);
    }

    CompletionStage<ItemPage> scan(TableMetadata table, int segment, int totalSegments,
                                   Optional<Map<String, AttributeValue>> startKey, int limit) {
        long first = PartitionHash.rangeStart(segment, totalSegments);
        long last = PartitionHash.rangeLast(segment, totalSegments);
        KeyRange range = KeyRanges.hashes(table.id(), first, last);
        if (startKey.isPresent()) {
            byte[] key = storageKey(table, startKey.get());
            long hash = StorageKeys.hashOf(key);
            if (Long.compareUnsigned(hash, first) < 0 || Long.compareUnsigned(hash, last) > 0) {
                throw DynamoException.validation("The provided starting key is invalid: Invalid ExclusiveStartKey. "
                        + "Please use ExclusiveStartKey with correct Segment. TotalSegments: " + totalSegments
                        + " Segment: " + segment);
            }
            range = range.after(key, false);
        }
        int partition = PartitionHash.partitionOf(StorageKeys.hashOf(range.from()), table.partitionCount());
        return scanFrom(table, partition, range, limit, ItemPage.EMPTY);
    }

    /** Reads the part of {@code range} in {@code partition}, then, while the page has room, the next partitions. */
    private CompletionStage<ItemPage> scanFrom(TableMetadata table, int partition, KeyRange range, int limit, ItemPage sofar) {
        KeyRange part = range.intersect(partitionRange(table, partition));
        int itemsLeft = limit - sofar.items().size();
        long bytesLeft = ItemPage.MAX_BYTES - sofar.bytes();
        return read(table, partition, part, false, itemsLeft, bytesLeft).thenCompose(page -> {
            ItemPage total = sofar.followedBy(page);
            boolean lastPartition = partition + 1 >= table.partitionCount()
                    || Arrays.compareUnsigned(partitionRange(table, partition + 1).from(), range.toExclusive()) >= 0;
            if (!page.exhausted() || lastPartition) {
                return CompletableFuture.completedFuture(new ItemPage(total.items(), total.bytes(), page.exhausted() && lastPartition));
            }
            return scanFrom(table, partition + 1, range, limit, total);
        });
    }

    private CompletionStage<ItemPage> read(TableMetadata table, int partition, KeyRange range, boolean reverse,
                                           int maxItems, long byteBudget) {
        if (range.isEmpty()) return CompletableFuture.completedFuture(ItemPage.EMPTY);
        String entityId = new PartitionId(table.id(), partition).entityId();
        if (recovered.isRecovered(entityId)) {
            return CompletableFuture.completedFuture(ItemPage.read(store, range, reverse, maxItems, byteBudget));
        }
        EntityRef<PartitionCommand> entity = sharding.entityRefFor(PartitionEntity.TYPE_KEY, entityId);
        return Replies.onDispatcher(entity.<ItemReply>ask(
                        replyTo -> new PartitionCommand.ReadPage(range, reverse, maxItems, byteBudget, replyTo), askTimeout), dispatcher)
                .thenApply(reply -> ((ItemReply.Page) reply).page());
    }

    private static KeyRange partitionRange(TableMetadata table, int partition) {
        return KeyRanges.hashes(table.id(), PartitionHash.rangeStart(partition, table.partitionCount()),
                PartitionHash.rangeLast(partition, table.partitionCount()));
    }

    /** The storage key of a (validated) ExclusiveStartKey. */
    private static byte[] storageKey(TableMetadata table, Map<String, AttributeValue> key) {
        KeySchema schema = table.keySchema();
        return StorageKeys.itemKey(table.id(), key.get(schema.partitionKey().name()),
                schema.sortKey().map(sort -> key.get(sort.name())));
    }
}
