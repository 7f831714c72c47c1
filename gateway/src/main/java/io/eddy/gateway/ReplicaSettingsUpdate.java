package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.OnDemandThroughput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * UpdateTable's ReplicaUpdates Update: a replica's own settings, made in the replica's region by
 * UpdateTable there, as DynamoDB makes them: its table class (TableClassOverride), its on-demand
 * read maximum (OnDemandThroughputOverride) and its global indexes' (GlobalSecondaryIndexes).
 * A KMS key is refused, as everywhere in Eddy, and so is provisioned throughput: a global table
 * is on demand here. The region that is asked sends the action as sent ({@code UpdateReplica});
 * the replica's region reads it again and makes it. A Create action may carry the same overrides,
 * made as the replica is created.
 */
record ReplicaSettingsUpdate(String tableClass, Long maxReadRequestUnits, Map<String, Long> indexMaxReadRequestUnits) {

    /**
     * The overrides of an Update or a Create action (UpdateReplicationGroupMemberAction,
     * CreateReplicationGroupMemberAction), read and checked, {@code path} its member path in
     * constraint messages; its RegionName is the caller's to read. A Create needs none.
     */
    static ReplicaSettingsUpdate read(RequestBody update, String path, Constraints c) {
        String tableClass = update.string("TableClassOverride");
        c.oneOf(path + ".tableClassOverride", tableClass, CreateTableOperation.TABLE_CLASSES);
        Long maxRead = maxRead(update);
        Map<String, Long> indexes = new LinkedHashMap<>();
        List<RequestBody> indexUpdates = update.structList("GlobalSecondaryIndexes", "ReplicaGlobalSecondaryIndex");
        if (indexUpdates != null) {
            c.lengthAtLeast(path + ".globalSecondaryIndexes", indexUpdates, 1);
            for (int i = 0; i < indexUpdates.size(); i++) {
                RequestBody index = indexUpdates.get(i);
                String name = index.string("IndexName");
                String member = path + ".globalSecondaryIndexes." + (i + 1) + ".member";
                c.notNull(member + ".indexName", name);
                c.tableName(member + ".indexName", name);
                if (name == null) continue;
                refuseProvisioned(index, "a replica's global index " + name);
                if (indexes.containsKey(name)) {
                    throw DynamoException.invalidParameter("Duplicate global secondary index in a replica's settings: " + name);
                }
                indexes.put(name, maxRead(index));
            }
        }
        if (update.string("KMSMasterKeyId") != null) {
            throw SseSpecificationParameter.kmsRefused("a replica's KMSMasterKeyId cannot be given");
        }
        refuseProvisioned(update, "a replica");
        return new ReplicaSettingsUpdate(tableClass, maxRead, indexes);
    }

    /** An Update, once its members are checked, must change something. */
    void requireChange() {
        if (tableClass == null && !changesMaxima()) {
            throw DynamoException.validation("A replica Update must name a TableClassOverride or an OnDemandThroughputOverride to change");
        }
    }

    private boolean changesMaxima() {
        return maxReadRequestUnits != null || indexMaxReadRequestUnits.values().stream().anyMatch(java.util.Objects::nonNull);
    }

    private static Long maxRead(RequestBody part) {
        RequestBody override = part.struct("OnDemandThroughputOverride");
        return override == null ? null : override.longValue("MaxReadRequestUnits");
    }

    private static void refuseProvisioned(RequestBody part, String what) {
        if (part.struct("ProvisionedThroughputOverride") != null) {
            throw DynamoException.invalidParameter("ProvisionedThroughputOverride cannot be specified for " + what
                    + " of a table whose BillingMode is PAY_PER_REQUEST");
        }
    }

    /**
     * The CreateTable request a new replica is made from, with these overrides (an index it does
     * not have is refused here; the maxima are checked by that region's CreateTable).
     */
    ObjectNode appliedTo(ObjectNode createTable) {
        if (tableClass != null) createTable.put("TableClass", tableClass);
        if (maxReadRequestUnits != null) createTable.withObjectProperty("OnDemandThroughput").put("MaxReadRequestUnits", maxReadRequestUnits);
        indexMaxReadRequestUnits.forEach((name, units) -> {
            ObjectNode index = null;
            for (com.fasterxml.jackson.databind.JsonNode candidate : createTable.path("GlobalSecondaryIndexes")) {
                if (name.equals(candidate.path("IndexName").asText())) index = (ObjectNode) candidate;
            }
            if (index == null) throw GlobalIndexUpdates.indexNotFound(name, createTable.path("TableName").asText());
            if (units != null) index.withObjectProperty("OnDemandThroughput").put("MaxReadRequestUnits", units);
        });
        return createTable;
    }

    /**
     * Makes the settings on this node's replica of {@code tableName} through {@code updateTable}
     * (UpdateTable here, with its checks): the table class first, alone, as UpdateTable requires,
     * then the read maxima.
     */
    CompletionStage<Void> makeHere(NodeContext node, String tableName, Function<RequestBody, CompletionStage<byte[]>> updateTable) {
        // Checked against this replica before the first request, so that a refused second one leaves no half change.
        TableMetadata table = node.tableForControl(tableName);
        OnDemandParameters.checkRange(new OnDemandThroughput(maxReadRequestUnits, null), true);
        indexMaxReadRequestUnits.forEach((name, units) -> {
            GlobalIndexUpdates.existing(table, name);
            OnDemandParameters.checkRange(new OnDemandThroughput(units, null), true);
        });
        List<ObjectNode> requests = new ArrayList<>();
        if (tableClass != null) requests.add(Json.MAPPER.createObjectNode().put("TableName", tableName).put("TableClass", tableClass));
        if (changesMaxima()) {
            ObjectNode maxima = Json.MAPPER.createObjectNode().put("TableName", tableName);
            if (maxReadRequestUnits != null) maxima.putObject("OnDemandThroughput").put("MaxReadRequestUnits", maxReadRequestUnits);
            ArrayNode indexUpdates = maxima.putArray("GlobalSecondaryIndexUpdates");
            indexMaxReadRequestUnits.forEach((index, units) -> {
                if (units != null) {
                    indexUpdates.addObject().putObject("Update").put("IndexName", index)
                            .putObject("OnDemandThroughput").put("MaxReadRequestUnits", units);
                }
            });
            if (indexUpdates.isEmpty()) maxima.remove("GlobalSecondaryIndexUpdates");
            requests.add(maxima);
        }
        CompletionStage<byte[]> done = CompletableFuture.completedFuture(null);
        for (ObjectNode request : requests) done = done.thenCompose(previous -> updateTable.apply(new RequestBody(request)));
        return done.thenApply(last -> null);
    }
}
