package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** CreateBackup: starts an on-demand backup of a table's items and settings ({@link Backups}); answers it CREATING. */
final class CreateBackupOperation implements Operation {

    private final NodeContext node;
    private final Backups backups;

    CreateBackupOperation(NodeContext node, Backups backups) {
        this.node = node;
        this.backups = backups;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        String backupName = request.string("BackupName");
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.notNull("backupName", backupName);
        c.tableName("backupName", backupName);
        c.throwIfAny();

        TableMetadata table = node.tableForBackups(tableName);
        if (table.status() != TableMetadata.TableStatus.ACTIVE) {
            throw new DynamoException(ErrorCode.TableInUseException, "Table " + table.name() + " is " + table.status());
        }
        ObjectNode description = backups.create(table, backupName);
        return CompletableFuture.supplyAsync(() -> Json.object(g -> {
            g.writeFieldName("BackupDetails");
            g.writeTree(description.get("BackupDetails"));
        }));
    }
}
