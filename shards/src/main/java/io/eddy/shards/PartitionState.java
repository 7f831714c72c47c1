package io.eddy.shards;

import io.eddy.persistence.PartitionMeta;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The in-memory state of a {@link PartitionWriter}: the item store's {@link PartitionMeta} and the
 * transactions prepared here and not yet resolved (whose items are locked). Both are also in the
 * item store, written with every applied batch, which serves them as the recovery snapshot.
 */
public record PartitionState(PartitionMeta meta, Map<String, PreparedTransaction> pending) {

    public static final PartitionState EMPTY = new PartitionState(PartitionMeta.EMPTY, Map.of());

    public PartitionState {
        pending = Collections.unmodifiableMap(new LinkedHashMap<>(pending));
    }

    PartitionState withMeta(PartitionMeta newMeta) {
        return new PartitionState(newMeta, pending);
    }

    PartitionState withPrepared(PartitionMeta newMeta, PreparedTransaction transaction) {
        Map<String, PreparedTransaction> next = new LinkedHashMap<>(pending);
        next.put(transaction.transactionId(), transaction);
        return new PartitionState(newMeta, next);
    }

    PartitionState withResolved(PartitionMeta newMeta, String transactionId) {
        Map<String, PreparedTransaction> next = new LinkedHashMap<>(pending);
        next.remove(transactionId);
        return new PartitionState(newMeta, next);
    }
}
