package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

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
        Long days = specification == null ? null : specification.intValue("RecoveryPeriodInDays");
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.notNull("pointInTimeRecoverySpecification", specification);
        if (specification != null) c.notNull("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", enabled);
        c.atLeast("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, 1);
        c.atMost("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, TableOptions.PointInTimeRecovery.DEFAULT_PERIOD_DAYS);
        c.throwIfAny();
        if (!enabled && days != null) {
            throw DynamoException.validation("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.");
        }

        TableMetadata table = node.tableForBackups(tableName);
        if (table.status() == TableMetadata.TableStatus.CREATING) {
            throw new DynamoException(ErrorCode.ContinuousBackupsUnavailableException,
                    "Backups are being enabled for the table: " + table.name() + ". Please retry later");
        }
        NodeContext.refuseWhileDeleting(table);
        if (!enabled) return change(table, current -> null);
        // Trimming keeps all of the table's changes from before the enabling time is chosen until
        // the catalog has it (or has refused it). After an ask timed out the catalog may still
        // publish it later, so the hold stays, costing only journal space until the next start.
        node.shards().tables().holdHistory(table.id());
        long enabledAtMillis = Math.floorDiv(TableStream.micros(Instant.now()) + 999, 1000);
        // Decided against the catalog's current setting, so that a change racing a disable cannot
        // bring back an older enabling time.
        return change(table, current -> current != null
                ? current.withPeriod(days == null ? current.recoveryPeriodInDays() : days.intValue(), System.currentTimeMillis())
                : new TableOptions.PointInTimeRecovery(days == null ? TableOptions.PointInTimeRecovery.DEFAULT_PERIOD_DAYS : days.intValue(),
                        enabledAtMillis))
                .whenComplete((described, failure) -> {
                    if (failure == null || Failures.cause(failure) instanceof DynamoException) {
                        node.shards().tables().releaseHistory(table.id());
                    }
                });
    }

    /** Sets the table's point-in-time recovery from its current one (null: off), if the table is still the one the request found. */
    private CompletionStage<byte[]> change(TableMetadata table, UnaryOperator<TableOptions.PointInTimeRecovery> setting) {
        return node.shards().updateTable(table.name(), current -> {
                    if (!current.id().equals(table.id())) return current;
                    NodeContext.refuseWhileDeleting(current);
                    return current.withOptions(current.options().withPointInTimeRecovery(setting.apply(current.options().pointInTimeRecovery())));
                })
                .thenApply(updated -> DescribeContinuousBackupsOperation.render(updated, System.currentTimeMillis()));
    }
}
