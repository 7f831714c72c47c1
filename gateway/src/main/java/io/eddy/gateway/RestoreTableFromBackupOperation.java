package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/**
 * RestoreTableFromBackup: a new table with the backup's key schema, attribute definitions, indexes,
 * billing and table class (or the request's overrides of billing, throughput and indexes), CREATING
 * until the backup's items are written to it ({@link Backups#restore}). As in DynamoDB, streams,
 * TTL, tags and deletion protection are not restored.
 */
final class RestoreTableFromBackupOperation implements Operation {

    private final NodeContext node;
    private final Backups backups;
    private final CreateTableOperation createTable;

    RestoreTableFromBackupOperation(NodeContext node, Backups backups) {
        this.node = node;
        this.backups = backups;
        this.createTable = new CreateTableOperation(node);
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String target = request.string("TargetTableName");
        String arn = request.string("BackupArn");
        Constraints c = new Constraints();
        c.notNull("targetTableName", target);
        c.tableName("targetTableName", target);
        c.notNull("backupArn", arn);
        c.stringLengthAtLeast("backupArn", arn, 37);
        c.stringLengthAtMost("backupArn", arn, 1024);
        RestoreOverrides.check(c, request);
        c.throwIfAny();
        RestoreOverrides.refuseEncryption(request);

        return backups.restore(arn, target, createTable, table -> RestoreOverrides.applied(table, request))
                .thenApply(restored -> TableDescriptions.wrapped("TableDescription", restored, node));
    }
}
