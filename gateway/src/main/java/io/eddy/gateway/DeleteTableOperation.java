package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.shards.TableCatalog;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteTable: the catalog forgets the table and its items are dropped from the item store; a
 * table with deletion protection on is refused (by the catalog, which sees the latest setting).
 * A table with point-in-time recovery leaves a SYSTEM backup of its items at the deletion, as
 * DynamoDB does ({@link Backups#createSystemBackup}); its history is held from before the deletion
 * until that backup has read it. Of a global table, as in DynamoDB, only this region's replica is
 * deleted: another replica's node is asked to delete it ({@link HttpReplicaLink#leave}), which it
 * does as for UpdateTable ReplicaUpdates Delete there, and the other replicas stay. A replica still
 * being created here (its seeding region gone, or given up on) is deleted here at once.
 */
final class DeleteTableOperation implements Operation {

    private static final Logger log = LoggerFactory.getLogger(DeleteTableOperation.class);

    private final NodeContext node;
    private final Backups backups;
    private final HttpReplicaLink replicaLink;

    DeleteTableOperation(NodeContext node, Backups backups, HttpReplicaLink replicaLink) {
        this.node = node;
        this.backups = backups;
        this.replicaLink = replicaLink;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = node.catalogName(Constraints.requiredTableName(request));
        // A replica still being created here (its seeding region gone, or given up on) can be deleted:
        // nothing else could remove it. Otherwise a table being created is refused.
        boolean unseededReplica = node.shards().tables().find(tableName)
                .filter(table -> table.status() == TableMetadata.TableStatus.CREATING && !table.options().replicas().isEmpty())
                .isPresent();
        if (!unseededReplica) {
            node.refuseWhileCreating(tableName);
            Optional<TableMetadata> global = node.shards().tables().find(tableName).filter(table -> !table.options().replicas().isEmpty());
            if (global.isPresent()) return leave(global.get(), 0);
        }
        Optional<UUID> recovered = node.shards().tables().find(tableName)
                .filter(table -> table.options().pointInTimeRecovery() != null).map(TableMetadata::id);
        recovered.ifPresent(id -> node.shards().tables().holdHistory(id));
        return node.shards().deleteTable(tableName).whenComplete((deleted, failure) -> {
            if (recovered.isEmpty()) return;
            if (failure == null && deleted.id().equals(recovered.get())) {
                try {
                    backups.createSystemBackup(deleted, Instant.now()); // releases the hold once it has read the items
                } catch (RuntimeException e) {
                    // The table is gone either way; the deletion is answered as done.
                    log.error("Could not start the system backup of deleted table {}", deleted.name(), e);
                }
            } else {
                node.shards().tables().releaseHistory(recovered.get());
            }
        }).thenApply(deleted -> TableDescriptions.wrapped("TableDescription", deleted, node));
    }

    /**
     * Has the node of the {@code next}th other replica (or a later one, if it cannot be reached)
     * delete this region's replica; answered with the table DELETING, as it is then.
     */
    private CompletionStage<byte[]> leave(TableMetadata table, int next) {
        if (next == 0) {
            if (table.options().deletionProtectionEnabled()) throw TableCatalog.deletionProtected();
            ReplicaUpdates.refuseWhileChanging(table);
        }
        String region = table.options().replicas().get(next).regionName();
        return replicaLink.leave(region, table).handle((left, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(
                        TableDescriptions.wrapped("TableDescription", table.withStatus(TableMetadata.TableStatus.DELETING), node));
            }
            // Refused there: as that region's UpdateTable would refuse it. Not reached: the next one is asked.
            if (Failures.cause(failure) instanceof DynamoException refused) return CompletableFuture.<byte[]>failedFuture(refused);
            if (next + 1 == table.options().replicas().size()) {
                return CompletableFuture.<byte[]>failedFuture(replicaLink.unreachable(region));
            }
            return leave(table, next + 1);
        }).thenCompose(answer -> answer);
    }
}
