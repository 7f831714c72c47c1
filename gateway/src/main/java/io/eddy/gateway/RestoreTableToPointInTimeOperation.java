package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * RestoreTableToPointInTime: a new table like the source table is now (key schema, attribute
 * definitions, indexes, billing and table class, or the request's overrides), CREATING until the
 * items the source held at the restore time are written to it ({@link Backups#restoreToPointInTime}).
 * The time must lie in the source's recovery window: from when point-in-time recovery was enabled,
 * or the recovery period ago, whichever is later, to now.
 */
final class RestoreTableToPointInTimeOperation implements Operation {

    private final NodeContext node;
    private final Backups backups;
    private final CreateTableOperation createTable;

    RestoreTableToPointInTimeOperation(NodeContext node, Backups backups) {
        this.node = node;
        this.backups = backups;
        this.createTable = new CreateTableOperation(node);
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String target = request.string("TargetTableName");
        String sourceArn = request.string("SourceTableArn");
        String sourceName = request.string("SourceTableName");
        BigDecimal restoreTime = request.timestamp("RestoreDateTime");
        boolean latest = request.bool("UseLatestRestorableTime") == Boolean.TRUE;
        Constraints c = new Constraints();
        c.notNull("targetTableName", target);
        c.tableName("targetTableName", target);
        c.stringLengthAtLeast("sourceTableArn", sourceArn, 1);
        c.stringLengthAtMost("sourceTableArn", sourceArn, 1024);
        if (sourceName != null) c.tableName("sourceTableName", sourceName);
        RestoreOverrides.check(c, request);
        c.throwIfAny();
        // DynamoDB's words (captured, 2026).
        if (sourceArn == null && sourceName == null) {
            throw DynamoException.validation("The parameter 'TableName' is required but was not present in the request");
        }
        if (sourceArn != null && sourceName != null) {
            throw DynamoException.validation("Must provide exactly one of: sourceTableArn, sourceTableName");
        }
        if (latest && restoreTime != null) {
            throw DynamoException.validation("Invalid Request: Both RestoreDateTime and UseLatestRestorableTime cannot be set for "
                    + "point-in-time restore request. Please specify either RestoreDateTime time or UseLatestRestorableTime");
        }
        if (!latest && restoreTime == null) {
            throw DynamoException.validation("Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be "
                    + "specified, but not both");
        }
        RestoreOverrides.refuseEncryption(request);

        TableMetadata source = node.tableForBackups(sourceArn != null ? sourceArn : sourceName);
        TableOptions.PointInTimeRecovery recovery = source.options().pointInTimeRecovery();
        if (recovery == null) {
            throw new DynamoException(ErrorCode.PointInTimeRecoveryUnavailableException,
                    "Point in time recovery is not enabled for table '" + source.name() + "'");
        }
        long nowMicros = TableStream.micros(Instant.now());
        long earliestMicros = recovery.earliestRestorableMicros(nowMicros / 1000);
        BigDecimal requested = latest ? BigDecimal.valueOf(nowMicros) : restoreTime.movePointRight(6);
        if (requested.compareTo(BigDecimal.valueOf(earliestMicros)) < 0 || requested.compareTo(BigDecimal.valueOf(nowMicros)) > 0) {
            throw new DynamoException(ErrorCode.InvalidRestoreTimeException, "Invalid restore time: "
                    + requested.movePointLeft(6).toPlainString() + " is not between EarliestRestorableDateTime " + seconds(earliestMicros)
                    + " and LatestRestorableDateTime " + seconds(nowMicros));
        }
        // To the nearest microsecond: a time sent as a JSON number may come as a double a hair below it.
        long timeMicros = requested.setScale(0, RoundingMode.HALF_UP).longValueExact();
        return backups.restoreToPointInTime(source, timeMicros, target, createTable, table -> RestoreOverrides.applied(table, request))
                .thenApply(restored -> TableDescriptions.wrapped("TableDescription", restored, node));
    }

    private static String seconds(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
