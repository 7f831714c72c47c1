package io.eddy.streams;

import com.typesafe.config.Config;
import io.eddy.model.AttributeValue;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.VectorIndex;
import io.eddy.persistence.IndexEntries;
import io.eddy.persistence.ItemStore;
import io.eddy.shards.PartitionId;
import io.eddy.shards.Shards;
import io.eddy.shards.StorageExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the node's global secondary indexes and vector indexes, asynchronously, from the
 * partitions' change log: one {@link GlobalIndexFeed} per index and table partition. It compares the catalog with the
 * running feeds every {@code pollInterval}:
 * <ul>
 *   <li>an index without running feeds is prepared — if any share was left half built (a crash
 *       or failure during its backfill), the index's entries and checkpoints are dropped so that
 *       every share is built again from a consistent snapshot — and then its feeds start;</li>
 *   <li>a CREATING index whose shares are all built becomes ACTIVE (a catalog update);</li>
 *   <li>a DELETING index's feeds stop, its entries are dropped, then the catalog forgets it;</li>
 *   <li>feeds of indexes or tables that no longer exist stop.</li>
 * </ul>
 * A feed that fails after its share was built restarts from its checkpoint; one that fails while
 * building makes the whole index start over. A new table's indexes do not wait for the poll: their
 * feeds start as soon as the catalog publishes the table. Feeds stop before the node shuts down.
 */
public final class GlobalIndexes extends AbstractBehavior<GlobalIndexes.Command> {

    private static final Logger log = LoggerFactory.getLogger(GlobalIndexes.class);

    /** How often the catalog is compared with the feeds, how long a failed index waits, and how feeds batch. */
    public record Settings(Duration pollInterval, Duration retryBackoff, GlobalIndexFeed.Settings feed) {
        public static Settings of(Config config) {
            return new Settings(config.getDuration("poll-interval"), config.getDuration("retry-backoff"),
                    new GlobalIndexFeed.Settings(config.getInt("batch-size"), config.getDuration("apply-interval"),
                            config.getInt("backfill-chunk")));
        }
    }

    sealed interface Command {}

    private record Tick() implements Command {}

    private record CatalogPublished() implements Command {}

    private record Prepared(UUID tableId, UUID indexId) implements Command {}

    private record Built(Feed feed) implements Command {}

    private record FeedEnded(Feed feed, Throwable failure) implements Command {}

    private record Settled(UUID indexId) implements Command {}

    private record Failed(UUID indexId, Throwable failure) implements Command {}

    private record Shutdown(ActorRef<Done> replyTo) implements Command {}

    /** One feed: an index's share of one table partition. */
    private record Feed(UUID tableId, UUID indexId, int partition) {}

    /** An index kept from the change log: a global secondary index or a vector index, and how it derives an item's entry. */
    private record Maintained(UUID id, SecondaryIndex.Status status, IndexEntries.Derivation derivation) {}

    private static List<Maintained> maintained(TableMetadata table) {
        List<Maintained> all = new ArrayList<>();
        for (SecondaryIndex index : table.options().globalIndexes()) {
            all.add(new Maintained(index.id(), index.status(), IndexEntries.derivation(table.id(), table.keySchema(), index)));
        }
        for (VectorIndex index : table.options().vectorIndexes()) {
            all.add(new Maintained(index.id(), index.status(), IndexEntries.derivation(table, index)));
        }
        return all;
    }

    private final Shards shards;
    private final ItemStore store;
    private final ChangeLog changes;
    private final Settings settings;
    private final Executor blocking;
    private final Map<Feed, FeedHandle> feeds = new HashMap<>();
    private final Set<Feed> built = new HashSet<>();
    /** Indexes with a preparation, activation or drop in flight. */
    private final Set<UUID> busy = new HashSet<>();
    /** Indexes that failed, waiting to be tried again. */
    private final Backoff<UUID> backoff;

    private GlobalIndexes(ActorContext<Command> context, TimerScheduler<Command> timers, Shards shards, ItemStore store,
                          ChangeLog changes, Settings settings) {
        super(context);
        this.shards = shards;
        this.store = store;
        this.changes = changes;
        this.settings = settings;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.backoff = new Backoff<>(settings.retryBackoff());
        timers.startTimerWithFixedDelay(new Tick(), settings.pollInterval());
        watchCatalog();
    }

    private void watchCatalog() {
        getContext().pipeToSelf(shards.tables().nextPublish(), (published, failure) -> new CatalogPublished());
    }

