package io.eddy.gateway;

import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.VectorIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UpdateTable's VectorIndexUpdates: one Create or Delete of a vector index a request, as DynamoDB
 * allows ("Only 1 online index can be created or deleted simultaneously per table", global index
 * creations and deletions counted). A new index is CREATING until its entries are built from the
 * table's items, a deleted one DELETING until they are dropped (both by the node's index
 * maintenance, {@code io.eddy.streams.GlobalIndexes}).
 */
final class VectorIndexUpdates {

    private final List<RequestBody> updates;
    /** The request's AttributeDefinitions, null when it has none. */
    private final Map<String, AttributeType> definitions;

    private VectorIndexUpdates(List<RequestBody> updates, Map<String, AttributeType> definitions) {
        this.updates = updates;
        this.definitions = definitions;
    }

    /**
     * The request's VectorIndexUpdates, their members checked into {@code c}; null when absent or
     * empty (an empty list changes nothing, as DynamoDB answers it: ScyllaDB's tests, run against it).
     */
    static VectorIndexUpdates read(RequestBody request, Constraints c) {
        List<RequestBody> updates = request.structList("VectorIndexUpdates", "VectorIndexUpdate");
        if (updates == null || updates.isEmpty()) return null;
        for (int i = 0; i < updates.size(); i++) {
            String member = "vectorIndexUpdates." + (i + 1) + ".member";
            RequestBody create = updates.get(i).struct("Create", "CreateVectorIndexAction");
            RequestBody delete = updates.get(i).struct("Delete", "DeleteVectorIndexAction");
            if (create != null) VectorIndexDefinitions.constrain(c, member + ".create", create);
            if (delete != null) {
                c.notNull(member + ".delete.indexName", delete.string("IndexName"));
                c.tableName(member + ".delete.indexName", delete.string("IndexName"));
            }
        }
        // The definitions' own violations are reported where GlobalIndexUpdates reads them.
        return new VectorIndexUpdates(updates, GlobalIndexUpdates.attributeDefinitions(request, new Constraints()));
    }

    /**
     * Checks what can be checked before the table is read: one action, alone in the request; beside
     * a global index change, a second online index change (ScyllaDB's tests, run against DynamoDB).
     */
    void check(boolean indexUpdates, boolean otherChanges) {
        if (updates.size() > 1 || indexUpdates) throw GlobalIndexUpdates.onlineIndexLimit();
        RequestBody update = updates.get(0);
        if ((update.struct("Create") == null) == (update.struct("Delete") == null)) {
            throw DynamoException.invalidParameter("One of VectorIndexUpdate.Create or VectorIndexUpdate.Delete must be specified");
        }
        if (otherChanges) {
            throw DynamoException.invalidParameter("VectorIndexUpdates cannot be combined with other changes in an UpdateTable request");
        }
    }

    /** The table with the update made; runs inside the catalog against the current table. */
    TableMetadata apply(TableMetadata table) {
        // Vector indexes are not shared between replicas as global indexes are: a change here would stay here.
        ReplicaUpdates.refuseForGlobalTable(table, "Changing vector indexes");
        RequestBody update = updates.get(0);
        List<VectorIndex> vectorIndexes = new ArrayList<>(table.options().vectorIndexes());
        RequestBody delete = update.struct("Delete");
        boolean cancelsCreation = delete != null && table.options().indexBeingBuilt(delete.string("IndexName"));
        if (table.options().indexChangeInProgress() && !cancelsCreation) throw GlobalIndexUpdates.onlineIndexLimit();
        if (delete != null) {
            String name = delete.string("IndexName");
            VectorIndex index = table.options().vectorIndex(name)
                    .orElseThrow(() -> GlobalIndexUpdates.indexNotFound(name, table.name()));
            vectorIndexes.set(vectorIndexes.indexOf(index), index.withStatus(SecondaryIndex.Status.DELETING));
            return table.withOptions(table.options().withVectorIndexes(vectorIndexes));
        }
        RequestBody create = update.struct("Create");
        String name = create.string("IndexName");
        if (table.options().index(name).isPresent() || table.options().vectorIndex(name).isPresent()) {
            throw DynamoException.validation("Attempting to create an index which already exists");
        }
        if (vectorIndexes.size() >= VectorIndex.MAX_PER_TABLE) {
            throw new DynamoException(ErrorCode.LimitExceededException,
                    "Subscriber limit exceeded: Number of vector secondary indexes exceeds per-table limit of " + VectorIndex.MAX_PER_TABLE);
        }
        Map<String, AttributeType> defined = new LinkedHashMap<>();
        // Definitions a dropped index left behind do not count (GlobalIndexUpdates starts from the same).
        List<AttributeDefinition> used = table.withUsedAttributeDefinitions().attributeDefinitions();
        for (AttributeDefinition existing : used) defined.put(existing.name(), existing.type());
        if (definitions != null) {
            for (Map.Entry<String, AttributeType> requested : definitions.entrySet()) {
                AttributeType existing = defined.putIfAbsent(requested.getKey(), requested.getValue());
                if (existing != null && existing != requested.getValue()) {
                    throw DynamoException.invalidParameter("Cannot change the type of attribute " + requested.getKey()
                            + " from " + existing + " to " + requested.getValue());
                }
            }
        }
        Set<String> names = new HashSet<>();
        VectorIndex index = VectorIndexDefinitions.indexes(List.of(create), SecondaryIndex.Status.CREATING, table.billingMode(), defined, names).get(0);
        for (VectorIndex other : vectorIndexes) {
            if (other.vectorAttribute().equals(index.vectorAttribute()) && other.dimensions() != index.dimensions()) {
                throw VectorIndexDefinitions.conflictingDimensionsOfAnUpdate(index.vectorAttribute());
            }
        }
        vectorIndexes.add(index);
        VectorIndexDefinitions.checkVectorAttributes(vectorIndexes, table.keySchema(), table.options().indexes());
        List<AttributeDefinition> attributeDefinitions = new ArrayList<>(used);
        for (VectorIndex.SearchAttribute attribute : index.searchSchema()) {
            if (attributeDefinitions.stream().noneMatch(d -> d.name().equals(attribute.name()))) {
                attributeDefinitions.add(new AttributeDefinition(attribute.name(), defined.get(attribute.name())));
            }
        }
        return table.withAttributeDefinitions(attributeDefinitions).withOptions(table.options().withVectorIndexes(vectorIndexes));
    }
}
