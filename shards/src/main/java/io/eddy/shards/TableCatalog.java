package io.eddy.shards;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.JournalExtension;
import io.eddy.shards.CatalogCommand.CatalogReply;
import io.eddy.shards.CatalogCommand.CreateTable;
import io.eddy.shards.CatalogCommand.DeleteTable;
import io.eddy.shards.CatalogCommand.Done;
import io.eddy.shards.CatalogCommand.Rejected;
import io.eddy.shards.CatalogCommand.UpdateTable;
import io.eddy.shards.CatalogEvent.TableCreated;
import io.eddy.shards.CatalogEvent.TableDeleted;
import io.eddy.shards.CatalogEvent.TableUpdated;
import io.eddy.shards.CatalogEvent.TablesCompacted;
import com.typesafe.config.Config;
import io.eddy.model.TableStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable table catalog of a node: one event-sourced actor that serialises every control-plane
 * change, and publishes each new state to the {@link TableRegistry} that requests read.
 *
 * <p>After every {@code eddy.catalog-compact-every} changes it journals the whole catalog
 * ({@link TablesCompacted}) with the change and then deletes the events before it, so a start
 * replays at most that many changes however many tables were ever created. The catalog is its own
 * snapshot, in the journal: fsynced like every event, where Pekko's local snapshot store writes
 * files without syncing them.
 */
public final class TableCatalog extends EventSourcedBehavior<CatalogCommand, CatalogEvent, TableCatalog.State> {

    /** DynamoDB's default quota of tables per account and Region. */
    static final int MAX_TABLES = 2500;

    /**
     * The catalog's tables by name; the deleted tables whose streams are still readable
     * ({@code retired}: as DynamoDB keeps a deleted table's stream for 24 hours, each with its
     * streams disabled at the deletion, until a compaction finds them past retention); and how
     * many changes were journaled since the last {@link TablesCompacted}. Immutable, replaced by
     * every event.
     */
    public record State(SortedMap<String, TableMetadata> tables, List<TableMetadata> retired, int changes) {}

    private static final Logger log = LoggerFactory.getLogger(TableCatalog.class);

    /** Events per journal batch when the catalog deletes its old events (as journal trimming's default). */
    private static final int DELETION_CHUNK = 512;

    private final ActorContext<CatalogCommand> context;
    private final TableRegistry registry;
    private final ItemStore store;
    private final int compactEvery;
    /** How long a deleted table's streams stay readable: the streams' retention. */
    private final Duration streamRetention;

    private TableCatalog(ActorContext<CatalogCommand> context, TableRegistry registry, ItemStore store) {
        super(PersistenceId.ofUniqueId("table-catalog"));
        this.context = context;
        this.registry = registry;
        this.store = store;
        Config config = context.getSystem().settings().config();
        this.compactEvery = config.getInt("eddy.catalog-compact-every");
        // The streams module sets it; a node without that module keeps DynamoDB's 24 hours.
        this.streamRetention = config.hasPath("eddy.streams.retention")
                ? config.getDuration("eddy.streams.retention") : Duration.ofHours(24);
    }

    public static Behavior<CatalogCommand> create(TableRegistry registry, ItemStore store) {
        return Behaviors.setup(context -> new TableCatalog(context, registry, store));
    }

    @Override
    public State emptyState() {
        return new State(new TreeMap<>(), List.of(), 0);
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
        return persist(state, new TableCreated(command.table()))
                .thenRun(s -> {
                    registry.publish(s.tables(), s.retired());
                    command.replyTo().tell(new Done(command.table()));
                });
    }

