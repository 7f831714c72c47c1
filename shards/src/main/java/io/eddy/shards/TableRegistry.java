package io.eddy.shards;

import io.eddy.model.TableMetadata;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's read view of the table catalog: an immutable snapshot that only the
 * {@link TableCatalog} actor replaces, read without locks on every request.
 */
public final class TableRegistry {

    private final AtomicReference<SortedMap<String, TableMetadata>> tables =
            new AtomicReference<>(Collections.emptySortedMap());
    private final AtomicReference<List<TableMetadata>> retired = new AtomicReference<>(List.of());

    private final CompletableFuture<Void> recovered = new CompletableFuture<>();

    void publish(SortedMap<String, TableMetadata> snapshot, List<TableMetadata> retiredSnapshot) {
        // Retired first: a reader that misses a table among the live ones then finds it retired.
        retired.set(List.copyOf(retiredSnapshot));
        tables.set(Collections.unmodifiableSortedMap(new TreeMap<>(snapshot)));
        recovered.complete(null);
    }

    /** Completes once the catalog has recovered and published its first state. */
    public CompletionStage<Void> ready() {
        return recovered;
    }

    public Optional<TableMetadata> find(String name) {
        return Optional.ofNullable(tables.get().get(name));
    }

    /** The table incarnation with this id, if it still exists. */
    public Optional<TableMetadata> findById(java.util.UUID id) {
        return tables.get().values().stream().filter(table -> table.id().equals(id)).findFirst();
    }

    /**
     * Deleted tables whose streams may still be readable, each with its streams disabled at its
     * deletion, oldest deletion first; the streams' readers decide what is past retention.
     */
    public List<TableMetadata> retired() {
        return retired.get();
    }

    /** The deleted table incarnation with this id, while its streams are kept. */
    public Optional<TableMetadata> findRetiredById(java.util.UUID id) {
        return retired.get().stream().filter(table -> table.id().equals(id)).findFirst();
    }

    /** Every table, sorted by name (ListTables order). */
    public SortedMap<String, TableMetadata> all() {
        return tables.get();
    }
}
