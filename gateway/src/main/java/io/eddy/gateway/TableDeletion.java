package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table's deletion on this node: the catalog forgets the table (refusing one with deletion
 * protection on, as it sees the latest setting) and its items are dropped from the item store. A
 * table with point-in-time recovery leaves a SYSTEM backup of its items at the deletion, as
 * DynamoDB does ({@link Backups#createSystemBackup}); its history is held from before the deletion
 * until that backup has read it. DeleteTable, and a global table's replica deleted here by
 * another region, both go this way.
 */
final class TableDeletion {

    private static final Logger log = LoggerFactory.getLogger(TableDeletion.class);

    private final NodeContext node;
    private final Backups backups;

    TableDeletion(NodeContext node, Backups backups) {
        this.node = node;
        this.backups = backups;
    }

    /** Deletes the table of that catalog name; completes with it as deleted (DELETING). */
    CompletionStage<TableMetadata> delete(String tableName) {
        return delete(tableName, table -> {});
    }

    /** Deletes the table unless {@code check}, run in the catalog on the latest metadata, refuses. */
    CompletionStage<TableMetadata> delete(String tableName, Consumer<TableMetadata> check) {
        Optional<TableMetadata> recoverable = node.shards().tables().find(tableName)
                .filter(table -> table.options().pointInTimeRecovery() != null);
        Optional<UUID> recovered = recoverable.map(TableMetadata::id);
        recovered.ifPresent(id -> node.shards().tables().holdHistory(id));
        Optional<Path> marker;
        try {
            marker = recoverable.map(backups::markDeletion);
        } catch (RuntimeException e) {
            recovered.ifPresent(id -> node.shards().tables().releaseHistory(id));
            throw e;
        }
        return node.shards().deleteTable(tableName, check).whenComplete((deleted, failure) -> {
            if (failure == null) {
                // What the node kept in memory for the table: its throughput buckets, its insights' counts.
                node.throughput().forget(deleted.id());
                node.contributors().retainEnabled(node.shards().tables().all().values());
            }
            if (recovered.isEmpty()) return;
            if (failure == null && deleted.id().equals(recovered.get())) {
                Instant deletedAt = Instant.now();
                try {
                    // Releases the hold once it has read the items, and drops the marker once written.
                    backups.createSystemBackup(deleted, deletedAt, TableStream.micros(deletedAt), marker.get());
                } catch (RuntimeException e) {
                    // The table is gone either way; the deletion is answered as done.
                    log.error("Could not start the system backup of deleted table {}", deleted.name(), e);
                }
            } else {
                node.shards().tables().releaseHistory(recovered.get());
                backups.unmarkDeletion(marker.get());
            }
        });
    }
}
