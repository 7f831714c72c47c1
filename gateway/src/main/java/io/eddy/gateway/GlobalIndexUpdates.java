package io.eddy.gateway;

import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableOptions.OnDemandThroughput;
import io.eddy.model.TableOptions.WarmThroughput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UpdateTable's GlobalSecondaryIndexUpdates: create a global index (it is then CREATING until its
 * backfill is done), delete one (DELETING until its entries are dropped), or update one's
 * throughput; and AttributeDefinitions, which must define the new index's key attributes.
 */
final class GlobalIndexUpdates {

    /** One GlobalSecondaryIndexUpdate as sent: exactly one of the three actions is expected. */
    record Action(IndexDefinitions.Definition create, String deleteName, boolean delete, String updateName, boolean update,
                  RequestBody updateThroughput, Long updateRead, Long updateWrite, OnDemandThroughput updateOnDemand,
                  WarmThroughput updateWarm) {

        int actions() {
            return (create != null ? 1 : 0) + (delete ? 1 : 0) + (update ? 1 : 0);
        }

        String indexName() {
            return create != null ? create.indexName() : delete ? deleteName : updateName;
        }

        boolean online() {
            return create != null || delete;
        }
    }

    private final List<Action> actions;
    /** AttributeDefinitions sent with the request, by name; null when absent. */
    private final Map<String, AttributeType> definitions;

    private GlobalIndexUpdates(List<Action> actions, Map<String, AttributeType> definitions) {
        this.actions = actions;
        this.definitions = definitions;
    }

