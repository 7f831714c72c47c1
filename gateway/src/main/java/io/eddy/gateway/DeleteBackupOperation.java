package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DeleteBackup: the backup is gone at once; the answer describes it as DELETED. */
final class DeleteBackupOperation implements Operation {

    private final Backups backups;

    DeleteBackupOperation(Backups backups) {
        this.backups = backups;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = BackupArns.required(request);
        return CompletableFuture.supplyAsync(() -> BackupArns.renderDescription(backups.delete(arn)));
    }
}
