package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;

/** The parts every replication operation shares: the calling region, the table it names, and membership lists. */
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
     * The replicas a membership list names besides {@code localRegion}, keeping what this node
     * knows of each, and keeping the replicas this node is creating or deleting even when the list
     * (sent by a node that did not know of them yet) leaves them out: their changes are this node's to finish.
     */
    static List<Replica> others(RequestBody request, String localRegion, List<Replica> known) {
        List<Replica> replicas = new ArrayList<>();
        for (RequestBody member : members(request)) {
            String region = member.string("RegionName");
            if (region.equals(localRegion)) continue;
            ReplicaStatus status = status(member);
            Replica before = known.stream().filter(replica -> replica.regionName().equals(region)).findFirst().orElse(null);
            if (before != null && (before.status() == ReplicaStatus.DELETING || before.seeding() && status != ReplicaStatus.ACTIVE)) {
                replicas.add(before); // this node's change in progress wins over another node's older view
            } else {
                replicas.add(before != null ? before.withStatus(status) : new Replica(region, status, false));
            }
        }
        for (Replica replica : known) {
            boolean listed = replicas.stream().anyMatch(kept -> kept.regionName().equals(replica.regionName()));
            if (!listed && (replica.seeding() || replica.status() == ReplicaStatus.DELETING)) replicas.add(replica);
        }
        return replicas;
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

    /** The request's membership list, each member with a RegionName. */
    private static List<RequestBody> members(RequestBody request) {
        List<RequestBody> members = request.structList("Replicas");
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
