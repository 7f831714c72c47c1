package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node sends the changes it made (or learned of) to items of a
 * global table. Each is applied here only over an older version of its item, last writer wins
 * ({@link io.eddy.shards.Shards#replicateItem}); the answer comes once all are durable, and the
 * sender moves its checkpoint then. A table being created as a replica takes them too: they are
 * how it is seeded.
 */
final class ReplicateItemsOperation implements Operation {

    static final java.time.Duration MAX_CLOCK_AHEAD = java.time.Duration.ofHours(1);
    private static final int CONFLICT_RETRIES = 20;
    private static final long CONFLICT_PAUSE_MILLIS = 25;

    private final NodeContext node;
    private final ReplicaRegions regions;

    ReplicateItemsOperation(NodeContext node, ReplicaRegions regions) {
        this.node = node;
        this.regions = regions;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        TableMetadata table = ReplicaMembers.replicaOf(node, request.string("TableName"), source);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (RequestBody change : request.structList("Changes", "Change")) {
            Map<String, AttributeValue> key = ItemKeys.validateKey(AttributeValueJson.readItem(change.node("Key")), table.keySchema());
            Optional<Map<String, AttributeValue>> item = change.node("Item") == null ? Optional.empty()
                    : Optional.of(AttributeValueJson.readItem(change.node("Item")));
            Long time = change.longValue("VersionTime");
            String region = change.string("VersionRegion");
            if (time == null || region == null) throw DynamoException.validation("A replicated change needs VersionTime and VersionRegion");
            // A version far ahead of this node's clock would win over every write for that long.
            if (time < 0 || time > (System.currentTimeMillis() + MAX_CLOCK_AHEAD.toMillis()) * 1000) {
                throw DynamoException.validation("A replicated change's VersionTime " + time + " is more than "
                        + MAX_CLOCK_AHEAD.toHours() + " hours ahead of this node's clock");
            }
            if (item.isPresent()) {
                if (!ItemKeys.keyOfItem(item.get(), table.keySchema()).equals(key)) {
                    throw DynamoException.validation("A replicated item's key attributes differ from its Key");
                }
                ItemKeys.checkItemSize(item.get());
            }
            writes.add(replicate(table, key, item, new ItemVersion(time, region), CONFLICT_RETRIES));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> Json.EMPTY_OBJECT);
    }

    /** Applies one change; an item a transaction holds is tried again shortly (it is held for milliseconds). */
    private CompletableFuture<?> replicate(TableMetadata table, Map<String, AttributeValue> key,
                                           Optional<Map<String, AttributeValue>> item, ItemVersion version, int retries) {
        return node.shards().replicateItem(table, key, item, version).toCompletableFuture()
                .<CompletableFuture<?>>handle((written, failure) -> {
                    if (failure == null) return CompletableFuture.completedFuture(written);
                    if (retries > 0 && Failures.cause(failure) instanceof DynamoException refused
                            && refused.code() == io.eddy.model.ErrorCode.TransactionConflictException) {
                        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(CONFLICT_PAUSE_MILLIS,
                                java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(later -> replicate(table, key, item, version, retries - 1));
                    }
                    return CompletableFuture.failedFuture(Failures.cause(failure));
                }).thenCompose(next -> next);
    }
}
