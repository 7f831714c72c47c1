package io.eddy.streams;

import com.typesafe.config.Config;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.persistence.ItemStore;
import io.eddy.shards.Shards;
import io.eddy.shards.StorageExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
 * Replicates the node's global tables to their replicas in other regions: one {@link ReplicaFeed}
 * per table partition and replica, each a consumer of the partition's change log with its own
 * checkpoint. Every {@code pollInterval} it compares the catalog with the running feeds:
 * <ul>
 *   <li>a replica that is CREATING or ACTIVE gets its feeds; a replica this node is creating
 *       ({@link Replica#seeding}) is first sent the table's items;</li>
 *   <li>once every feed of a seeded replica follows the log, the replica is told it is complete
 *       and turns ACTIVE, here and there;</li>
 *   <li>a DELETING replica is deleted there, then forgotten here (also, after {@code giveUpAfter}
 *       of failing to reach it or being refused there, but for deletion protection);</li>
 *   <li>a replica whose node says, for {@code giveUpAfter}, that its table is not there is forgotten here;</li>
 *   <li>feeds of replicas, or tables, that are gone stop.</li>
 * </ul>
 * A table created here as a replica gets its feeds' checkpoints when it turns ACTIVE
 * ({@link #startCheckpoints}), so none of the writes it takes from then on is missed.
 * A feed that fails (the replica's node unreachable, say) starts again from its checkpoint after
 * {@code retryBackoff}. Feeds stop before the node shuts down.
 */
public final class GlobalTableReplication extends AbstractBehavior<GlobalTableReplication.Command> {

    private static final Logger log = LoggerFactory.getLogger(GlobalTableReplication.class);

    /** How often the catalog is compared with the feeds, how long a failed replica waits, and how feeds batch. */
    public record Settings(Duration pollInterval, Duration retryBackoff, Duration giveUpAfter, ReplicaFeed.Settings feed) {
        public static Settings of(Config config) {
            return new Settings(config.getDuration("poll-interval"), config.getDuration("retry-backoff"),
                    config.getDuration("give-up-after"),
                    new ReplicaFeed.Settings(config.getInt("batch-size"), config.getBytes("batch-bytes")));
        }
    }

    public sealed interface Command {}

    private record Tick() implements Command {}

    private record Started(Feed feed) implements Command {}

    private record FeedEnded(Feed feed, Throwable failure) implements Command {}

    private record Settled(Target target, Throwable failure) implements Command {}

    private record Removed(Target target) implements Command {}

    private record Shutdown(ActorRef<Done> replyTo) implements Command {}

    /** A table's replica in one region. */
    private record Target(UUID tableId, String region) {}

    /** One feed: a table partition's changes to one replica. */
    private record Feed(Target target, int partition) {}

    private final Shards shards;
    private final ItemStore store;
    private final ChangeLog changes;
    private final ReplicaLink link;
    private final String localRegion;
    private final Settings settings;
    private final Executor blocking;
    private final Map<Feed, FeedHandle> feeds = new HashMap<>();
    private final Set<Feed> started = new HashSet<>();
    /** Replicas being removed, and since when (System.nanoTime), to give up on one that cannot be reached. */
    private final Map<Target, Long> removingSince = new HashMap<>();
    /** Replicas whose node answers that the table there is gone: since when, and when it last did (System.nanoTime). */
    private final Map<Target, Gone> goneSince = new HashMap<>();

    private record Gone(long first, long last) {}
    /** Replicas with an activation or a removal in flight. */
    private final Set<Target> busy = new HashSet<>();
    /** Replicas whose feed, activation or removal failed, waiting to be tried again. */
    private final Backoff<Target> backoff;

    private GlobalTableReplication(ActorContext<Command> context, TimerScheduler<Command> timers, Shards shards,
                                   ItemStore store, ChangeLog changes, ReplicaLink link, String localRegion, Settings settings) {
        super(context);
        this.shards = shards;
        this.store = store;
        this.changes = changes;
        this.link = link;
        this.localRegion = localRegion;
        this.settings = settings;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.backoff = new Backoff<>(settings.retryBackoff());
        timers.startTimerWithFixedDelay(new Tick(), settings.pollInterval());
    }

    /** Starts replicating; the feeds stop before the actor system shuts down. */
    public static ActorRef<Command> start(ActorSystem<?> system, Shards shards, ChangeLog changes, ReplicaLink link,
                                          String localRegion, Settings settings) {
        ItemStore store = StorageExtension.get(system).itemStore();
        ActorRef<Command> replication = system.systemActorOf(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers ->
                        new GlobalTableReplication(ctx, timers, shards, store, changes, link, localRegion, settings))),
                "global-table-replication", Props.empty());
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-replica-feeds", () ->
                AskPattern.<Command, Done>ask(replication, Shutdown::new, Duration.ofSeconds(30), system.scheduler())
                        .exceptionally(failure -> Done.getInstance()));
        return replication;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Tick.class, tick -> onTick())
                .onMessage(Started.class, message -> {
                    if (feeds.containsKey(message.feed())) started.add(message.feed());
                    return this;
                })
                .onMessage(FeedEnded.class, this::onFeedEnded)
                .onMessage(Settled.class, message -> {
                    busy.remove(message.target());
                    if (message.failure() != null) {
                        log.warn("changing the replica of table {} in {} failed; trying again later: {}", message.target().tableId(),
                                message.target().region(), message.failure().toString());
                        backoff.failed(message.target());
                    }
                    return this;
                })
                .onMessage(Removed.class, message -> {
                    removingSince.remove(message.target());
                    goneSince.remove(message.target());
                    return this;
                })
                .onMessage(Shutdown.class, this::onShutdown)
                .build();
    }

    private Behavior<Command> onTick() {
        Map<Feed, Replica> wanted = new HashMap<>();
        Map<UUID, TableMetadata> tables = new HashMap<>();
        for (TableMetadata table : shards.tables().all().values()) {
            if (table.status() == TableMetadata.TableStatus.DELETING) continue;
            for (Replica replica : table.options().replicas()) {
                if (replica.status() == ReplicaStatus.DELETING) {
                    Target target = new Target(table.id(), replica.regionName());
                    if (!busy.contains(target) && !backoff.waiting(target)) remove(table, target);
                    continue;
                }
                tables.put(table.id(), table);
                Target target = new Target(table.id(), replica.regionName());
                for (int p = 0; p < table.partitionCount(); p++) wanted.put(new Feed(target, p), replica);
            }
        }
        feeds.forEach((feed, handle) -> {
            if (!wanted.containsKey(feed)) handle.stop();
        });
        Set<Target> seeded = new HashSet<>();
        wanted.forEach((feed, replica) -> {
            if (replica.seeding()) seeded.add(feed.target());
            if (feeds.containsKey(feed) || backoff.waiting(feed.target())) return;
            startFeed(tables.get(feed.target().tableId()), feed, replica.seeding());
        });
        for (Target target : seeded) {
            TableMetadata table = tables.get(target.tableId());
            if (busy.contains(target) || backoff.waiting(target)) continue;
            boolean complete = true;
            for (int p = 0; p < table.partitionCount(); p++) complete &= started.contains(new Feed(target, p));
            if (complete) activate(table, target);
        }
        return this;
    }

    private void startFeed(TableMetadata table, Feed feed, boolean seed) {
        ActorRef<Command> self = getContext().getSelf();
        FeedHandle handle = ReplicaFeed.start(getContext().getSystem(), table, feed.target().region(), localRegion,
                feed.partition(), seed, store, changes, link, settings.feed(), blocking, () -> self.tell(new Started(feed)));
        feeds.put(feed, handle);
        handle.finished().whenComplete((done, failure) -> self.tell(new FeedEnded(feed, failure)));
    }

    private Behavior<Command> onFeedEnded(FeedEnded ended) {
        if (feeds.remove(ended.feed()) == null) return this;
        started.remove(ended.feed());
        Target target = ended.feed().target();
        if (ended.failure() != null && tableGoneThere(ended.failure())) {
            // Deleted there by someone this node did not hear from (a DeleteTable of a replica still being
            // created, an announcement missed): answered so without a break for giveUpAfter, it is forgotten here.
            long now = System.nanoTime();
            Gone gone = goneSince.get(target);
            // A pause in those answers longer than a few retries means the table was there meanwhile: start over.
            long since = gone == null || now - gone.last() > settings.retryBackoff().multipliedBy(4).plusSeconds(10).toNanos()
                    ? now : gone.first();
            goneSince.put(target, new Gone(since, now));
            Optional<TableMetadata> table = shards.tables().findById(target.tableId());
            if (now - since >= settings.giveUpAfter().toNanos() && table.isPresent() && !busy.contains(target)) {
                log.warn("the replica of table {} in {} is gone there: forgetting it here", table.get().name(), target.region());
                busy.add(target);
                forget(table.get(), target, CompletableFuture.completedFuture(null));
            }
        }
        if (ended.failure() != null) {
            log.warn("replicating table {} partition {} to {} failed; trying again from its checkpoint: {}",
                    ended.feed().target().tableId(), ended.feed().partition(), ended.feed().target().region(),
                    ended.failure().toString());
            backoff.failed(ended.feed().target());
        }
        return this;
    }

    /** The replica holds every item: it is told so (and turns ACTIVE there), then it is ACTIVE here. */
    private void activate(TableMetadata table, Target target) {
        busy.add(target);
        ActorRef<Command> self = getContext().getSelf();
        link.activate(target.region(), table)
                .thenCompose(done -> shards.updateTable(table.name(), current -> {
                    if (!current.id().equals(table.id())) return current;
                    List<Replica> replicas = new ArrayList<>();
                    for (Replica replica : current.options().replicas()) {
                        replicas.add(replica.regionName().equals(target.region()) && replica.status() == ReplicaStatus.CREATING
                                ? replica.withStatus(ReplicaStatus.ACTIVE) : replica);
                    }
                    return current.withOptions(current.options().withReplicas(replicas));
                }))
                .whenComplete((updated, failure) -> self.tell(new Settled(target, failure)));
    }

    /**
     * A DELETING replica: deleted there (its feeds have stopped), then forgotten here, its
     * checkpoints reset so that a replica added there again is seeded anew.
     */
    private void remove(TableMetadata table, Target target) {
        busy.add(target);
        long since = removingSince.computeIfAbsent(target, t -> System.nanoTime());
        forget(table, target, link.remove(target.region(), table).exceptionally(failure -> {
            // A region that cannot be reached, or refuses, for long (gone for good, its key changed, ...) is
            // given up: forgotten here, its table left there. Not deletion protection there: it is tried
            // again until someone there turns it off, since that table would go on taking writes.
            if (protectedThere(failure) || System.nanoTime() - since < settings.giveUpAfter().toNanos()) {
                throw failure instanceof RuntimeException e ? e : new CompletionException(failure);
            }
            log.warn("giving up deleting the replica of table {} in {}: forgetting it here, its table there stays: {}",
                    table.name(), target.region(), failure.toString());
            return null;
        }));
    }

    /** Once {@code done} completes, the replica is removed from the catalog here and its checkpoints reset. */
    private void forget(TableMetadata table, Target target, CompletionStage<Void> done) {
        ActorRef<Command> self = getContext().getSelf();
        done.thenCompose(removed -> shards.updateTable(table.name(), current -> {
                    if (!current.id().equals(table.id())) return current;
                    List<Replica> replicas = new ArrayList<>(current.options().replicas());
                    replicas.removeIf(replica -> replica.regionName().equals(target.region()));
                    return current.withOptions(current.options().withReplicas(replicas));
                }))
                .thenRunAsync(() -> forgetCheckpoints(store, table, target.region()), blocking)
                .whenComplete((updated, failure) -> {
                    if (failure == null) self.tell(new Removed(target));
                    self.tell(new Settled(target, failure));
                });
    }

    /** The refusal a failure is (the other node answered with an error), or null for a failure to reach it. */
    private static DynamoException refusal(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof DynamoException refused ? refused : null;
    }

    /** Whether the other node says the table is not there (deleted). */
    private static boolean tableGoneThere(Throwable failure) {
        DynamoException refused = refusal(failure);
        return refused != null && refused.code() == ErrorCode.ResourceNotFoundException;
    }

    /** Whether the other node refuses to delete its table because of the table's deletion protection. */
    private static boolean protectedThere(Throwable failure) {
        DynamoException refused = refusal(failure);
        return refused != null && refused.getMessage() != null && refused.getMessage().contains("protected against deletion");
    }

    /**
     * Gives each of the table's feeds that has no checkpoint one at the end of its partition's
     * log. A replica created here calls it before it turns ACTIVE: it takes no writes before, and
     * every write after is then sent, however late its feeds start.
     */
    public static void startCheckpoints(ItemStore store, ChangeLog changes, TableMetadata table) {
        for (int p = 0; p < table.partitionCount(); p++) {
            io.eddy.shards.PartitionId partition = new io.eddy.shards.PartitionId(table.id(), p);
            for (Replica replica : table.options().replicas()) {
                String checkpointId = partition.replicaMetaId(replica.regionName());
                if (store.meta(checkpointId).appliedSeqNr() == 0) {
                    store.apply(checkpointId, new io.eddy.persistence.PartitionMeta(changes.highestSequenceNr(partition) + 1, 0, 0),
                            List.of());
                }
            }
        }
    }

    /**
     * Resets the table's replication checkpoints for {@code region}: a replica created there
     * (again) is then seeded from a snapshot rather than resumed from an earlier replica's position.
     */
    public static void forgetCheckpoints(ItemStore store, TableMetadata table, String region) {
        for (int p = 0; p < table.partitionCount(); p++) {
            store.apply(new io.eddy.shards.PartitionId(table.id(), p).replicaMetaId(region), io.eddy.persistence.PartitionMeta.EMPTY,
                    List.of());
        }
    }

    private Behavior<Command> onShutdown(Shutdown shutdown) {
        FeedHandle.stopAll(feeds.values(), shutdown.replyTo());
        return Behaviors.stopped();
    }
}
