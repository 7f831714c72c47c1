package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema.KeyAttribute;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.IndexVersion;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The global indexes a global table's replicas share, as DynamoDB's do: a global index created or
 * deleted in one region is created (and backfilled) or deleted in the others. Each creation or
 * deletion carries a {@link SharedSettingsVersion} ({@code TableOptions.indexVersions}); a view
 * ({@code UpdateReplicas}, {@code CreateTableReplica}) carries the definitions of the table's
 * global indexes and those versions, and a replica makes each change that is newer than what it
 * knows through the same {@link GlobalIndexUpdates} as UpdateTable.
 */
final class ReplicaIndexes {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReplicaIndexes.class);

    /**
     * The refused changes already logged as warnings: each view brings a refused change again,
     * and one warning per change says enough. Bounded, as a log-only memory.
     */
    private static final Set<String> REFUSALS_WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ReplicaIndexes() {}

    /** The table's part of a view: its attribute definitions, its global indexes and the versions of their changes. */
    static void write(JsonGenerator g, TableMetadata table) throws IOException {
        TableDescriptions.writeAttributeDefinitions(g, table);
        g.writeArrayFieldStart("GlobalSecondaryIndexes");
        for (SecondaryIndex index : table.options().globalIndexes()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            Json.MAPPER.writeTree(g, definition(index));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("IndexVersions");
        for (IndexVersion change : table.options().indexVersions()) {
            g.writeStartObject();
            g.writeStringField("IndexName", change.indexName());
            g.writeBooleanField("Removed", change.removed());
            ReplicaMembers.writeVersion(g, change.version());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The index as UpdateTable's GlobalSecondaryIndexUpdates Create names it. */
    private static ObjectNode definition(SecondaryIndex index) {
        ObjectNode create = Json.MAPPER.createObjectNode().put("IndexName", index.name());
        ArrayNode keys = create.putArray("KeySchema");
        for (KeyAttribute key : index.partitionKeys()) keys.addObject().put("AttributeName", key.name()).put("KeyType", "HASH");
        for (KeyAttribute key : index.sortKeys()) keys.addObject().put("AttributeName", key.name()).put("KeyType", "RANGE");
        ObjectNode projection = create.putObject("Projection").put("ProjectionType", index.projection().type().name());
        if (!index.projection().nonKeyAttributes().isEmpty()) {
            ArrayNode nonKey = projection.putArray("NonKeyAttributes");
            index.projection().nonKeyAttributes().forEach(nonKey::add);
        }
        return create;
    }

    /**
     * The table with the view's index creations and deletions made where the view's version is
     * newer than what the table knows of that index. One that cannot be made now (another index
     * still being built, say) is not recorded, so the next view brings it again. An index of the
     * name with another definition here (deleted and created again there, unseen here) is deleted
     * first, the creation left for a later view.
     */
    static TableMetadata merged(RequestBody request, TableMetadata table) {
        List<RequestBody> changes = request.structList("IndexVersions", "IndexVersion");
        if (changes == null) throw DynamoException.validation("IndexVersions is required");
        TableMetadata result = table;
        for (RequestBody change : changes) {
            String name = change.string("IndexName");
            Boolean removed = change.bool("Removed");
            SharedSettingsVersion version = ReplicaMembers.version(change);
            if (name == null || removed == null) throw DynamoException.validation("Each of IndexVersions needs an IndexName and Removed");
            if (!version.newerThan(result.options().indexVersion(name))) continue;
            Optional<SecondaryIndex> present = result.options().globalIndexes().stream()
                    .filter(index -> index.name().equals(name) && index.status() != SecondaryIndex.Status.DELETING).findFirst();
            JsonNode created = removed ? null : createdIn(request, name);
            if (!removed && created == null) continue; // deleted there since: its deletion comes with a later view
            boolean other = present.isPresent() && created != null && !created.equals(definition(present.get()));
            try {
                if (present.isPresent() && (removed || other)) {
                    ObjectNode delete = Json.MAPPER.createObjectNode();
                    delete.putObject("Delete").put("IndexName", name);
                    SharedSettingsVersion known = result.options().indexVersion(name);
                    result = updates(request, List.of(), delete).apply(result, result);
                    if (other) {
                        // At the version the deleted one had: it tells no region anything, but marks the deletion as
                        // known, so a replica recorded meanwhile does not stamp it as a change of its own.
                        result = result.withOptions(result.options().withIndexVersion(new IndexVersion(name, true, known)));
                        continue;
                    }
                } else if (!removed && present.isEmpty()) {
                    List<String> keys = new java.util.ArrayList<>();
                    created.path("KeySchema").forEach(key -> keys.add(key.path("AttributeName").asText()));
                    ObjectNode create = Json.MAPPER.createObjectNode();
                    create.set("Create", created);
                    result = updates(request, keys, create).apply(result, result);
                }
            } catch (DynamoException notNow) {
                boolean building = result.options().globalIndexes().stream().anyMatch(i -> i.status() != SecondaryIndex.Status.ACTIVE);
                String message = "global index {} of table {} not changed as another region did{}: {}";
                if (building || !REFUSALS_WARNED.add(table.id() + "/" + name + "/" + version)) {
                    log.debug(message, name, table.name(), building ? " (an index is being built or deleted here; later)" : "",
                            notNow.toString());
                } else {
                    if (REFUSALS_WARNED.size() > 10_000) REFUSALS_WARNED.clear();
                    log.warn(message, name, table.name(), " (tried again at every view; told once)", notNow.toString());
                }
                continue;
            }
            result = result.withOptions(result.options().withIndexVersion(new IndexVersion(name, removed, version)));
        }
        return result;
    }

    /**
     * The table with a version, made by {@code region}, for each global index whose last recorded
     * change does not match what the table has: indexes made or deleted before it had replicas, or
     * while its first replica was being created from {@code snapshot}. Called as a replica is
     * recorded, so every replica ends with this table's indexes. The versions are the least past
     * what this region knows: they record what is, so a change another region made meanwhile,
     * not yet applied here, wins over them.
     */
    static TableMetadata stamped(TableMetadata table, TableMetadata snapshot, String region) {
        TableOptions options = table.options();
        for (SecondaryIndex index : options.globalIndexes()) {
            boolean deleting = index.status() == SecondaryIndex.Status.DELETING;
            if (!recorded(options, index.name(), deleting)) options = stamp(options, index.name(), deleting, region);
        }
        Set<String> gone = new TreeSet<>();
        snapshot.options().globalIndexes().stream().filter(index -> index.status() != SecondaryIndex.Status.DELETING)
                .forEach(index -> gone.add(index.name()));
        options.indexVersions().stream().filter(change -> !change.removed()).forEach(change -> gone.add(change.indexName()));
        options.globalIndexes().forEach(index -> gone.remove(index.name()));
        for (String name : gone) {
            if (!recorded(options, name, true)) options = stamp(options, name, true, region);
        }
        return table.withOptions(options);
    }

    /** Whether the last recorded change of the index {@code name} left it as it is: removed or not. */
    private static boolean recorded(TableOptions options, String name, boolean removed) {
        return options.indexVersions().stream().anyMatch(change -> change.indexName().equals(name) && change.removed() == removed);
    }

    private static TableOptions stamp(TableOptions options, String name, boolean removed, String region) {
        return options.withIndexVersion(new IndexVersion(name, removed, options.indexVersion(name).following(region)));
    }

    /** The view's definition of the global index {@code name}; null if it has none. */
    private static JsonNode createdIn(RequestBody request, String name) {
        JsonNode indexes = request.node("GlobalSecondaryIndexes");
        if (indexes == null) return null;
        for (JsonNode index : indexes) {
            if (name.equals(index.path("IndexName").asText(null))) return index;
        }
        return null;
    }

    /** One index update, as UpdateTable would read it, with the view's definitions of the attributes {@code keys}. */
    private static GlobalIndexUpdates updates(RequestBody view, List<String> keys, ObjectNode update) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        ArrayNode definitions = request.putArray("AttributeDefinitions");
        JsonNode sent = view.node("AttributeDefinitions");
        if (sent != null) {
            for (JsonNode definition : sent) {
                if (keys.contains(definition.path("AttributeName").asText())) definitions.add(definition);
            }
        }
        request.putArray("GlobalSecondaryIndexUpdates").add(update);
        Constraints c = new Constraints();
        GlobalIndexUpdates updates = GlobalIndexUpdates.read(new RequestBody(request), c);
        c.throwIfAny();
        updates.check();
        return updates;
    }
}
