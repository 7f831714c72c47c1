package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.StreamViewType;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.persistence.ItemStore;
import io.eddy.streams.GlobalTableReplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * UpdateTable's ReplicaUpdates (global tables, version 2019.11.21): create a replica of the table
 * in another region, or delete one. Regions are other Eddy nodes ({@link ReplicaRegions}).
 * <ul>
 *   <li>Create asks the other node to create the table, CREATING, then records the replica here,
 *       CREATING; this node then sends it every item and every change
 *       ({@link io.eddy.streams.GlobalTableReplication}), and both turn it ACTIVE once it holds
 *       every item. As in DynamoDB, the table must be on-demand (DynamoDB also takes provisioned
 *       tables with write auto scaling, which Eddy does not have); its stream is enabled with
 *       NEW_AND_OLD_IMAGES if it is not, and kept as it is if it is (a KEYS_ONLY stream stays so:
 *       ScyllaDB's tests, run against DynamoDB). Replication reads the journal, not the stream.</li>
 *   <li>Delete marks the replica DELETING; the replication deletes it there, tells the other
 *       replicas, and forgets it.</li>
 *   <li>Update changes a replica's own settings, in its region ({@link ReplicaSettingsUpdate}).</li>
 *   <li>None names this region (DynamoDB's refusal: the table's own UpdateTable or DeleteTable does that).</li>
 * </ul>
 * One replica action per request. DeleteTable of a global table is {@link GlobalTableLeaving}.
 */
final class ReplicaUpdates {

    private final boolean create;
    private final String region;
    /** For a Create, its overrides; for an Update, the settings, and the action as sent, which the replica's region reads again. */
    private final ReplicaSettingsUpdate settings;
    private final JsonNode updateAction;

    private ReplicaUpdates(boolean create, String region, ReplicaSettingsUpdate settings, JsonNode updateAction) {
        this.create = create;
        this.region = region;
        this.settings = settings;
        this.updateAction = updateAction;
    }

    /** The request's ReplicaUpdates, null if it has none. */
    static ReplicaUpdates read(RequestBody request, Constraints c) {
        List<RequestBody> updates = request.structList("ReplicaUpdates", "ReplicationGroupUpdate");
        if (updates == null) return null;
        c.lengthAtLeast("replicaUpdates", updates, 1);
        // Several actions are refused by UpdateTable once MultiRegionConsistency (which may ask for two) is read.
        if (updates.size() != 1) return null;
        RequestBody update = updates.get(0);
        RequestBody create = update.struct("Create", "CreateReplicationGroupMemberAction");
        RequestBody delete = update.struct("Delete", "DeleteReplicationGroupMemberAction");
        RequestBody change = update.struct("Update", "UpdateReplicationGroupMemberAction");
        if ((create != null ? 1 : 0) + (delete != null ? 1 : 0) + (change != null ? 1 : 0) != 1) {
            throw DynamoException.validation("One of Create, Update, or Delete must be specified in a ReplicationGroupUpdate");
        }
        RequestBody action = create != null ? create : delete != null ? delete : change;
        String member = "replicaUpdates.1.member." + (create != null ? "create" : delete != null ? "delete" : "update");
        String region = action.string("RegionName");
        c.notNull(member + ".regionName", region);
        ReplicaSettingsUpdate settings = change != null || create != null ? ReplicaSettingsUpdate.read(action, member, c) : null;
        return new ReplicaUpdates(create != null, region, settings, change == null ? null : request.node("ReplicaUpdates").get(0).get("Update"));
    }

    /** Refuses any other change beside the replica update, as one replica action is one request. */
    void checkAlone(boolean otherChanges) {
        if (otherChanges) {
            throw DynamoException.invalidParameter("ReplicaUpdates cannot be combined with other changes in an UpdateTable request");
        }
    }

    /** Makes the replica update. */
    CompletionStage<TableMetadata> apply(NodeContext node, ReplicaRegions regions, HttpReplicaLink link, ItemStore store, String tableName) {
        String name = node.changeableName(tableName);
        TableMetadata table = node.tableForControl(name);
        if (region.equals(regions.localRegion())) {
            throw DynamoException.validation("Cannot add, delete, or update the local region through ReplicaUpdates. "
                    + "Use CreateTable, DeleteTable, or UpdateTable as required.");
        }
        if (updateAction != null) return update(node, link, table);
        if (!create) return delete(node, regions, table, region);
        refuseWhileChanging(table);
        regions.replicaRegion(region);
        if (table.options().replica(region).isPresent()) throw CreateTableReplicaOperation.alreadyExists(name);
        checkReplicable(table);
        ObjectNode definition = settings.appliedTo(CreateTableReplicaOperation.definition(table, node));
        // The replica's stream is made with this view type: a change to the table's meanwhile refuses the creation.
        StreamViewType viewType = StreamViewType.valueOf(definition.path("StreamSpecification").path("StreamViewType").asText());
        // Checkpoints an earlier replica there left (a crash before its removal reset them) would skip the seeding.
        GlobalTableReplication.forgetCheckpoints(store, table, region);
        SharedSettingsVersion before = table.options().replicaVersion(region);
        // The same for a retry of this request (the catalog records nothing until the other node has answered, and a
        // removal there since changes the version): a retry after an answer that was lost finds its table there and is
        // answered as done, not refused for a table in the way. A request for other settings is another creation.
        String creationId = table.id() + "/" + before.counter() + "/" + before.region() + "/" + digest(definition);
        Replica created = new Replica(region, ReplicaStatus.CREATING, true, creationId, before.next(regions.localRegion()));
        return link.createReplica(region, withEntry(table, created), definition, creationId)
                .thenCompose(made -> node.shards().updateTable(name, current -> {
                    if (!current.id().equals(table.id())) {
                        throw NodeContext.controlNotFound(name);
                    }
                    NodeContext.refuseWhileDeleting(current);
                    // A retried request: the replica is recorded once.
                    if (current.options().replica(region).isPresent()) throw CreateTableReplicaOperation.alreadyExists(name);
                    refuseWhileChanging(current);
                    checkReplicable(current);
                    var stream = current.options().streams().current();
                    if (stream.isPresent() && stream.get().viewType() != viewType) {
                        throw new DynamoException(ErrorCode.ResourceInUseException, "Attempt to change a resource which is still in use: "
                                + "the stream of table " + name + " changed while its replica in region " + region + " was being created");
                    }
                    TableMetadata withStream = stream.isPresent() ? current
                            : current.withOptions(current.options().withStreams(
                                    current.options().streams().enable(viewType, Instant.now(), node.streamShardLifetime())));
                    // Newer than any removal of an earlier replica there that arrived meanwhile (the new one knows only
                    // its own table; it does not take its own entry from views).
                    SharedSettingsVersion removedBefore = current.options().replicaVersion(region);
                    TableMetadata recorded = withEntry(withStream, created.version().newerThan(removedBefore) ? created
                            : new Replica(region, ReplicaStatus.CREATING, true, creationId, removedBefore.next(regions.localRegion())));
                    return ReplicaIndexes.stamped(recorded, table, regions.localRegion());
                }).exceptionallyCompose(failure -> {
                    // The other node made a table this one will not seed: it is deleted there again when the
                    // catalog refused the change for sure, unless because a replica is recorded already (the
                    // table there is that one's). A timeout may have recorded it: the table stays then.
                    if (Failures.cause(failure) instanceof DynamoException refused && (refused.getMessage() == null
                            || !refused.getMessage().startsWith("Failed to create a the new replica"))) {
                        link.remove(region, table);
                    }
                    return java.util.concurrent.CompletableFuture.failedFuture(Failures.cause(failure));
                }));
    }

    /**
     * Marks the table's replica in {@code region} DELETING: this region then deletes it
     * (GlobalTableReplication), and the others stop sending to it. Also a replica being created:
     * the way out when its region cannot be reached.
     */
    static CompletionStage<TableMetadata> delete(NodeContext node, ReplicaRegions regions, TableMetadata table, String region) {
        refuseDeleting(table, region);
        return node.shards().updateTable(table.name(), current -> {
            if (!current.id().equals(table.id())) {
                throw NodeContext.controlNotFound(table.name());
            }
            NodeContext.refuseWhileDeleting(current);
            refuseDeleting(current, region);
            List<Replica> replicas = new ArrayList<>();
            for (Replica replica : current.options().replicas()) {
                replicas.add(replica.regionName().equals(region) ? replica.changedTo(ReplicaStatus.DELETING, regions.localRegion())
                        : replica);
            }
            return current.withOptions(current.options().withReplicas(replicas));
        });
    }

    /** An Update, made by the replica's node, which is sent the action ({@link HttpReplicaLink#updateReplica}). Answered with the table here. */
    private CompletionStage<TableMetadata> update(NodeContext node, HttpReplicaLink link, TableMetadata table) {
        settings.requireChange();
        Replica replica = table.options().replica(region).orElseThrow(ReplicaUpdates::notFound);
        if (replica.status() != ReplicaStatus.ACTIVE) throw inUse(table, replica);
        return link.updateReplica(region, table, updateAction).thenApply(made -> node.tableForControl(table.name()));
    }

    /** A short digest of the table definition a replica is created from. */
    private static String digest(ObjectNode definition) {
        return java.util.HexFormat.of().formatHex(SigV4Verifier.sha256(definition.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
    }

    /** DynamoDB's answer to an Update or Delete of a region the table has no replica in. */
    private static DynamoException notFound() {
        return DynamoException.validation("Replica specified in the Replica Update or Replica Delete action of the request was not found.");
    }

    /** A replica to delete must be there, and not being deleted already. */
    private static void refuseDeleting(TableMetadata table, String region) {
        TableOptions.Replica replica = table.options().replica(region).orElseThrow(ReplicaUpdates::notFound);
        if (replica.status() == ReplicaStatus.DELETING) throw inUse(table, replica);
    }

    /** A replica action refused while that replica is being created or deleted. */
    private static DynamoException inUse(TableMetadata table, Replica replica) {
        return new DynamoException(ErrorCode.ResourceInUseException, "Attempt to change a resource which is still in use: "
                + "the replica of table " + table.name() + " in region " + replica.regionName() + " is " + replica.status());
    }

    /** As DynamoDB, one replica created at a time: none while a replica is being created or deleted. */
    static void refuseWhileChanging(TableMetadata table) {
        for (Replica replica : table.options().replicas()) {
            if (replica.status() != ReplicaStatus.ACTIVE) throw inUse(table, replica);
        }
    }

    /** What DynamoDB requires of a table a replica is added to. */
    private static void checkReplicable(TableMetadata table) {
        if (table.billingMode() != TableMetadata.BillingMode.PAY_PER_REQUEST) {
            throw DynamoException.validation("Table write capacity should either be Pay-Per-Request or AutoScaled.");
        }
    }

    /** The table with {@code entry} as its replica in that region, in place of an earlier removal there. */
    private static TableMetadata withEntry(TableMetadata table, Replica entry) {
        return table.withOptions(table.options().withReplicaState(entry.regionName(), entry, null));
    }

    /** A billing mode a global table's replicas cannot have (Eddy has no write auto scaling): refused. */
    static void refuseUnpropagated(TableMetadata current, TableMetadata updated) {
        if (current.options().replicas().isEmpty()) return;
        if (updated.billingMode() != TableMetadata.BillingMode.PAY_PER_REQUEST) {
            throw DynamoException.validation("Table write capacity should either be Pay-Per-Request or AutoScaled.");
        }
    }

    /** Disabling the stream refuses a global table: its replicas go first. */
    static void refuseForGlobalTable(TableMetadata table, String what) {
        if (!table.options().replicas().isEmpty()) {
            // "not allowed … Global Table", as DynamoDB's message reads (ScyllaDB's tests, run against it; its exact words are not known).
            throw DynamoException.validation(what + " is not allowed on a Global Table: table " + table.name()
                    + " has replicas in other regions; delete them first with UpdateTable ReplicaUpdates");
        }
    }
}
