package io.eddy.shards;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;

/** Control-plane requests to the {@link TableCatalog}. */
public sealed interface CatalogCommand {

    record CreateTable(TableMetadata table, ActorRef<CatalogReply> replyTo) implements CatalogCommand {}

    /**
     * Delete a table; {@code check} may throw a {@link DynamoException} to refuse (it runs in the
     * catalog, so it sees the latest), as may the catalog's own deletion protection.
     */
    record DeleteTable(String name, Consumer<TableMetadata> check, ActorRef<CatalogReply> replyTo) implements CatalogCommand {}

    /**
     * Replace a table's metadata with {@code change} applied to the current one; the change may
     * throw a {@link DynamoException} to refuse (it runs in the catalog, so it sees the latest).
     */
    record UpdateTable(String name, UnaryOperator<TableMetadata> change, ActorRef<CatalogReply> replyTo)
            implements CatalogCommand {}

    sealed interface CatalogReply {}

    record Done(TableMetadata table) implements CatalogReply {}

    record Rejected(DynamoException error) implements CatalogReply {}
}
