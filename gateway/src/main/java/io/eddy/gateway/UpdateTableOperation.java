package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableMetadata.Throughput;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.OnDemandThroughput;
import io.eddy.model.TableOptions.TableClass;
import io.eddy.model.TableOptions.TableClassChoice;
import io.eddy.model.TableOptions.WarmThroughput;
import io.eddy.persistence.ItemStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * UpdateTable: billing mode ({@link BillingModeParameter}) and provisioned throughput, on-demand maxima, warm throughput,
 * deletion protection, table class, enabling or disabling the stream, creating, deleting or updating global
 * secondary indexes, and creating or deleting replicas in other regions ({@link ReplicaUpdates}). As in DynamoDB, a table class or deletion
 * protection change must be the request's only change, and on-demand maxima may come only with a
 * billing mode.
 */
final class UpdateTableOperation implements Operation {

    private final NodeContext node;
    private final ReplicaRegions regions;
    private final HttpReplicaLink replicaLink;
    private final ItemStore store;

    UpdateTableOperation(NodeContext node, ReplicaRegions regions, HttpReplicaLink replicaLink, ItemStore store) {
        this.node = node;
        this.regions = regions;
        this.replicaLink = replicaLink;
        this.store = store;
    }

    /** What the request asks to change; null members are left as they are. */
    private record Changes(Optional<BillingMode> billingMode, RequestBody throughput, Long read, Long write,
                           OnDemandThroughput onDemand, Boolean deletionProtection, TableClass tableClass, WarmThroughput warm) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        RequestBody throughput = request.struct("ProvisionedThroughput");
        BillingModeParameter billingMode = BillingModeParameter.read(request);
        Boolean deletionProtection = request.bool("DeletionProtectionEnabled");
        String tableClass = request.string("TableClass");
        OnDemandThroughput onDemand = OnDemandParameters.read(request);
        WarmThroughput warm = WarmThroughputs.read(request);
        Long read = throughput == null ? null : throughput.longValue("ReadCapacityUnits");
        Long write = throughput == null ? null : throughput.longValue("WriteCapacityUnits");
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.provisionedThroughput(throughput, read, write);
        billingMode.check(c);
        WarmThroughputs.constrain(c, "warmThroughput", warm);
        StreamSpecificationParameter streams = StreamSpecificationParameter.read(request);
        if (streams != null) streams.check(c);
        GlobalIndexUpdates indexUpdates = GlobalIndexUpdates.read(request, c);
        ReplicaUpdates replicaUpdates = ReplicaUpdates.read(request, c);
        MultiRegionConsistencyParameter consistency = MultiRegionConsistencyParameter.read(request, c);
        VectorIndexUpdates vectorUpdates = VectorIndexUpdates.read(request, c);
        SseSpecificationParameter sse = SseSpecificationParameter.read(request, "SSESpecification");
        if (sse != null) sse.check(c);
        c.oneOf("globalTableSettingsReplicationMode", request.string("GlobalTableSettingsReplicationMode"),
                List.of("ENABLED", "DISABLED", "ENABLED_WITH_OVERRIDES"));
        c.throwIfAny();
        CreateTableOperation.checkTableClass(tableClass);
        if (sse != null) sse.refuseKms();
        UnsupportedParameters.refuseInUpdateTable(request, () -> node.tableForControl(tableName));

