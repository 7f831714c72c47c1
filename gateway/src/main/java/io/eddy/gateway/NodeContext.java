package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.shards.ItemReply;
import io.eddy.shards.ItemUpdate;
import io.eddy.shards.Shards;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What every operation handler needs from the node: the shards, the node's identity for ARNs,
 * {@code knownUser}: whether an access key exists (for the principals of resource-based policies;
 * any does when no credentials are configured), the tables' throughput limits, the keys
 * Contributor Insights counts, and how long the shards of a stream enabled now take records.
 */
record NodeContext(Shards shards, String region, String accountId, int partitionsPerTable,
                   java.util.function.Predicate<String> knownUser, ThroughputLimits throughput, KeyContributors contributors,
                   java.time.Duration streamShardLifetime) {

    /** The table a data-plane request names; DynamoDB answers a missing one with a bare "Requested resource not found". */
    TableMetadata tableForData(String nameOrArn) {
        // A table being restored from a backup (CREATING) takes no requests yet; one being deleted (a global
        // table's replica, until another region deletes it) no more.
        return find(nameOrArn).filter(table -> table.status() != TableMetadata.TableStatus.CREATING
                        && table.status() != TableMetadata.TableStatus.DELETING)
                .orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found"));
    }

    /**
     * The catalog name of a table a request is about to change, refused while the table is being
     * created (restored from a backup) or deleted, as DynamoDB refuses it.
     */
    String changeableName(String nameOrArn) {
        String name = catalogName(nameOrArn);
        refuseWhileCreating(name);
        shards.tables().find(name).ifPresent(NodeContext::refuseWhileDeleting);
        return name;
    }

    /**
     * @throws DynamoException ResourceInUseException when the table is being deleted (a global table's
     *         replica, until another region deletes it); also called inside catalog changes, which
     *         see the latest status
     */
    static void refuseWhileDeleting(TableMetadata table) {
        if (table.status() == TableMetadata.TableStatus.DELETING) {
            throw new DynamoException(io.eddy.model.ErrorCode.ResourceInUseException,
                    "Attempt to change a resource which is still in use: Table is being deleted: " + table.name());
        }
    }

    /**
     * @throws DynamoException ResourceInUseException when a global secondary or vector index is being
     *         built or dropped: DynamoDB deletes no table while one is
     */
    static void refuseWhileIndexesChange(TableMetadata table) {
        if (table.options().indexChangeInProgress()) {
            throw new DynamoException(io.eddy.model.ErrorCode.ResourceInUseException,
                    "Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.");
        }
    }

    /**
     * Reads one item for a request: admitted by the table's read limit ({@link ThroughputLimits#admit};
     * a refusal counts the key as throttled for Contributor Insights), then counted as accessed. The
     * caller charges what the read consumed.
     */
    CompletionStage<Optional<Map<String, AttributeValue>>> readItem(TableMetadata table, Map<String, AttributeValue> key) {
        admitItem(table, ThroughputLimits.Use.READ, key);
        return shards.getItem(table, key).whenComplete((found, failure) -> contributors.accessed(table, null, key));
    }

    /**
     * Writes one item for a request: admitted by the table's write limits, its failed condition
     * charged ({@link ThroughputLimits#chargingFailedCondition}), counted as accessed whether it
     * succeeds or not. The caller charges what a write that succeeds consumed.
     */
    CompletionStage<ItemReply.Written> writeItem(TableMetadata table, Map<String, AttributeValue> key, ItemUpdate update) {
        admitItem(table, ThroughputLimits.Use.WRITE, key);
        return shards.writeItem(table, key, throughput.chargingFailedCondition(table, update))
                .whenComplete((written, failure) -> contributors.accessed(table, null, key));
    }

    private void admitItem(TableMetadata table, ThroughputLimits.Use use, Map<String, AttributeValue> key) {
        try {
            throughput.admit(table, use, Optional.empty());
        } catch (DynamoException refusal) {
            contributors.throttled(table, null, key);
            throw refusal;
        }
    }

    /** @throws DynamoException ResourceInUseException when the table is being created */
    void refuseWhileCreating(String name) {
        if (shards.tables().find(name).filter(table -> table.status() == TableMetadata.TableStatus.CREATING).isPresent()) {
            throw new DynamoException(io.eddy.model.ErrorCode.ResourceInUseException,
                    "Attempt to change a resource which is still in use: Table is being created: " + name);
        }
    }

    /**
     * The table a backup request names; a missing one is TableNotFoundException, as the backup APIs
     * answer, and so is one still being restored (DynamoDB's answer to CreateBackup and the
     * continuous backups calls on a restore's target, captured 2026).
     */
    TableMetadata tableForBackups(String nameOrArn) {
        String name = catalogName(nameOrArn);
        return shards.tables().find(name)
                .filter(table -> table.status() != TableMetadata.TableStatus.CREATING || table.options().restore() == null)
                .orElseThrow(() -> new DynamoException(io.eddy.model.ErrorCode.TableNotFoundException, "Table not found: " + name));
    }

    /** The table a control-plane request names, with DescribeTable's message. */
    TableMetadata tableForControl(String nameOrArn) {
        return find(nameOrArn).orElseThrow(() -> controlNotFound(tableName(nameOrArn)));
    }

    /**
     * The catalog name of the table a TableName parameter (a name or a table ARN) names, for the
     * requests the catalog answers; an ARN of another account is answered "not found" here.
     */
    String catalogName(String nameOrArn) {
        TableArns.TableRef ref = TableArns.fromTableName(nameOrArn, region, accountId);
        if (!ref.ours()) throw controlNotFound(ref.name());
        return ref.name();
    }

    /** The table a TableName parameter names, of any status; empty for another account's ARN. */
    Optional<TableMetadata> find(String nameOrArn) {
        TableArns.TableRef ref = TableArns.fromTableName(nameOrArn, region, accountId);
        return ref.ours() ? shards.tables().find(ref.name()) : Optional.empty();
    }

    /** The table name a TableName parameter (a name or a table ARN) gives, whoever's the ARN is. */
    String tableName(String nameOrArn) {
        return TableArns.fromTableName(nameOrArn, region, accountId).name();
    }

    static DynamoException controlNotFound(String name) {
        return DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
    }

    String tableArn(TableMetadata table) {
        return TableArns.arn(region, accountId, table.name());
    }
}
