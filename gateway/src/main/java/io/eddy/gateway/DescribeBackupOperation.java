package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeBackup: a backup's details, its source table and the table's indexes. */
final class DescribeBackupOperation implements Operation {

    private final Backups backups;

    DescribeBackupOperation(Backups backups) {
        this.backups = backups;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = BackupArns.required(request);
        return CompletableFuture.completedFuture(BackupArns.renderDescription(backups.find(arn)));
    }
}
