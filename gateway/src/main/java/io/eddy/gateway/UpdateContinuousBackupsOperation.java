package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * UpdateContinuousBackups: disabling point-in-time recovery is accepted (it is never on);
 * enabling it is refused, because Eddy does not build it, rather than claimed.
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
        c.atMost("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, 35);
        c.throwIfAny();

        node.tableForBackups(tableName);
        if (enabled) {
            throw new DynamoException(ErrorCode.ContinuousBackupsUnavailableException,
                    "Point-in-time recovery is not available in Eddy; use on-demand backups (CreateBackup)");
        }
        return CompletableFuture.completedFuture(DescribeContinuousBackupsOperation.render());
    }
}