        boolean billing = throughput != null || billingMode.requested().isPresent();
        boolean tableChanges = billing || onDemand != null || deletionProtection != null || tableClass != null || streams != null
                || indexUpdates != null || warm != null;
        List<RequestBody> replicaActions = request.structList("ReplicaUpdates", "ReplicationGroupUpdate");
        if (!tableChanges && replicaActions == null && sse == null && vectorUpdates == null) {
            // DynamoDB leaves out of the list a member the request has (MultiRegionConsistency alone changes nothing).
            // TableThroughputMode alone is a billing change, so never gets here; the list is as captured before it.
            throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
                    + "ReplicaTransitRoleArn, " + (request.node("MultiRegionConsistency") == null ? "MultiRegionConsistency, " : "")
                    + "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required");
        }
        if (consistency != null) {
            consistency.check(replicaActions, tableChanges || vectorUpdates != null || sse != null, () -> node.tableForControl(tableName));
        }
        if (replicaActions != null && replicaActions.size() > 1) {
            throw DynamoException.validation("Update table operation with more than one create or delete replica actions not allowed");
        }
        if (sse != null) {
            // DynamoDB names the first of SSE, TableClass, DeletionProtection and WarmThroughput that is not alone (captured, 2026).
            if (tableChanges || replicaActions != null || vectorUpdates != null) {
                throw DynamoException.invalidParameter("Server-Side Encryption modification must be the only operation in the request");
            }
            node.tableForControl(tableName);
            throw SseSpecificationParameter.alreadyDefault();
        }
        if (vectorUpdates != null) {
            // An empty GlobalSecondaryIndexUpdates is refused as it is alone, not counted as a second index change.
            if (indexUpdates != null) indexUpdates.refuseEmpty();
            vectorUpdates.check(indexUpdates != null, tableChanges || replicaActions != null);
            return node.shards().updateTable(node.changeableName(tableName), current -> {
                NodeContext.refuseWhileDeleting(current);
                return vectorUpdates.apply(current);
            }).thenApply(updated -> TableDescriptions.wrapped("TableDescription", updated, node));
        }
        if (replicaUpdates != null) {
            replicaUpdates.checkAlone(tableChanges);
            return replicaUpdates.apply(node, regions, replicaLink, store, tableName)
                    .thenApply(updated -> TableDescriptions.wrapped("TableDescription", updated, node));
        }
        if (indexUpdates != null) indexUpdates.check();
        if (tableClass != null && (billing || onDemand != null || deletionProtection != null || streams != null || indexUpdates != null
                || warm != null)) {
            throw DynamoException.invalidParameter("TableClass modification must be the only operation in the request");
        }
        if (deletionProtection != null && (billing || onDemand != null || streams != null || indexUpdates != null || warm != null)) {
            throw DynamoException.invalidParameter("DeletionProtection modification must be the only operation in the request");
        }
        if (onDemand != null && (throughput != null || streams != null || warm != null)) {
            throw DynamoException.invalidParameter("OnDemandThroughput can only be combined with BillingMode in an UpdateTable request");
        }
        if (warm != null && indexUpdates != null && indexUpdates.creates()) {
            throw DynamoException.invalidParameter("Create global secondary index cannot be specified when updating WarmThroughput");
        }
        if (warm != null && (billing || streams != null)) {
            throw DynamoException.invalidParameter("WarmThroughput must be the only operation in the request");
        }
        if (indexUpdates != null && indexUpdates.online()) {
            if (throughput != null) {
                throw DynamoException.invalidParameter("You cannot create or delete index while updating table IOPS");
            }
            if (streams != null) {
                throw DynamoException.invalidParameter("You cannot create or delete index while changing stream status");
            }
        }
        if (streams != null) {
            streams.checkUpdate();
            if (throughput != null) {
                throw DynamoException.invalidParameter("You cannot modify stream status while updating table IOPS");
            }
        }
        if (throughput != null) CreateTableOperation.checkUnits(read, write);
        OnDemandParameters.checkRange(onDemand, true);
        Changes changes = new Changes(billingMode.requested(), throughput, read, write,
                onDemand, deletionProtection, tableClass == null ? null : TableClass.valueOf(tableClass), warm);
        return node.shards().updateTable(node.changeableName(tableName), current -> {
                    NodeContext.refuseWhileDeleting(current);
                    TableMetadata updated = apply(current, changes);
                    if (!updated.options().vectorIndexes().isEmpty() && updated.billingMode() != TableMetadata.BillingMode.PAY_PER_REQUEST) {
                        throw DynamoException.invalidParameter(VectorIndexDefinitions.PAY_PER_REQUEST_ONLY);
                    }
                    if (indexUpdates != null) updated = indexUpdates.shared(indexUpdates.apply(current, updated), node.region());
                    // A global table cannot leave on-demand at all: refused before its indexes are asked for throughput
                    // (one being deleted in this region would otherwise decide the answer by how far its drop has got).
                    ReplicaUpdates.refuseUnpropagated(current, updated);
                    updated = GlobalIndexUpdates.afterBillingChange(current, updated);
                    if (warm != null || indexUpdates != null && indexUpdates.warms()) {
                        // Eddy does not carry warm throughput to other regions' replicas, as DynamoDB does.
                        ReplicaUpdates.refuseForGlobalTable(current, "Changing WarmThroughput");
                    }
                    updated = WarmThroughputs.carried(current, updated);
                    if (streams == null) return updated;
                    return updated.withOptions(updated.options().withStreams(streams.apply(updated, Instant.now(), node.streamShardLifetime())));
                })
                .thenApply(updated -> TableDescriptions.wrapped("TableDescription", updated, node));
    }

    /** Runs inside the catalog against the current metadata. */
    private static TableMetadata apply(TableMetadata current, Changes changes) {
        TableMetadata updated = applyBilling(current, changes.billingMode(), changes.throughput(), changes.read(), changes.write());
        TableOptions options = updated.options();
        if (updated.billingMode() == BillingMode.PROVISIONED) {
            OnDemandParameters.refuseForProvisioned(changes.onDemand());
            // Maxima belong to on-demand billing; a table switched to provisioned drops them.
            options = options.withOnDemandThroughput(OnDemandThroughput.NONE);
        } else {
            options = options.withOnDemandThroughput(OnDemandParameters.merged(options.onDemandThroughput(), changes.onDemand()));
        }
        if (changes.deletionProtection() != null) {
            options = options.withDeletionProtectionEnabled(changes.deletionProtection());
        }
        if (changes.tableClass() != null && changes.tableClass() != options.tableClass().effective()) {
            options = options.withTableClass(new TableClassChoice(changes.tableClass(), Instant.now().toEpochMilli()));
        }
        if (changes.warm() != null) {
            // Checked against what was in force before this request's other changes.
            options = options.withWarmThroughput(WarmThroughputs.raised(WarmThroughputs.ofTable(current), changes.warm()));
        }
        return updated.withOptions(options);
    }

    /**
     * DynamoDB's refusal of a throughput equal to the one in force, of {@code subject} ("the table",
     * "the index X"), provisioned for {@code holder} ("the table", "index X").
     */
    static DynamoException throughputUnchanged(String subject, String holder, long read, long write) {
        return DynamoException.validation("The provisioned throughput for " + subject + " will not change. The requested value "
                + "equals the current value. Current ReadCapacityUnits provisioned for " + holder + ": " + read
                + ". Requested ReadCapacityUnits: " + read
                + ". Current WriteCapacityUnits provisioned for " + holder + ": " + write
                + ". Requested WriteCapacityUnits: " + write
                + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
    }

    /** Billing mode and provisioned throughput, as requested (unchanged when neither is). */
    private static TableMetadata applyBilling(TableMetadata current, Optional<BillingMode> requestedMode,
                                       RequestBody throughput, Long read, Long write) {
        BillingMode mode = requestedMode.orElse(current.billingMode());
        Instant now = Instant.now();
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (throughput != null) {
                throw DynamoException.invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            if (current.billingMode() == BillingMode.PAY_PER_REQUEST) return current;
            return current.withBilling(mode, Throughput.ON_DEMAND, Optional.of(now));
        }
        if (throughput == null) {
            // BillingMode PROVISIONED sent again without throughput is refused, though the table is provisioned already.
            if (current.billingMode() == BillingMode.PROVISIONED && requestedMode.isEmpty()) return current;
            throw DynamoException.invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
        }
        Throughput old = current.throughput();
        if (current.billingMode() == BillingMode.PROVISIONED
                && old.readCapacityUnits() == read && old.writeCapacityUnits() == write) {
            throw throughputUnchanged("the table", "the table", old.readCapacityUnits(), old.writeCapacityUnits());
        }
        boolean increase = read > old.readCapacityUnits() || write > old.writeCapacityUnits();
        boolean decrease = read < old.readCapacityUnits() || write < old.writeCapacityUnits();
        Throughput next = new Throughput(read, write,
                increase ? Optional.of(now) : old.lastIncrease(),
                decrease ? Optional.of(now) : old.lastDecrease(),
                old.decreasesOn(now) + (decrease ? 1 : 0));
        return current.withBilling(BillingMode.PROVISIONED, next, current.lastUpdateToPayPerRequest());
    }
}
