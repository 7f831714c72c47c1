package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.DynamoException;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TableMetadata;
import io.eddy.model.TimeToLive;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.RemovedReplica;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaSettings;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.model.TableOptions.TableClassChoice;
import java.io.IOException;
import java.util.List;

/**
 * The parts every replication operation shares: the calling region, the table it names, and the
 * shared settings a region sends the others (its view of the membership, the TTL setting, and
 * their {@link SharedSettingsVersion}).
 */
final class ReplicaMembers {

    private ReplicaMembers() {}

    /** The request's SourceRegion, which must be a region this node replicates with. */
    static String source(RequestBody request, ReplicaRegions regions) {
        String source = request.string("SourceRegion");
        if (source == null || regions.peer(source).isEmpty()) {
            throw DynamoException.validation("Replication request from region " + source
                    + ", which is not in this node's eddy.replication.regions");
        }
        return source;
    }

    /** The table a replication request is about, which must be a replica of a table in {@code source}. */
    static TableMetadata replicaOf(NodeContext node, String tableName, String source) {
        TableMetadata table = node.shards().tables().find(tableName)
                .orElseThrow(() -> NodeContext.controlNotFound(tableName));
        if (table.options().replica(source).isEmpty()) {
            throw DynamoException.validation("Table " + tableName + " has no replica in region " + source);
        }
        return table;
    }

    /**
     * {@code options} with the request's view of the shared settings merged in: each other
     * region's entry and removal, and the TTL setting, taken where the view's version is newer than
     * what this node knows of it; what the view does not name is kept. The sender's own entry
     * (ACTIVE, as it speaks) and this region's are not taken. An entry taken from the view is no
     * longer this node's to seed.
     */
    static TableOptions merged(RequestBody request, String localRegion, String source, TableOptions options) {
        TableOptions result = options;
        for (RequestBody member : members(request)) {
            String region = member.string("RegionName");
            ReplicaStatus status = status(member);
            SharedSettingsVersion version = version(member);
            if (region.equals(localRegion) || region.equals(source) || !news(result, region, version)) continue;
            String creationId = result.replica(region).map(Replica::creationId).orElse(null);
            // A replica being created (again, maybe) has no settings of its own to list until it reports them.
            ReplicaSettings settings = status == ReplicaStatus.CREATING ? null : result.replica(region).map(Replica::settings).orElse(null);
            result = result.withReplicaState(region, new Replica(region, status, false, creationId, version, settings), null);
        }
        // Each replica's own settings, reported by its region (the sender's own, or passed on): a later report that
        // changes them wins (one that changes nothing is not taken, so the periodic reports change no view).
        for (RequestBody member : members(request)) {
            String region = member.string("RegionName");
            ReplicaSettings reported = settings(member);
            if (reported == null || region.equals(localRegion) || result.replica(region).isEmpty()) continue;
            // Passed on by another region: only about the replica this node knows (not an earlier one of that region).
            if (!region.equals(source) && !version(member).equals(result.replicaVersion(region))) continue;
            ReplicaSettings known = result.replica(region).get().settings();
            if (known == null || reported.reportedMicros() > known.reportedMicros() && !reported.sameAs(known)) {
                result = result.withReplicaSettings(region, reported);
            }
        }
        List<RequestBody> removals = request.structList("RemovedReplicas", "RemovedReplica");
        for (RequestBody removal : removals == null ? List.<RequestBody>of() : removals) {
            String region = removal.string("RegionName");
            if (region == null) throw DynamoException.validation("Each of RemovedReplicas needs a RegionName");
            SharedSettingsVersion version = version(removal);
            if (region.equals(localRegion) || region.equals(source) || !news(result, region, version)) continue;
            result = result.withReplicaState(region, null, new RemovedReplica(region, version));
        }
        TimeToLive ttl = timeToLive(request);
        return ttl.version().newerThan(options.timeToLive().version()) ? result.withTimeToLive(ttl) : result;
    }

    /**
     * Whether a view's part about {@code region}, of {@code version}, is news here: newer than
     * what this node knows of that replica, or about one it knows nothing of (entries from before
     * versions existed have none).
     */
    private static boolean news(TableOptions options, String region, SharedSettingsVersion version) {
        boolean known = options.replica(region).isPresent() || options.removedReplica(region).isPresent();
        return !known || version.newerThan(options.replicaVersion(region));
    }