    private Effect<CatalogEvent, State> onDelete(State state, DeleteTable command) {
        TableMetadata table = state.tables().get(command.name());
        if (table == null) {
            return reject(command.replyTo(), notFound(command.name()));
        }
        if (table.options().deletionProtectionEnabled()) {
            return reject(command.replyTo(), deletionProtected());
        }
        try {
            command.check().accept(table);
        } catch (DynamoException e) {
            return reject(command.replyTo(), e);
        }
        // To the microsecond, as stream times are: the journal keeps it so.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return persist(state, new TableDeleted(table.name(), table.id(), now))
                .thenRun(s -> {
                    registry.publish(s.tables(), s.retired());
                    dropData(table);
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
        return persist(state, new TableUpdated(updated))
                .thenRun(s -> {
                    registry.publish(s.tables(), s.retired());
                    command.replyTo().tell(new Done(updated));
                });
    }

    /** Journals a change; the whole catalog too once enough changes have gathered since it last was. */
    private EffectBuilder<CatalogEvent, State> persist(State state, CatalogEvent change) {
        if (state.changes() + 1 < compactEvery) return Effect().persist(change);
        State next = apply(state, change);
        long retainedSince = TableStream.micros(Instant.now().minus(streamRetention));
        List<TableMetadata> retired = next.retired().stream().filter(table -> table.options().streams().streams().stream()
                .anyMatch(stream -> stream.retainedAfter(retainedSince))).toList();
        TablesCompacted compacted = new TablesCompacted(List.copyOf(next.tables().values()), retired);
        return Effect().persist(List.of(change, compacted)).thenRun(s -> deleteBeforeCompaction());
    }

    /** Deletes the events before the catalog's last {@link TablesCompacted}, which holds all they made. */
    private void deleteBeforeCompaction() {
        long compacted = lastSequenceNumber(context);
        // In chunks: the first compaction of an old catalog deletes every event it ever journaled.
        JournalExtension.get(Adapter.toClassic(context.getSystem())).store()
                .deleteToInChunks(persistenceId().id(), compacted - 1, DELETION_CHUNK, () -> false)
                .whenComplete((done, failure) -> {
                    // Harmless: the next compaction deletes them.
                    if (failure != null) log.warn("could not delete the catalog's events before {}", compacted, failure);
                });
    }

    private Effect<CatalogEvent, State> reject(ActorRef<CatalogReply> replyTo, DynamoException error) {
        replyTo.tell(new Rejected(error));
        return Effect().none();
    }

    /** DeleteTable of a table with deletion protection on. */
    public static DynamoException deletionProtected() {
        return DynamoException.validation(
                "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
    }

    static DynamoException notFound(String name) {
        return DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
    }

    /**
     * Drops a deleted table's data off the catalog's thread: a big table takes many batches, and
     * other tables' changes need not wait for them. Nothing reads the data once the registry lacks
     * the table; what this misses (a failure, a write landing after it) the next trimming pass's
     * {@link DeletedTables} sweep drops. A shutdown stops it between batches.
     */
    private void dropData(TableMetadata table) {
        if (registry.historyHeld(table.id())) return; // a system backup reads it; the sweep drops it later
        Executor blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        long started = System.nanoTime();
        CompletableFuture.supplyAsync(() -> store.dropTable(table.id(), partitionIds(table)), blocking)
                .whenComplete((done, failure) -> {
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (failure != null) {
                        log.warn("dropping deleted table {} ({}) failed; the next sweep retries", table.name(), table.id(), failure);
                    } else if (done) {
                        log.info("deleted table {} ({}) dropped in {} ms", table.name(), table.id(), millis);
                    } else {
                        log.info("dropping deleted table {} ({}) stopped after {} ms by the shutdown; the next sweep finishes it",
                                table.name(), table.id(), millis);
                    }
                });
    }

    /**
     * The metadata ids of the table's partitions, of their indexes' shares, of their replication
     * checkpoints (removed replicas' too) and of their Kinesis destinations' checkpoints.
     */
    private static List<String> partitionIds(TableMetadata table) {
        List<String> ids = new ArrayList<>(table.partitionCount());
        for (int i = 0; i < table.partitionCount(); i++) {
            PartitionId partition = new PartitionId(table.id(), i);
            ids.add(partition.entityId());
            table.options().indexes().forEach(index -> ids.add(partition.indexMetaId(index.id())));
            table.options().vectorIndexes().forEach(index -> ids.add(partition.indexMetaId(index.id())));
            table.options().kinesisDestinations().forEach(destination -> ids.add(partition.kinesisMetaId(destination.streamArn())));
            table.options().replicas().forEach(replica -> ids.add(partition.replicaMetaId(replica.regionName())));
            table.options().removedReplicas().forEach(removed -> ids.add(partition.replicaMetaId(removed.regionName())));
        }
        return ids;
    }

    @Override
    public EventHandler<State, CatalogEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onAnyEvent(TableCatalog::apply);
    }

    private static State apply(State state, CatalogEvent event) {
        TreeMap<String, TableMetadata> tables = new TreeMap<>();
        if (event instanceof TablesCompacted compacted) {
            compacted.tables().forEach(table -> tables.put(table.name(), table));
            return new State(tables, compacted.retired(), 0);
        }
        tables.putAll(state.tables());
        List<TableMetadata> retired = state.retired();
        if (event instanceof TableCreated created) {
            tables.put(created.table().name(), created.table());
        } else if (event instanceof TableUpdated updated) {
            tables.put(updated.table().name(), updated.table());
        } else if (event instanceof TableDeleted deleted) {
            TableMetadata table = tables.remove(deleted.name());
            if (table != null && deleted.deletedAt() != null && !table.options().streams().streams().isEmpty()) {
                List<TableMetadata> more = new ArrayList<>(retired);
                more.add(table.withOptions(table.options().withStreams(table.options().streams().closed(deleted.deletedAt()))));
                retired = List.copyOf(more);
            }
        }
        return new State(tables, retired, state.changes() + 1);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> registry.publish(state.tables(), state.retired()))
                .onSignal(RecoveryFailed.class, (state, failed) -> registry.failed(failed.getFailure()))
                .build();
    }
}
