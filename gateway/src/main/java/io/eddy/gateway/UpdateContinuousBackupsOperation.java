package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import java.util.concurrent.CompletionStage;

/**
 * UpdateContinuousBackups: turns point-in-time recovery on (journal trimming then keeps the
 * table's changes of the recovery period, {@link io.eddy.streams.JournalTrimmer}) or off, or
 * changes its period. The earliest restorable time of a newly enabled table is when it was enabled.
 */
final class UpdateContinuousBackupsOperation implements Operation {

    private final NodeContext node;

    UpdateContinuousBackupsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        RequestBody specification = request.struct("PointInTimeRecoverySpecification");
        Boolean enabled = specification == null ? null : specification.bool("PointInTimeRecoveryEnabled");
        Long days = specification == null ? null : specification.longValue("RecoveryPeriodInDays");
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.notNull("pointInTimeRecoverySpecification", specification);
        if (specification != null) c.notNull("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", enabled);
        c.atLeast("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, 1);
        c.atMost("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, TableOptions.PointInTimeRecovery.DEFAULT_PERIOD_DAYS);
        c.throwIfAny();

        TableMetadata table = node.tableForBackups(tableName);
        if (table.status() == TableMetadata.TableStatus.CREATING) {
            throw new DynamoException(ErrorCode.ContinuousBackupsUnavailableException,
                    "Backups are being enabled for the table: " + table.name() + ". Please retry later");
        }
        if (!enabled) {
            return change(table, null).thenApply(updated -> DescribeContinuousBackupsOperation.render(updated, System.currentTimeMillis()));
        }
        TableOptions.PointInTimeRecovery current = table.options().pointInTimeRecovery();
        if (current != null) {
            int period = days == null ? current.recoveryPeriodInDays() : days.intValue();
            return change(table, new TableOptions.PointInTimeRecovery(period, current.enabledAtMillis()))
                    .thenApply(updated -> DescribeContinuousBackupsOperation.render(updated, System.currentTimeMillis()));
        }
        // Trimming keeps all of the table's changes from before the enabling time is chosen until the catalog has it.
        node.shards().tables().holdChanges(table.id());
        int period = days == null ? TableOptions.PointInTimeRecovery.DEFAULT_PERIOD_DAYS : days.intValue();
        return change(table, new TableOptions.PointInTimeRecovery(period, System.currentTimeMillis()))
                .whenComplete((updated, failure) -> node.shards().tables().releaseChanges(table.id()))
                .thenApply(updated -> DescribeContinuousBackupsOperation.render(updated, System.currentTimeMillis()));
    }

    /** Sets the table's point-in-time recovery (null: off), if the table is still the one the request found. */
    private CompletionStage<TableMetadata> change(TableMetadata table, TableOptions.PointInTimeRecovery recovery) {
        return node.shards().updateTable(table.name(), current -> current.id().equals(table.id())
                ? current.withOptions(current.options().withPointInTimeRecovery(recovery)) : current);
    }
}
