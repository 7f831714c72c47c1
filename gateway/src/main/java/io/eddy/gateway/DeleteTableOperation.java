package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteTable: the catalog forgets the table and its items are dropped from the item store; a
 * table with deletion protection on is refused (by the catalog, which sees the latest setting).
 * A table with point-in-time recovery leaves a SYSTEM backup of its items at the deletion, as
 * DynamoDB does ({@link Backups#createSystemBackup}); its history is held from before the deletion
 * until that backup has read it. A global table is refused while it has replicas, unless it is a
 * replica still being created here.
 */
final class DeleteTableOperation implements Operation {

    private static final Logger log = LoggerFactory.getLogger(DeleteTableOperation.class);

    private final NodeContext node;
    private final Backups backups;

    DeleteTableOperation(NodeContext node, Backups backups) {
        this.node = node;
        this.backups = backups;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = node.catalogName(Constraints.requiredTableName(request));
        // A replica still being created here (its seeding region gone, or given up on) can be deleted:
        // nothing else could remove it. Otherwise a table being created, and a global table, are refused.
        boolean unseededReplica = node.shards().tables().find(tableName)
                .filter(table -> table.status() == TableMetadata.TableStatus.CREATING && !table.options().replicas().isEmpty())
                .isPresent();
        if (!unseededReplica) {
            node.refuseWhileCreating(tableName);
            node.shards().tables().find(tableName).ifPresent(table -> ReplicaUpdates.refuseForGlobalTable(table, "DeleteTable"));
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
}
