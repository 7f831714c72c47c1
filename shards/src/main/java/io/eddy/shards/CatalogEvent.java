package io.eddy.shards;

import io.eddy.model.TableMetadata;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the table catalog journals. */
public sealed interface CatalogEvent {

    record TableCreated(TableMetadata table) implements CatalogEvent {}

    record TableUpdated(TableMetadata table) implements CatalogEvent {}

    /** {@code deletedAt} null in events journaled before it was recorded: such a table keeps no stream. */
    record TableDeleted(String name, UUID id, Instant deletedAt) implements CatalogEvent {}

    /**
     * The whole catalog, journaled after every so many changes so that the events before it can be
     * deleted: a start replays from here, however many tables were ever created. {@code retired}
     * are the deleted tables whose streams are still readable ({@link TableCatalog.State}).
     */
    record TablesCompacted(List<TableMetadata> tables, List<TableMetadata> retired) implements CatalogEvent {
        public TablesCompacted {
            tables = List.copyOf(tables);
            retired = List.copyOf(retired);
        }
    }
}
