package io.eddy.shards;

import io.eddy.model.TableMetadata;
import java.util.Collections;
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

    private final CompletableFuture<Void> recovered = new CompletableFuture<>();

    void publish(SortedMap<String, TableMetadata> snapshot) {
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

    /** Every table, sorted by name (ListTables order). */
    public SortedMap<String, TableMetadata> all() {
        return tables.get();
    }
}
