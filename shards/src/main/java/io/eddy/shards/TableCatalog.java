package io.eddy.shards;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemStore;
import io.eddy.shards.CatalogCommand.CatalogReply;
import io.eddy.shards.CatalogCommand.CreateTable;
import io.eddy.shards.CatalogCommand.DeleteTable;
import io.eddy.shards.CatalogCommand.Done;
import io.eddy.shards.CatalogCommand.Rejected;
import io.eddy.shards.CatalogCommand.UpdateTable;
import io.eddy.shards.CatalogEvent.TableCreated;
import io.eddy.shards.CatalogEvent.TableDeleted;
import io.eddy.shards.CatalogEvent.TableUpdated;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The durable table catalog of a node: one event-sourced actor that serialises every control-plane
 * change, and publishes each new state to the {@link TableRegistry} that requests read.
 */
public final class TableCatalog extends EventSourcedBehavior<CatalogCommand, CatalogEvent, TableCatalog.State> {

    /** DynamoDB's default quota of tables per account and Region. */
    static final int MAX_TABLES = 2500;

    /** The catalog's tables by name; immutable, replaced by every event. */
    public record State(SortedMap<String, TableMetadata> tables) {}

    private final TableRegistry registry;
    private final ItemStore store;

    private TableCatalog(TableRegistry registry, ItemStore store) {
        super(PersistenceId.ofUniqueId("table-catalog"));
        this.registry = registry;
        this.store = store;
    }

    public static Behavior<CatalogCommand> create(TableRegistry registry, ItemStore store) {
        return new TableCatalog(registry, store);
    }

    @Override
    public State emptyState() {
        return new State(new TreeMap<>());
    }

    @Override
    public CommandHandler<CatalogCommand, CatalogEvent, State> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(CreateTable.class, this::onCreate)
                .onCommand(DeleteTable.class, this::onDelete)
                .onCommand(UpdateTable.class, this::onUpdate)
                .build();
    }

    private Effect<CatalogEvent, State> onCreate(State state, CreateTable command) {
        String name = command.table().name();
        if (state.tables().containsKey(name)) {
            return reject(command.replyTo(), new DynamoException(ErrorCode.ResourceInUseException,
                    "Table already exists: " + name));
        }
        if (state.tables().size() >= MAX_TABLES) {
            return reject(command.replyTo(), new DynamoException(ErrorCode.LimitExceededException,
                    "Subscriber limit exceeded: There is a limit of " + MAX_TABLES + " tables per account and Region"));
        }
        return Effect().persist(new TableCreated(command.table()))
                .thenRun(s -> {
                    registry.publish(s.tables());
                    command.replyTo().tell(new Done(command.table()));
                });
    }

    private Effect<CatalogEvent, State> onDelete(State state, DeleteTable command) {
        TableMetadata table = state.tables().get(command.name());
        if (table == null) {
            return reject(command.replyTo(), notFound(command.name()));
        }
        if (table.options().deletionProtectionEnabled()) {
            return reject(command.replyTo(), DynamoException.validation(
                    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."));
        }
        return Effect().persist(new TableDeleted(table.name(), table.id()))
                .thenRun(s -> {
                    registry.publish(s.tables());
                    store.dropTable(table.id(), partitionIds(table));
                    command.replyTo().tell(new Done(table.withStatus(TableMetadata.TableStatus.DELETING)));
                });
    }

    private Effect<CatalogEvent, State> onUpdate(State state, UpdateTable command) {
        TableMetadata table = state.tables().get(command.name());
        if (table == null) {
            return reject(command.replyTo(), notFound(command.name()));
        }
        TableMetadata updated;
        try {
            updated = command.change().apply(table);
        } catch (DynamoException e) {
            return reject(command.replyTo(), e);
        }
        if (updated.equals(table)) {
            // A change that changes nothing (a setting sent with its current value) is not journaled.
            command.replyTo().tell(new Done(table));
            return Effect().none();
        }
        return Effect().persist(new TableUpdated(updated))
                .thenRun(s -> {
                    registry.publish(s.tables());
                    command.replyTo().tell(new Done(updated));
                });
    }

    private Effect<CatalogEvent, State> reject(ActorRef<CatalogReply> replyTo, DynamoException error) {
        replyTo.tell(new Rejected(error));
        return Effect().none();
    }

    static DynamoException notFound(String name) {
        return DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
    }

    /** The metadata ids of the table's partitions and of their indexes' shares. */
    private static List<String> partitionIds(TableMetadata table) {
        List<String> ids = new ArrayList<>(table.partitionCount());
        for (int i = 0; i < table.partitionCount(); i++) {
            PartitionId partition = new PartitionId(table.id(), i);
            ids.add(partition.entityId());
            table.options().indexes().forEach(index -> ids.add(partition.indexMetaId(index.id())));
        }
        return ids;
    }

    @Override
    public EventHandler<State, CatalogEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(TableCreated.class, (state, event) -> with(state, event.table()))
                .onEvent(TableUpdated.class, (state, event) -> with(state, event.table()))
                .onEvent(TableDeleted.class, (state, event) -> {
                    TreeMap<String, TableMetadata> tables = new TreeMap<>(state.tables());
                    tables.remove(event.name());
                    return new State(tables);
                })
                .build();
    }

    private static State with(State state, TableMetadata table) {
        TreeMap<String, TableMetadata> tables = new TreeMap<>(state.tables());
        tables.put(table.name(), table);
        return new State(tables);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> registry.publish(state.tables()))
                .build();
    }
}
