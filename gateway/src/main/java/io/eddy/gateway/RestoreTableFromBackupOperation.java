package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import java.util.List;
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
        String billingMode = request.string("BillingModeOverride");
        Constraints c = new Constraints();
        c.notNull("targetTableName", target);
        c.tableName("targetTableName", target);
        c.notNull("backupArn", arn);
        c.stringLengthAtLeast("backupArn", arn, 37);
        c.stringLengthAtMost("backupArn", arn, 1024);
        c.oneOf("billingModeOverride", billingMode, List.of("PROVISIONED", "PAY_PER_REQUEST"));
        c.throwIfAny();
        if (request.node("SSESpecificationOverride") != null && request.struct("SSESpecificationOverride").bool("Enabled") == Boolean.TRUE) {
            throw DynamoException.validation("Eddy does not encrypt tables with KMS keys: SSESpecificationOverride cannot enable it");
        }

        return backups.restore(arn, target, createTable, table -> overridden(table, request))
                .thenApply(restored -> TableDescriptions.wrapped("TableDescription", restored, node));
    }

    /** The backup's CreateTable with the request's overrides in place. */
    private static ObjectNode overridden(ObjectNode table, RequestBody request) {
        String billingMode = request.string("BillingModeOverride");
        if (billingMode != null) {
            table.put("BillingMode", billingMode);
            if (billingMode.equals("PAY_PER_REQUEST")) {
                table.remove("ProvisionedThroughput");
                for (JsonNode index : table.path("GlobalSecondaryIndexes")) ((ObjectNode) index).remove("ProvisionedThroughput");
            }
        }
        override(table, request, "ProvisionedThroughputOverride", "ProvisionedThroughput");
        override(table, request, "OnDemandThroughputOverride", "OnDemandThroughput");
        override(table, request, "GlobalSecondaryIndexOverride", "GlobalSecondaryIndexes");
        override(table, request, "LocalSecondaryIndexOverride", "LocalSecondaryIndexes");
        return table;
    }

    private static void override(ObjectNode table, RequestBody request, String parameter, String member) {
        JsonNode value = request.node(parameter);
        if (value != null) table.set(member, value);
    }
}
