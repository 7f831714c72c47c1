package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeContinuousBackups: on-demand backups are always available (ENABLED); point-in-time
 * recovery is not built, so it is DISABLED for every table.
 */
final class DescribeContinuousBackupsOperation implements Operation {

    private final NodeContext node;

    DescribeContinuousBackupsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        node.tableForBackups(Constraints.requiredTableName(request));
        return CompletableFuture.completedFuture(render());
    }

    static byte[] render() {
        return Json.object(g -> {
            g.writeObjectFieldStart("ContinuousBackupsDescription");
            g.writeStringField("ContinuousBackupsStatus", "ENABLED");
            g.writeObjectFieldStart("PointInTimeRecoveryDescription");
            g.writeStringField("PointInTimeRecoveryStatus", "DISABLED");
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
