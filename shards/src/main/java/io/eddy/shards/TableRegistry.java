package io.eddy.shards;

import io.eddy.model.TableMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's read view of the table catalog: an immutable snapshot that only the
 * {@link TableCatalog} actor replaces, read without locks on every request.
 */
public final class TableRegistry {

    /**
     * The live tables by name, and the deleted tables whose streams may still be readable
     * ({@link TableCatalog.State}); one reference, so a reader never sees a deletion half done.
     */
    private record Snapshot(SortedMap<String, TableMetadata> tables, List<TableMetadata> retired) {}

    private final AtomicReference<Snapshot> snapshot =
            new AtomicReference<>(new Snapshot(Collections.emptySortedMap(), List.of()));

    private final CompletableFuture<Void> recovered = new CompletableFuture<>();

    private final AtomicReference<CompletableFuture<Void>> nextPublish = new AtomicReference<>(new CompletableFuture<>());

    /** Tables whose history (journal events, and items once deleted) must stay for now, with how many holds each (see {@link #holdHistory}). */
    private final Map<UUID, Integer> heldHistory = new ConcurrentHashMap<>();

    void publish(SortedMap<String, TableMetadata> tables, List<TableMetadata> retired) {
        snapshot.set(new Snapshot(Collections.unmodifiableSortedMap(new TreeMap<>(tables)), List.copyOf(retired)));
        recovered.complete(null);
        nextPublish.getAndSet(new CompletableFuture<>()).complete(null);
    }

    /**
     * Completes at the catalog's next publication (after the new snapshot is readable), so a
     * component that acts on the catalog need not poll it to learn of a change at once.
     */
    public CompletionStage<Void> nextPublish() {
        return nextPublish.get();
    }

    /**
     * Keeps every journal event of the table from trimming, and, if the table is deleted, its
     * items from being dropped, until {@link #releaseHistory}. Held while point-in-time recovery
     * is being enabled, before its enabling time is chosen and until the catalog has published it:
     * a trimming pass reads this after a partition's applied sequence number and before the
     * catalog, so a pass that saw neither the hold nor the setting read that sequence number
     * before the enabling time, and deletes nothing journaled after it. Held too while a restore
     * reads the table's past, and while a deleted table's system backup is taken (what a deletion
     * did not drop for a hold, the next sweep drops). Each hold is released once.
     */
    public void holdHistory(UUID tableId) {
        heldHistory.merge(tableId, 1, Integer::sum);
    }

    public void releaseHistory(UUID tableId) {
        heldHistory.computeIfPresent(tableId, (id, holds) -> holds > 1 ? holds - 1 : null);
    }

    public boolean historyHeld(UUID tableId) {
        return heldHistory.containsKey(tableId);
    }

    /** The catalog cannot recover (its journal does not open, an event does not replay): the node's start fails with the cause. */
    void failed(Throwable cause) {
        recovered.completeExceptionally(new IllegalStateException("the table catalog could not recover: " + cause.getMessage(), cause));
    }

    /** Completes once the catalog has recovered and published its first state; fails if it cannot. */
    public CompletionStage<Void> ready() {
        return recovered;
    }

    public Optional<TableMetadata> find(String name) {
        return Optional.ofNullable(snapshot.get().tables().get(name));
    }

    /** The table incarnation with this id, if it still exists. */
    public Optional<TableMetadata> findById(UUID id) {
        return snapshot.get().tables().values().stream().filter(table -> table.id().equals(id)).findFirst();
    }

    /** Every table, sorted by name (ListTables order). */
    public SortedMap<String, TableMetadata> all() {
        return snapshot.get().tables();
    }

    /**
     * Deleted tables whose streams may still be readable, each with its streams disabled at its
     * deletion, oldest deletion first; the streams' readers decide what is past retention.
     */
    public List<TableMetadata> retired() {
        return snapshot.get().retired();
    }

    /** The deleted table incarnation with this id, while its streams are kept. */
    public Optional<TableMetadata> findRetiredById(UUID id) {
        return retired().stream().filter(table -> table.id().equals(id)).findFirst();
    }

    /** Every live table by name, then the retired ones, from one snapshot. */
    public List<TableMetadata> liveAndRetired() {
        Snapshot now = snapshot.get();
        List<TableMetadata> all = new ArrayList<>(now.tables().values());
        all.addAll(now.retired());
        return all;
    }

    /** The live table of this name, if any, then the retired ones of this name, from one snapshot. */
    public List<TableMetadata> liveAndRetired(String name) {
        Snapshot now = snapshot.get();
        List<TableMetadata> named = new ArrayList<>();
        Optional.ofNullable(now.tables().get(name)).ifPresent(named::add);
        now.retired().stream().filter(table -> table.name().equals(name)).forEach(named::add);
        return named;
    }
}