    /** Starts maintaining the global indexes; they stop before the actor system shuts down. */
    public static ActorRef<Command> start(ActorSystem<?> system, Shards shards, ChangeLog changes, Settings settings) {
        ItemStore store = StorageExtension.get(system).itemStore();
        ActorRef<Command> indexes = system.systemActorOf(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers ->
                new GlobalIndexes(ctx, timers, shards, store, changes, settings))), "global-indexes", Props.empty());
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-global-index-feeds", () ->
                AskPattern.<Command, Done>ask(indexes, Shutdown::new, Duration.ofSeconds(30), system.scheduler())
                        .exceptionally(failure -> Done.getInstance()));
        return indexes;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Tick.class, tick -> onTick())
                .onMessage(CatalogPublished.class, published -> onCatalogPublished())
                .onMessage(Prepared.class, this::onPrepared)
                .onMessage(Built.class, message -> {
                    if (feeds.containsKey(message.feed())) built.add(message.feed());
                    return this;
                })
                .onMessage(FeedEnded.class, this::onFeedEnded)
                .onMessage(Settled.class, message -> {
                    busy.remove(message.indexId());
                    return this;
                })
                .onMessage(Failed.class, message -> {
                    log.warn("global index {}: {}", message.indexId(), message.failure().toString());
                    busy.remove(message.indexId());
                    backoff.failed(message.indexId());
                    return this;
                })
                .onMessage(Shutdown.class, this::onShutdown)
                .build();
    }

    private Behavior<Command> onTick() {
        Map<UUID, TableMetadata> tablesOfIndexes = new HashMap<>();
        Set<Feed> wanted = new HashSet<>();
        for (TableMetadata table : shards.tables().all().values()) {
            for (Maintained index : maintained(table)) {
                tablesOfIndexes.put(index.id(), table);
                if (index.status() == SecondaryIndex.Status.DELETING) continue;
                for (int p = 0; p < table.partitionCount(); p++) wanted.add(new Feed(table.id(), index.id(), p));
            }
        }
        for (Map.Entry<Feed, FeedHandle> feed : feeds.entrySet()) {
            if (!wanted.contains(feed.getKey())) feed.getValue().stop();
        }
        for (Map.Entry<UUID, TableMetadata> entry : tablesOfIndexes.entrySet()) {
            UUID indexId = entry.getKey();
            TableMetadata table = entry.getValue();
            Maintained index = maintained(table).stream().filter(i -> i.id().equals(indexId)).findFirst().get();
            if (waiting(indexId)) continue;
            List<Feed> running = feeds.keySet().stream().filter(feed -> feed.indexId().equals(indexId)).toList();
            if (index.status() == SecondaryIndex.Status.DELETING) {
                if (running.isEmpty()) drop(table, index);
            } else if (running.isEmpty()) {
                prepare(table, index);
            } else if (running.size() < table.partitionCount()) {
                restartFeeds(table, index);
            } else if (index.status() == SecondaryIndex.Status.CREATING && built.containsAll(running)) {
                activate(table, index);
            }
        }
        return this;
    }

    /**
     * A new table's indexes (ACTIVE from the start, with no feed yet) are kept from its first
     * writes on, not from the next poll: those writes would otherwise reach the index up to a poll
     * interval late. Building, dropping and restarting indexes wait for the poll.
     */
    private Behavior<Command> onCatalogPublished() {
        watchCatalog();
        Set<UUID> running = new HashSet<>();
        for (Feed feed : feeds.keySet()) running.add(feed.indexId());
        for (TableMetadata table : shards.tables().all().values()) {
            for (Maintained index : maintained(table)) {
                if (index.status() == SecondaryIndex.Status.ACTIVE && !running.contains(index.id()) && !waiting(index.id())) {
                    prepare(table, index);
                }
            }
        }
        return this;
    }

    /** Whether the index has a preparation, activation or drop in flight, or waits after a failure. */
    private boolean waiting(UUID indexId) {
        return busy.contains(indexId) || backoff.waiting(indexId);
    }

    /** Before an index's feeds start: an index with a half-built share is dropped to be built again. */
    private void prepare(TableMetadata table, Maintained index) {
        busy.add(index.id());
        run(index.id(), () -> {
            boolean complete = true;
            for (int p = 0; p < table.partitionCount(); p++) complete &= GlobalIndexFeed.built(store, table, index.id(), p);
            if (!complete) dropEntries(table, index.id());
        }, new Prepared(table.id(), index.id()));
    }

    private Behavior<Command> onPrepared(Prepared prepared) {
        busy.remove(prepared.indexId());
        Optional<TableMetadata> table = shards.tables().findById(prepared.tableId());
        Optional<Maintained> index = table.flatMap(t -> maintained(t).stream()
                .filter(i -> i.id().equals(prepared.indexId()) && i.status() != SecondaryIndex.Status.DELETING).findFirst());
        if (index.isEmpty()) return this;
        for (int p = 0; p < table.get().partitionCount(); p++) startFeed(table.get(), index.get(), p);
        return this;
    }

    /** Feeds that failed after their share was built restart from their checkpoints; otherwise the index starts over. */
    private void restartFeeds(TableMetadata table, Maintained index) {
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < table.partitionCount(); p++) {
            if (!feeds.containsKey(new Feed(table.id(), index.id(), p))) missing.add(p);
        }
        if (missing.stream().allMatch(p -> GlobalIndexFeed.built(store, table, index.id(), p))) {
            missing.forEach(p -> startFeed(table, index, p));
        } else {
            feeds.forEach((feed, handle) -> {
                if (feed.indexId().equals(index.id())) handle.stop();
            });
        }
    }

    private void startFeed(TableMetadata table, Maintained index, int partition) {
        Feed feed = new Feed(table.id(), index.id(), partition);
        ActorRef<Command> self = getContext().getSelf();
        FeedHandle handle = GlobalIndexFeed.start(getContext().getSystem(), table, index.id(), index.derivation(), partition, store, changes,
                settings.feed(), blocking, () -> self.tell(new Built(feed)));
        feeds.put(feed, handle);
        handle.finished().whenComplete((done, failure) -> self.tell(new FeedEnded(feed, failure)));
    }

    private Behavior<Command> onFeedEnded(FeedEnded ended) {
        if (feeds.get(ended.feed()) == null) return this;
        feeds.remove(ended.feed());
        boolean wasBuilt = built.remove(ended.feed());
        if (ended.failure() != null) {
            log.warn("global index {} partition {} feed failed{}", ended.feed().indexId(), ended.feed().partition(),
                    wasBuilt ? "" : " while building", ended.failure());
            backoff.failed(ended.feed().indexId());
        }
        return this;
    }

    /**
     * Makes a built index ACTIVE. Its shares' last entries and checkpoints are in the store, which
     * is not synced: it is synced first, or a power loss after the (synced) catalog change could
     * take a share's build back and leave an ACTIVE index rebuilt under its readers.
     */
    private void activate(TableMetadata table, Maintained index) {
        busy.add(index.id());
        changeIndexAfter(store::sync, table, index.id(),
                status -> status == SecondaryIndex.Status.CREATING ? SecondaryIndex.Status.ACTIVE : status);
    }

    /**
     * Drops a deleted index's entries and counters, then removes it from the catalog; the drop is
     * synced first, since once the catalog forgets the index nothing would drop them again.
     */
    private void drop(TableMetadata table, Maintained index) {
        busy.add(index.id());
        changeIndexAfter(() -> {
            dropEntries(table, index.id());
            store.sync();
        }, table, index.id(), status -> null);
    }

    /** Runs {@code work} on the blocking pool, then changes the index in the catalog; a failure of either is a {@link Failed}. */
    private void changeIndexAfter(Runnable work, TableMetadata table, UUID indexId, UnaryOperator<SecondaryIndex.Status> change) {
        ActorRef<Command> self = getContext().getSelf();
        CompletableFuture.runAsync(work, blocking).whenComplete((done, failure) -> {
            if (failure != null) self.tell(new Failed(indexId, failure));
            else changeIndex(table, indexId, change);
        });
    }

    private void dropEntries(TableMetadata table, UUID indexId) {
        if (!store.dropIndex(table.id(), indexId, metaIds(table, indexId))) {
            throw new IllegalStateException("dropping the index's entries stopped: the item store is closing");
        }
    }

    /**
     * Changes the status of the index in the catalog as it is there ({@code change} returning null
     * removes it), if the table is still the same incarnation.
     */
    private void changeIndex(TableMetadata table, UUID indexId, UnaryOperator<SecondaryIndex.Status> change) {
        ActorRef<Command> self = getContext().getSelf();
        shards.updateTable(table.name(), current -> {
            if (!current.id().equals(table.id())) return current;
            List<SecondaryIndex> indexes = new ArrayList<>();
            for (SecondaryIndex existing : current.options().indexes()) {
                SecondaryIndex.Status status = existing.id().equals(indexId) ? change.apply(existing.status()) : existing.status();
                if (status != null) indexes.add(existing.withStatus(status));
            }
            List<VectorIndex> vectorIndexes = new ArrayList<>();
            for (VectorIndex existing : current.options().vectorIndexes()) {
                SecondaryIndex.Status status = existing.id().equals(indexId) ? change.apply(existing.status()) : existing.status();
                if (status != null) vectorIndexes.add(existing.withStatus(status));
            }
            // A dropped index's key attribute definitions go with it, as in DynamoDB.
            return current.withOptions(current.options().withIndexes(indexes).withVectorIndexes(vectorIndexes)).withUsedAttributeDefinitions();
        }).whenComplete((updated, failure) -> self.tell(failure == null ? new Settled(indexId) : new Failed(indexId, failure)));
    }

    private void run(UUID indexId, Runnable work, Command then) {
        ActorRef<Command> self = getContext().getSelf();
        CompletableFuture.runAsync(work, blocking)
                .whenComplete((done, failure) -> self.tell(failure == null ? then : new Failed(indexId, failure)));
    }

    private Behavior<Command> onShutdown(Shutdown shutdown) {
        FeedHandle.stopAll(feeds.values(), shutdown.replyTo());
        return Behaviors.stopped();
    }

    private static List<String> metaIds(TableMetadata table, UUID indexId) {
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < table.partitionCount(); p++) ids.add(new PartitionId(table.id(), p).indexMetaId(indexId));
        return ids;
    }
}
