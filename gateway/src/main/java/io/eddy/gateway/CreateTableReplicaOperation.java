package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replication: another region's node creates the replica of its table here (UpdateTable's
 * ReplicaUpdates Create there). The table is made from the CreateTable request it sends, CREATING
 * (taking no requests) until that node has sent every item and says it is complete
 * ({@link UpdateReplicasOperation}). Asking again for a replica being created is answered as done.
 */
final class CreateTableReplicaOperation implements Operation {

    private final NodeContext node;
    private final CreateTableOperation createTable;
    private final ReplicaRegions regions;

    CreateTableReplicaOperation(NodeContext node, CreateTableOperation createTable, ReplicaRegions regions) {
        this.node = node;
        this.createTable = createTable;
        this.regions = regions;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String source = ReplicaMembers.source(request, regions);
        ReplicaMembers.checkReachable(request, regions);
        String tableName = request.string("TableName");
        String creationId = request.string("CreationId");
        if (creationId == null) throw DynamoException.validation("CreationId is required");
        Optional<TableMetadata> existing = node.shards().tables().find(tableName == null ? "" : tableName);
        if (existing.isPresent()) {
            // The same request again (its answer was lost): done. Any other table there, even one an
            // earlier creation left CREATING, is refused (DeleteTable there removes such a one).
            boolean same = existing.get().status() == TableMetadata.TableStatus.CREATING && existing.get().options().replica(source)
                    .map(replica -> creationId.equals(replica.creationId())).orElse(false);
            if (same) return CompletableFuture.completedFuture(Json.EMPTY_OBJECT);
            throw alreadyExists(tableName);
        }
        RequestBody definition = request.struct("CreateTable");
        if (definition == null) throw DynamoException.validation("CreateTable is required");
        TableMetadata parsed = createTable.parse(definition).withStatus(TableMetadata.TableStatus.CREATING);
        // The creator's view of the other replicas and the removed ones, its TTL setting as it is; the creator, ACTIVE.
        TableOptions viewed = ReplicaMembers.merged(request, regions.localRegion(), source, parsed.options())
                .withTimeToLive(ReplicaMembers.timeToLive(request));
        List<Replica> replicas = new java.util.ArrayList<>(viewed.replicas());
        replicas.add(new Replica(source, ReplicaStatus.ACTIVE, false, creationId));
        // Its global indexes came with the definition; the view gives their versions (and any the definition lacked).
        TableMetadata table = ReplicaIndexes.merged(request, parsed.withOptions(viewed.withReplicas(replicas)));
        return node.shards().createTable(table)
                .exceptionally(failure -> {
                    if (Failures.cause(failure) instanceof DynamoException refusal && refusal.code() == ErrorCode.ResourceInUseException) {
                        throw alreadyExists(tableName);
                    }
                    throw Failures.rethrown(failure);
                })
                .thenApply(created -> Json.EMPTY_OBJECT);
    }

    /** DynamoDB's refusal of a replica whose region already has a table of that name. */
    static DynamoException alreadyExists(String tableName) {
        return DynamoException.validation("Failed to create a the new replica of table with name: '" + tableName
                + "' because one or more replicas already existed as tables.");
    }

    /** The CreateTable request a replica of {@code table} is made from: its keys, indexes and billing, and its stream's view type (NEW_AND_OLD_IMAGES if it has none). */
    static ObjectNode definition(TableMetadata table, NodeContext node) {
        // Not the global or vector indexes being deleted here (the view records their deletion), nor the definitions only they used.
        TableMetadata made = table.withOptions(table.options().withIndexes(table.options().indexes().stream()
                        .filter(index -> index.status() != io.eddy.model.SecondaryIndex.Status.DELETING).toList())
                .withVectorIndexes(table.options().vectorIndexes().stream()
                        .filter(index -> index.status() != io.eddy.model.SecondaryIndex.Status.DELETING).toList()))
                .withUsedAttributeDefinitions();
        ObjectNode described = (ObjectNode) Backups.readJson(TableDescriptions.wrapped("Table", made, node)).get("Table");
        ObjectNode request = Backups.createTableRequest(described, table.name());
        String viewType = table.options().streams().current().map(stream -> stream.viewType().name()).orElse("NEW_AND_OLD_IMAGES");
        request.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", viewType);
        return request;
    }
}
