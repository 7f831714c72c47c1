package io.eddy.shards;

import io.eddy.model.TableMetadata;
import java.util.List;
import java.util.UUID;

/** What the table catalog journals. */
public sealed interface CatalogEvent {

    record TableCreated(TableMetadata table) implements CatalogEvent {}

    record TableUpdated(TableMetadata table) implements CatalogEvent {}

    record TableDeleted(String name, UUID id) implements CatalogEvent {}

    /**
     * The whole catalog, journaled after every so many changes so that the events before it can be
     * deleted: a start replays from here, however many tables were ever created.
     */
    record TablesCompacted(List<TableMetadata> tables) implements CatalogEvent {
        public TablesCompacted {
            tables = List.copyOf(tables);
        }
    }
}
