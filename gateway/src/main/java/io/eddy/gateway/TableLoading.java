package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemKeys;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.persistence.ItemStore;
import io.eddy.shards.PartitionId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fills a new table that is CREATING (a restore's, an import's) through the partitions, as any
 * write, and then makes it ACTIVE once its global indexes, backfilled as if UpdateTable had added
 * them, hold every item.
 */
final class TableLoading {

    /** Writes kept in flight at once. */
    private static final int WRITES_IN_FLIGHT = 64;

    private final NodeContext node;
    /** Read to know when the table's global indexes have every item. */
    private final ItemStore itemStore;

    TableLoading(NodeContext node, ItemStore itemStore) {
        this.node = node;
        this.itemStore = itemStore;
    }

    /** The table a CreateTable request describes, CREATING, its global indexes to be backfilled. */
    static TableMetadata creating(TableMetadata parsed) {
        return parsed.withStatus(TableMetadata.TableStatus.CREATING)
                .withOptions(parsed.options().withIndexes(parsed.options().indexes().stream()
                        .map(index -> index.local() ? index : index.withStatus(SecondaryIndex.Status.CREATING)).toList()));
    }

    /** Writes into {@code table}, {@link #WRITES_IN_FLIGHT} at a time. */
    Writes writes(TableMetadata table) {
        return new Writes(table);
    }

    /**
     * Waits until the global indexes hold every item written, then makes the table ACTIVE, if it
     * is still this one and still being created (a table already in use is left as it is).
     */
    void activate(TableMetadata table) throws InterruptedException {
        if (node.shards().tables().findById(table.id()).filter(current -> current.status() == TableMetadata.TableStatus.CREATING).isEmpty()) {
            return;
        }
        awaitGlobalIndexes(table);
        node.shards().updateTable(table.name(), current -> current.id().equals(table.id())
                && current.status() == TableMetadata.TableStatus.CREATING
                ? current.withStatus(TableMetadata.TableStatus.ACTIVE) : current).toCompletableFuture().join();
    }

    final class Writes {
        private final TableMetadata table;
        private final Semaphore inFlight = new Semaphore(WRITES_IN_FLIGHT);
        private final AtomicReference<Throwable> failed = new AtomicReference<>();

        private Writes(TableMetadata table) {
            this.table = table;
        }

        /** Puts the item (replacing one with its key), waiting while too many writes are in flight. */
        void put(Map<String, AttributeValue> item) {
            inFlight.acquireUninterruptibly();
            try {
                node.shards().writeItem(table, ItemKeys.keyOfItem(item, table.keySchema()), current -> Optional.of(item))
                        .whenComplete((written, failure) -> {
                            if (failure != null) failed.compareAndSet(null, failure);
                            inFlight.release();
                        });
            } catch (RuntimeException e) {
                inFlight.release(); // not sent: a lost permit would stall the load's await
                throw e;
            }
        }

        /** Waits for every write; throws the first failure, if one failed. */
        void await() throws Throwable {
            inFlight.acquireUninterruptibly(WRITES_IN_FLIGHT);
            inFlight.release(WRITES_IN_FLIGHT);
            if (failed.get() != null) throw failed.get();
        }
    }

    /**
     * Waits until the table's global and vector indexes are built (not CREATING) and hold every
     * item written (each index share's feed has applied its partition's last change).
     */
    private void awaitGlobalIndexes(TableMetadata table) throws InterruptedException {
        while (true) {
            Optional<TableMetadata> current = node.shards().tables().findById(table.id());
            if (current.isEmpty()) return;
            TableOptions options = current.get().options();
            boolean built = options.globalIndexes().stream().noneMatch(index -> index.status() == SecondaryIndex.Status.CREATING)
                    && options.vectorIndexes().stream().noneMatch(index -> index.status() == SecondaryIndex.Status.CREATING);
            if (built && options.fedIndexIds().stream().allMatch(index -> fed(current.get(), index))) return;
            Thread.sleep(50);
        }
    }

    /** Whether every share of the index has applied its partition's changes so far (its checkpoint is past them). */
    private boolean fed(TableMetadata table, UUID indexId) {
        for (int i = 0; i < table.partitionCount(); i++) {
            PartitionId partition = new PartitionId(table.id(), i);
            long applied = itemStore.meta(partition.entityId()).appliedSeqNr();
            if (applied > 0 && itemStore.meta(partition.indexMetaId(indexId)).appliedSeqNr() <= applied) return false;
        }
        return true;
    }
}