    /** The request's updates (null when it sends none), read and checked against their member constraints. */
    static GlobalIndexUpdates read(RequestBody request, Constraints c) {
        Map<String, AttributeType> definitions = attributeDefinitions(request, c);
        List<RequestBody> updates = request.structList("GlobalSecondaryIndexUpdates", "GlobalSecondaryIndexUpdate");
        if (updates == null) return null;
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            String member = "globalSecondaryIndexUpdates." + (i + 1) + ".member";
            RequestBody create = updates.get(i).struct("Create", "CreateGlobalSecondaryIndexAction");
            RequestBody delete = updates.get(i).struct("Delete", "DeleteGlobalSecondaryIndexAction");
            RequestBody update = updates.get(i).struct("Update", "UpdateGlobalSecondaryIndexAction");
            IndexDefinitions.Definition created = create == null ? null : IndexDefinitions.read(create, true);
            if (created != null) IndexDefinitions.constrain(c, member + ".create", created);
            String deleteName = delete == null ? null : delete.string("IndexName");
            if (delete != null) {
                c.notNull(member + ".delete.indexName", deleteName);
                c.tableName(member + ".delete.indexName", deleteName);
            }
            String updateName = update == null ? null : update.string("IndexName");
            RequestBody throughput = update == null ? null : update.struct("ProvisionedThroughput");
            Long read = throughput == null ? null : throughput.longValue("ReadCapacityUnits");
            Long write = throughput == null ? null : throughput.longValue("WriteCapacityUnits");
            WarmThroughput warm = update == null ? null : WarmThroughputs.read(update);
            if (update != null) {
                c.notNull(member + ".update.indexName", updateName);
                c.tableName(member + ".update.indexName", updateName);
                if (throughput != null) c.provisionedThroughput(member + ".update.provisionedThroughput", read, write);
                WarmThroughputs.constrain(c, member + ".update.warmThroughput", warm);
            }
            actions.add(new Action(created, deleteName, delete != null, updateName, update != null, throughput, read, write,
                    update == null ? null : OnDemandParameters.read(update), warm));
        }
        return new GlobalIndexUpdates(actions, definitions);
    }

    /** UpdateTable's AttributeDefinitions (the new indexes' key attributes), checked into {@code c}; null when absent. */
    static Map<String, AttributeType> attributeDefinitions(RequestBody request, Constraints c) {
        List<RequestBody> definitionList = request.structList("AttributeDefinitions", "AttributeDefinition");
        Map<String, AttributeType> definitions = null;
        if (definitionList != null) {
            definitions = new LinkedHashMap<>();
            for (int i = 0; i < definitionList.size(); i++) {
                String name = definitionList.get(i).string("AttributeName");
                String type = definitionList.get(i).string("AttributeType");
                String path = "attributeDefinitions." + (i + 1) + ".member";
                c.keyAttributeName(path + ".attributeName", name);
                c.notNull(path + ".attributeType", type);
                c.oneOf(path + ".attributeType", type, List.of("B", "N", "S"));
                if (name != null && type != null && List.of("B", "N", "S").contains(type)) {
                    definitions.putIfAbsent(name, AttributeType.valueOf(type));
                }
            }
        }
        return definitions;
    }

    boolean online() {
        return actions.stream().anyMatch(Action::online);
    }

    boolean creates() {
        return actions.stream().anyMatch(action -> action.create() != null);
    }

    /** Whether an update or a new index sets a warm throughput. */
    boolean warms() {
        return actions.stream().anyMatch(action -> action.updateWarm() != null || action.create() != null && action.create().warm() != null);
    }

    /** @throws DynamoException when the request's GlobalSecondaryIndexUpdates is an empty list */
    void refuseEmpty() {
        if (actions.isEmpty()) throw DynamoException.invalidParameter("List of GlobalSecondaryIndexUpdates is empty");
    }

    /** The request-level rules, before the table is looked at. */
    void check() {
        refuseEmpty();
        Set<String> names = new HashSet<>();
        for (Action action : actions) {
            if (action.actions() == 0) {
                throw DynamoException.invalidParameter("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                        + "GlobalSecondaryIndexUpdate.Delete must not be null");
            }
            if (action.actions() > 1) {
                throw DynamoException.invalidParameter("Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object");
            }
            if (!names.add(action.indexName())) {
                throw DynamoException.invalidParameter("Only one global secondary index update per index is allowed simultaneously. Index: "
                        + action.indexName());
            }
        }
        if (actions.stream().filter(Action::online).count() > 1) throw onlineIndexLimit();
    }

    /**
     * {@code updated} (the table after these updates) with each index they create or delete
     * recorded as a change a global table's replicas share ({@link ReplicaIndexes}), made by {@code region}.
     */
    TableMetadata shared(TableMetadata updated, String region) {
        if (updated.options().replicas().isEmpty()) return updated;
        io.eddy.model.TableOptions options = updated.options();
        for (Action action : actions) {
            if (!action.online()) continue;
            String name = action.indexName();
            options = options.withIndexVersion(new io.eddy.model.TableOptions.IndexVersion(name, action.delete(),
                    options.indexVersion(name).next(region)));
        }
        return updated.withOptions(options);
    }

    /**
     * Applies the updates to the table as the catalog has it (its billing mode already updated by
     * the request); {@code before} is the table before the request, whose warm throughput a raise is checked against.
     */
    TableMetadata apply(TableMetadata before, TableMetadata table) {
        List<SecondaryIndex> indexes = new ArrayList<>(table.options().indexes());
        // A table stored before dropped indexes took their definitions with them may still have some.
        List<AttributeDefinition> attributeDefinitions = new ArrayList<>(table.withUsedAttributeDefinitions().attributeDefinitions());
        boolean building = table.options().indexChangeInProgress();
        for (Action action : actions) {
            boolean cancelsCreation = action.delete() && table.options().indexBeingBuilt(action.deleteName());
            if (action.online() && building && !cancelsCreation) throw onlineIndexLimit();
            if (action.create() != null) {
                indexes.add(create(table, action.create(), indexes, attributeDefinitions));
            } else if (action.delete()) {
                SecondaryIndex index = existing(table, indexes, action.deleteName(), "delete");
                indexes.set(indexes.indexOf(index), index.withStatus(SecondaryIndex.Status.DELETING));
            } else {
                SecondaryIndex index = existing(table, indexes, action.updateName(), "update");
                indexes.set(indexes.indexOf(index), updated(table, index, action, before.billingMode()));
            }
        }
        return table.withAttributeDefinitions(attributeDefinitions).withOptions(table.options().withIndexes(indexes));
    }

    /** A key schema (its attributes, and HASH or RANGE for each) as DynamoDB shows it: {@code Schema:[SchemaElement: key{xyz:S:HASH}]}. */
    private record ShownSchema(List<KeySchema.KeyAttribute> keys, List<String> keyTypes) {
        @Override
        public String toString() {
            java.util.StringJoiner elements = new java.util.StringJoiner(", ", "Schema:[", "]");
            for (int i = 0; i < keys.size(); i++) {
                elements.add("SchemaElement: key{" + keys.get(i).name() + ":" + keys.get(i).type() + ":" + keyTypes.get(i) + "}");
            }
            return elements.toString();
        }
    }

    /** The table's key schema, or else an index's, that has {@code attribute}. */
    private static ShownSchema schemaWith(TableMetadata table, List<SecondaryIndex> indexes, String attribute) {
        KeySchema tableKeys = table.keySchema();
        if (!tableKeys.isKeyAttribute(attribute)) {
            for (SecondaryIndex index : indexes) {
                if (index.keyAttributes().stream().noneMatch(key -> key.name().equals(attribute))) continue;
                List<String> types = new ArrayList<>();
                index.partitionKeys().forEach(key -> types.add("HASH"));
                index.sortKeys().forEach(key -> types.add("RANGE"));
                return new ShownSchema(index.keyAttributes(), types);
            }
        }
        List<KeySchema.KeyAttribute> keys = new ArrayList<>(List.of(tableKeys.partitionKey()));
        tableKeys.sortKey().ifPresent(keys::add);
        return new ShownSchema(keys, keys.size() == 1 ? List.of("HASH") : List.of("HASH", "RANGE"));
    }

    private SecondaryIndex create(TableMetadata table, IndexDefinitions.Definition create, List<SecondaryIndex> indexes,
                                  List<AttributeDefinition> attributeDefinitions) {
        if (indexes.stream().anyMatch(index -> index.name().equals(create.indexName()))
                || table.options().vectorIndex(create.indexName()).isPresent()) {
            throw DynamoException.validation("Attempting to create an index which already exists");
        }
        if (definitions == null) {
            throw DynamoException.invalidParameter("AttributeDefinitions is not specified for index: " + create.indexName());
        }
        List<String> undefined = create.keyNames().stream().filter(name -> !definitions.containsKey(name)).toList();
        if (!undefined.isEmpty()) {
            throw DynamoException.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                    + String.join(", ", undefined) + "], AttributeDefinitions: [" + String.join(", ", definitions.keySet()) + "]");
        }
        for (AttributeDefinition existing : attributeDefinitions) {
            AttributeType requested = definitions.get(existing.name());
            // Another type for an attribute the new index does not key on is ignored: the attribute keeps its
            // type (dynoxide's changelog, verified against DynamoDB in eu-west-2).
            if (requested != null && requested != existing.type() && create.keyNames().contains(existing.name())) {
                // DynamoDB's words (ScyllaDB's tests, run against it), naming a key schema that has the attribute and the new one.
                List<KeySchema.KeyAttribute> newKeys = create.keyNames().stream()
                        .map(name -> new KeySchema.KeyAttribute(name, definitions.get(name))).toList();
                throw DynamoException.invalidParameter("Attributes cannot be redefined. Please check that your attribute has the same "
                        + "type as previously defined. Existing schema: " + schemaWith(table, indexes, existing.name())
                        + " New schema: " + new ShownSchema(newKeys, create.keyTypes()));
            }
        }
        SecondaryIndex index = IndexDefinitions.globalIndex(create, definitions, table.billingMode(), SecondaryIndex.Status.CREATING, true);
        if (indexes.stream().filter(i -> !i.local()).count() >= SecondaryIndex.MAX_GLOBAL) {
            throw new DynamoException(ErrorCode.LimitExceededException,
                    "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of " + SecondaryIndex.MAX_GLOBAL);
        }
        List<SecondaryIndex> all = new ArrayList<>(indexes);
        all.add(index);
        IndexDefinitions.checkNonKeyAttributeTotal(all);
        VectorIndexDefinitions.checkVectorAttributes(table.options().vectorIndexes(), table.keySchema(), all);
        for (KeySchema.KeyAttribute key : index.keyAttributes()) {
            if (attributeDefinitions.stream().noneMatch(d -> d.name().equals(key.name()))) {
                attributeDefinitions.add(new AttributeDefinition(key.name(), key.type()));
            }
        }
        return index;
    }

    /**
     * The global index {@code name} of the table, not being deleted, which a GlobalSecondaryIndexUpdates
     * action would {@code verb} (null for another parameter's): naming a local index there is a
     * ValidationException in DynamoDB ("Cannot delete an index that is not a GlobalSecondaryIndex: x").
     */
    private static SecondaryIndex existing(TableMetadata table, List<SecondaryIndex> indexes, String name, String verb) {
        return indexes.stream().filter(index -> index.name().equals(name) && !index.local()
                        && index.status() != SecondaryIndex.Status.DELETING)
                .findFirst()
                .orElseThrow(() -> verb != null && indexes.stream().anyMatch(index -> index.local() && index.name().equals(name))
                        ? DynamoException.validation("Cannot " + verb + " an index that is not a GlobalSecondaryIndex: " + name)
                        : indexNotFound(name, table.name()));
    }

    /** The global index {@code name} of the table, not being deleted. */
    static SecondaryIndex existing(TableMetadata table, String name) {
        return existing(table, table.options().indexes(), name, null);
    }

    /** An index update naming a global index the table does not have. */
    static DynamoException indexNotFound(String index, String table) {
        return DynamoException.resourceNotFound("Requested resource not found: Index " + index + " for table " + table);
    }

    /** DynamoDB refuses an index throughput that equals the one in force (captured, 2026; the words after "Current WriteCapacityUnits" follow the table's). */
    private static void refuseUnchanged(SecondaryIndex index, long read, long write) {
        SecondaryIndex.IndexThroughput old = index.throughput();
        if (old == null || old.readCapacityUnits() != read || old.writeCapacityUnits() != write) return;
        throw UpdateTableOperation.throughputUnchanged("the index " + index.name(), "index " + index.name(), read, write);
    }

    /**
     * An Update: the provisioned throughput of a provisioned table's index, the on-demand maxima of
     * an on-demand one's, and either's warm throughput (raised over what is in force before the update).
     */
    private static SecondaryIndex updated(TableMetadata table, SecondaryIndex index, Action action, BillingMode billedBefore) {
        SecondaryIndex result = index;
        if (table.billingMode() == BillingMode.PAY_PER_REQUEST) {
            if (action.updateOnDemand() == null && action.updateWarm() == null) {
                throw DynamoException.invalidParameter("The only Updates for index: " + index.name()
                        + " when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput");
            }
            if (action.updateOnDemand() != null) {
                OnDemandParameters.checkRange(action.updateOnDemand(), true);
                result = new SecondaryIndex(index.name(), index.id(), index.kind(), index.partitionKeys(), index.sortKeys(),
                        index.projection(), index.status(), null,
                        OnDemandParameters.merged(index.onDemandThroughput(), action.updateOnDemand()), index.warmThroughput());
            }
        } else {
            if (action.updateThroughput() == null && action.updateWarm() == null) {
                throw DynamoException.invalidParameter("ProvisionedThroughput must be specified for index: " + index.name());
            }
            if (action.updateThroughput() != null) {
                CreateTableOperation.checkUnits(action.updateRead(), action.updateWrite());
                refuseUnchanged(index, action.updateRead(), action.updateWrite());
                result = index.withThroughput(new SecondaryIndex.IndexThroughput(action.updateRead(), action.updateWrite()));
            }
        }
        if (action.updateWarm() == null) return result;
        // The index still has its throughput from before the request (a billing switch carries it along afterwards).
        return result.withWarmThroughput(WarmThroughputs.raised(WarmThroughputs.ofIndex(billedBefore, index), action.updateWarm()));
    }

    /**
     * A billing change carries the global indexes along: switched to on-demand they lose their
     * provisioned throughput; switched to provisioned each must have been given one.
     */
    static TableMetadata afterBillingChange(TableMetadata before, TableMetadata after) {
        if (before.billingMode() == after.billingMode()) return after;
        List<SecondaryIndex> indexes = new ArrayList<>();
        for (SecondaryIndex index : after.options().indexes()) {
            if (index.local()) {
                indexes.add(index);
            } else if (after.billingMode() == BillingMode.PAY_PER_REQUEST) {
                indexes.add(index.withThroughput(null));
            } else if (index.throughput() == null) {
                throw DynamoException.invalidParameter("ProvisionedThroughput must be specified for index: " + index.name());
            } else {
                indexes.add(index);
            }
        }
        return after.withOptions(after.options().withIndexes(indexes));
    }

    static DynamoException onlineIndexLimit() {
        return new DynamoException(ErrorCode.LimitExceededException,
                "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
    }
}
