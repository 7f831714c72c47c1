package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeContinuousBackups: on-demand backups are always available (ENABLED); point-in-time
 * recovery as UpdateContinuousBackups set it, with the window a restore may name now.
 */
final class DescribeContinuousBackupsOperation implements Operation {

    private final NodeContext node;

    DescribeContinuousBackupsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        TableMetadata table = node.tableForBackups(Constraints.requiredTableName(request));
        return CompletableFuture.completedFuture(render(table, System.currentTimeMillis()));
    }

    /**
     * The table's ContinuousBackupsDescription at {@code nowMillis}. Every write is journaled
     * durably before it is acknowledged, so the latest restorable time is now.
     */
    static byte[] render(TableMetadata table, long nowMillis) {
        TableOptions.PointInTimeRecovery recovery = table.options().pointInTimeRecovery();
        return Json.object(g -> {
            g.writeObjectFieldStart("ContinuousBackupsDescription");
            g.writeStringField("ContinuousBackupsStatus", "ENABLED");
            g.writeObjectFieldStart("PointInTimeRecoveryDescription");
            g.writeStringField("PointInTimeRecoveryStatus", recovery == null ? "DISABLED" : "ENABLED");
            if (recovery != null) {
                g.writeNumberField("RecoveryPeriodInDays", recovery.recoveryPeriodInDays());
                long earliest = recovery.earliestRestorableMillis(nowMillis);
                g.writeFieldName("EarliestRestorableDateTime");
                g.writeNumber(Json.epochSeconds(earliest));
                // Recovery starts at the millisecond after it was enabled (rounded up): asked within that
                // millisecond, now is still before it, and the window is that one moment.
                g.writeFieldName("LatestRestorableDateTime");
                g.writeNumber(Json.epochSeconds(Math.max(nowMillis, earliest)));
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
