package io.eddy.gateway;

import io.eddy.model.DynamoException;
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

    /** How many times a deletion without an answer is asked after (each waits up to the request timeout). */
    private static final int SETTLE_ATTEMPTS = 6;

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
                backUp(deleted, marker.get());
            } else if (failure != null && !(Failures.cause(failure) instanceof DynamoException)) {
                // No answer in time: the catalog may delete it yet. Decided once it has answered what came after.
                settle(recoverable.get(), marker.get());
            } else {
                node.shards().tables().releaseHistory(recovered.get());
                backups.unmarkDeletion(marker.get());
            }
        });
    }

    /** Starts the deleted table's SYSTEM backup, which releases the hold and drops the marker once it is stored. */
    private void backUp(TableMetadata deleted, Path marker) {
        Instant deletedAt = Instant.now();
        backups.createSystemBackup(deleted, deletedAt, TableStream.micros(deletedAt), marker); // its failures are its own: retried there
    }

    /** After a deletion without an answer: backs the table up if the catalog deleted it, else drops the hold and the marker. */
    private void settle(TableMetadata table, Path marker) {
        node.shards().awaitCatalog(table.name(), SETTLE_ATTEMPTS).whenComplete((settled, failure) -> {
            if (failure != null) {
                // Hold and marker stay: the next start backs the table up if it is gone by then.
                log.error("The deletion of table {} is still undecided; its backup, if owed, is written at the next start", table.name());
            } else if (node.shards().tables().findById(table.id()).isEmpty()) {
                backUp(table, marker);
            } else {
                node.shards().tables().releaseHistory(table.id());
                backups.unmarkDeletion(marker);
            }
        });
    }
}
