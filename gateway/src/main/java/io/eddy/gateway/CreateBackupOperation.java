package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import java.util.concurrent.CompletionStage;

/** CreateBackup: an on-demand backup of a table's items and settings ({@link Backups}). */
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
            throw DynamoException.validation("Table " + table.name() + " is not ACTIVE: " + table.status());
        }
        return backups.create(table, backupName).thenApply(description -> Json.object(g -> {
            g.writeFieldName("BackupDetails");
            g.writeTree(description.get("BackupDetails"));
        }));
    }
}
