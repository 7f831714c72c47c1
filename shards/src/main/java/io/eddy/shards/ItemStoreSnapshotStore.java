package io.eddy.shards;

import io.eddy.persistence.ItemStore;
import io.eddy.persistence.PartitionMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import scala.concurrent.Future;

/**
 * A snapshot-store plugin that never stores anything: a partition's "snapshot" is what the item
 * store has already applied. Serving the store's {@link PartitionMeta} and its records of prepared,
 * unresolved transactions as the latest snapshot makes Pekko replay only the journal events after
 * it, so recovery time depends on the un-applied tail, not on the size of the journal.
 */
public final class ItemStoreSnapshotStore extends SnapshotStore {

    private final ItemStore store = StorageExtension.get(context().system()).itemStore();

    @Override
    public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        String entityId = PartitionId.entityIdOfPersistenceId(persistenceId);
        if (entityId == null) return Futures.successful(Optional.empty());
        PartitionMeta meta = store.meta(entityId);
        if (meta.appliedSeqNr() == 0 || meta.appliedSeqNr() > criteria.maxSequenceNr()) {
            return Futures.successful(Optional.empty());
        }
        Map<String, PreparedTransaction> pending = new LinkedHashMap<>();
        store.records(entityId).values().forEach(bytes -> {
            PreparedTransaction transaction = PartitionEventSerializer.decode(bytes);
            pending.put(transaction.transactionId(), transaction);
        });
        return Futures.successful(Optional.of(SelectedSnapshot.create(
                SnapshotMetadata.apply(persistenceId, meta.appliedSeqNr(), 0L), new PartitionState(meta, pending))));
    }

    @Override
    public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
        // The store records its applied state with every write; there is nothing more to save.
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        return Futures.successful(null);
    }
}
