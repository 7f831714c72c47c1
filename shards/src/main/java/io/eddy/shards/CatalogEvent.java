package io.eddy.shards;

import io.eddy.model.TableMetadata;
import java.util.UUID;

/** What the table catalog journals. */
public sealed interface CatalogEvent {

    record TableCreated(TableMetadata table) implements CatalogEvent {}

    record TableUpdated(TableMetadata table) implements CatalogEvent {}

    record TableDeleted(String name, UUID id) implements CatalogEvent {}
}
