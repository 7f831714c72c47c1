package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListBackups: the backups, oldest first, of one table or all, within a creation-time range,
 * Limit (1 to 100) at a time from ExclusiveStartBackupArn. Every backup Eddy takes is of type USER.
 */
final class ListBackupsOperation implements Operation {

    private final NodeContext node;
    private final Backups backups;

    ListBackupsOperation(NodeContext node, Backups backups) {
        this.node = node;
        this.backups = backups;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        Long limit = request.intValue("Limit");
        String start = request.string("ExclusiveStartBackupArn");
        String backupType = request.string("BackupType");
        BigDecimal lower = request.timestamp("TimeRangeLowerBound");
        BigDecimal upper = request.timestamp("TimeRangeUpperBound");
        Constraints c = new Constraints();
        if (tableName != null) c.validTableName("tableName", tableName);
        c.atLeast("limit", limit, 1);
        c.atMost("limit", limit, 100);
        c.stringLengthAtLeast("exclusiveStartBackupArn", start, 37);
        c.stringLengthAtMost("exclusiveStartBackupArn", start, 1024);
        c.oneOf("backupType", backupType, List.of("USER", "SYSTEM", "AWS_BACKUP", "ALL"));
        c.throwIfAny();
        if (lower != null && upper != null && lower.compareTo(upper) > 0) {
            throw DynamoException.validation("Time range lower bound must be less than or equal to upper bound");
        }

        String table = tableName == null ? null : node.catalogName(tableName);
        String type = backupType == null ? "USER" : backupType;
        return CompletableFuture.supplyAsync(() -> {
            List<ObjectNode> matching = new ArrayList<>();
            for (ObjectNode backup : backups.all()) {
                BigDecimal created = backup.path("BackupDetails").path("BackupCreationDateTime").decimalValue();
                if (!type.equals("ALL") && !type.equals(backup.path("BackupDetails").path("BackupType").asText())) continue;
                if (table != null && !table.equals(backup.path("SourceTableDetails").path("TableName").asText())) continue;
                if (lower != null && created.compareTo(lower) < 0) continue;
                if (upper != null && created.compareTo(upper) >= 0) continue;
                matching.add(backup);
            }
            int from = 0;
            if (start != null) {
                for (int i = 0; i < matching.size(); i++) {
                    if (matching.get(i).path("BackupDetails").path("BackupArn").asText().equals(start)) from = i + 1;
                }
            }
            int pageSize = limit == null ? 100 : limit.intValue();
            List<ObjectNode> page = matching.subList(Math.min(from, matching.size()), Math.min(from + pageSize, matching.size()));
            boolean more = from + pageSize < matching.size();
            return Json.object(g -> {
                g.writeArrayFieldStart("BackupSummaries");
                for (ObjectNode backup : page) writeSummary(g, backup);
                g.writeEndArray();
                if (more) g.writeStringField("LastEvaluatedBackupArn", page.get(page.size() - 1).path("BackupDetails").path("BackupArn").asText());
            });
        });
    }

    private static void writeSummary(com.fasterxml.jackson.core.JsonGenerator g, ObjectNode backup) throws java.io.IOException {
        JsonNode details = backup.path("BackupDetails");
        JsonNode source = backup.path("SourceTableDetails");
        g.writeStartObject();
        g.writeStringField("TableName", source.path("TableName").asText());
        g.writeStringField("TableId", source.path("TableId").asText());
        g.writeStringField("TableArn", source.path("TableArn").asText());
        for (String field : List.of("BackupArn", "BackupName", "BackupCreationDateTime", "BackupExpiryDateTime", "BackupStatus",
                "BackupType", "BackupSizeBytes")) {
            if (details.has(field)) {
                g.writeFieldName(field);
                g.writeTree(details.get(field));
            }
        }
        g.writeEndObject();
    }
}