    /** A replica's own settings, as a view carries them ({@link #settings}). */
    static void writeSettings(JsonGenerator g, ReplicaSettings settings) throws IOException {
        g.writeObjectFieldStart("Settings");
        if (settings.tableClass().chosen()) g.writeStringField("TableClass", settings.tableClass().tableClass().name());
        if (settings.tableClass().lastUpdateMillis() != null) {
            g.writeNumberField("TableClassLastUpdateMillis", settings.tableClass().lastUpdateMillis());
        }
        if (settings.maxReadRequestUnits() != null) g.writeNumberField("MaxReadRequestUnits", settings.maxReadRequestUnits());
        g.writeObjectFieldStart("IndexMaxReadRequestUnits");
        for (var index : settings.indexMaxReadRequestUnits().entrySet()) g.writeNumberField(index.getKey(), index.getValue());
        g.writeEndObject();
        g.writeNumberField("ReportedMicros", settings.reportedMicros());
        g.writeEndObject();
    }

    /** A view entry's settings; null if it carries none. */
    private static ReplicaSettings settings(RequestBody member) {
        RequestBody settings = member.struct("Settings");
        if (settings == null) return null;
        Long reported = settings.longValue("ReportedMicros");
        if (reported == null) throw DynamoException.validation("A replica's Settings need ReportedMicros");
        String tableClass = settings.string("TableClass");
        TableClassChoice choice;
        try {
            choice = new TableClassChoice(tableClass == null ? null : TableOptions.TableClass.valueOf(tableClass),
                    settings.longValue("TableClassLastUpdateMillis"));
        } catch (IllegalArgumentException e) {
            throw DynamoException.validation("A replica's Settings name an unknown TableClass: " + tableClass);
        }
        java.util.Map<String, Long> indexes = new java.util.TreeMap<>();
        JsonNode maxima = settings.node("IndexMaxReadRequestUnits");
        if (maxima != null) maxima.fields().forEachRemaining(index -> indexes.put(index.getKey(), index.getValue().asLong()));
        return new ReplicaSettings(choice, settings.longValue("MaxReadRequestUnits"), indexes, reported);
    }

    /** The view's TTL setting, with its version. */
    static TimeToLive timeToLive(RequestBody request) {
        RequestBody ttl = request.struct("TimeToLive");
        if (ttl == null) throw DynamoException.validation("TimeToLive is required");
        return new TimeToLive(ttl.string("AttributeName"), ttl.longValue("LastUpdateMillis"), version(ttl));
    }

    /** The Version of a member, removal or setting of a view. */
    static SharedSettingsVersion version(RequestBody part) {
        RequestBody version = part.struct("Version");
        Long counter = version == null ? null : version.longValue("Counter");
        String region = version == null ? null : version.string("Region");
        if (counter == null || counter < 0 || region == null) {
            throw DynamoException.validation("Each Version needs a Counter of at least 0 and a Region");
        }
        // A version from a clock far ahead would win over every later change until that clock came round.
        if (counter > (System.currentTimeMillis() + ReplicateItemsOperation.MAX_CLOCK_AHEAD.toMillis()) * 1000) {
            throw DynamoException.validation("A Version's Counter is more than an hour ahead of this node's clock: " + counter);
        }
        return new SharedSettingsVersion(counter, region);
    }

    /** Every region a membership list names must be one this node can reach. */
    static void checkReachable(RequestBody request, ReplicaRegions regions) {
        for (RequestBody member : members(request)) {
            String region = member.string("RegionName");
            if (!region.equals(regions.localRegion()) && regions.peer(region).isEmpty()) {
                throw DynamoException.validation("The global table has a replica in region " + region
                        + ", which is not in this node's eddy.replication.regions");
            }
        }
    }

    /** The status the membership list gives {@code region}; null if it names no such region. */
    static ReplicaStatus statusOf(RequestBody request, String region) {
        for (RequestBody member : members(request)) {
            if (region.equals(member.string("RegionName"))) return status(member);
        }
        return null;
    }

    /** Writes a Version as {@link #version} reads it. */
    static void writeVersion(JsonGenerator g, SharedSettingsVersion version) throws IOException {
        g.writeObjectFieldStart("Version");
        g.writeNumberField("Counter", version.counter());
        g.writeStringField("Region", version.region());
        g.writeEndObject();
    }

    /** Whether {@code source} is the region that created this replica (and seeds it). */
    static boolean seededFrom(TableMetadata table, String source) {
        return table.options().replica(source).map(replica -> replica.creationId() != null).orElse(false);
    }

    /** The request's membership list, each member with a RegionName. */
    private static List<RequestBody> members(RequestBody request) {
        List<RequestBody> members = request.structList("Replicas", "Replica");
        if (members == null) throw DynamoException.validation("Replicas is required");
        for (RequestBody member : members) {
            if (member.string("RegionName") == null) throw DynamoException.validation("Each of Replicas needs a RegionName");
        }
        return members;
    }

    private static ReplicaStatus status(RequestBody member) {
        String status = member.string("ReplicaStatus");
        try {
            return ReplicaStatus.valueOf(status == null ? "" : status);
        } catch (IllegalArgumentException unknown) {
            throw DynamoException.validation("Unknown ReplicaStatus " + status + " of region " + member.string("RegionName"));
        }
    }
}
