package io.eddy.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.eddy.model.DynamoException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The other regions this node can hold global-table replicas in ({@code eddy.replication.regions}):
 * each an Eddy node's endpoint, with the access key to sign requests to it when it checks them.
 */
record ReplicaRegions(String localRegion, Map<String, Peer> peers) {

    /**
     * Another region's node: {@code accessKeyId} signs the requests to it (null: unsigned, for a
     * node in development mode); {@code acceptKey} is the only key its requests here may be signed
     * with when this node checks signatures (null: none may).
     */
    record Peer(String region, URI endpoint, String accessKeyId, String secretAccessKey, String acceptKey) {}

    static ReplicaRegions of(String localRegion, Config regions) {
        Map<String, Peer> peers = new TreeMap<>();
        for (String region : regions.root().keySet()) {
            Config peer = regions.getConfig(ConfigUtil.joinPath(region));
            URI endpoint = URI.create(peer.getString("endpoint"));
            if (endpoint.getHost() == null || !endpoint.getScheme().matches("https?")) {
                throw new IllegalArgumentException("eddy.replication.regions." + region + ".endpoint is not an http(s) URL: " + endpoint);
            }
            if (region.equals(localRegion)) {
                throw new IllegalArgumentException("eddy.replication.regions names this node's own region " + region);
            }
            peers.put(region, new Peer(region, endpoint,
                    peer.hasPath("access-key-id") ? peer.getString("access-key-id") : null,
                    peer.hasPath("secret-access-key") ? peer.getString("secret-access-key") : null,
                    peer.hasPath("accept-key") ? peer.getString("accept-key") : null));
        }
        return new ReplicaRegions(localRegion, Map.copyOf(peers));
    }

    Optional<Peer> peer(String region) {
        return Optional.ofNullable(peers.get(region));
    }

    /** The region a replica may be created in (not this one: see ReplicaUpdates); refused as DynamoDB refuses a region it does not serve. */
    Peer replicaRegion(String region) {
        return peer(region).orElseThrow(() -> DynamoException.validation(
                "The region " + region + " is not available for replicas: it is not in this node's eddy.replication.regions"));
    }
}
