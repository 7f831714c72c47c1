package io.eddy.streams;

import com.typesafe.config.Config;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
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
 *   <li>a replica that is CREATING or ACTIVE gets its feeds (not while the table here is itself
 *       CREATING, being seeded as a replica); a replica this node is creating
 *       ({@link Replica#seeding}) is first sent the table's items;</li>
 *   <li>once every feed of a seeded replica follows the log, the replica is told it is complete
 *       and turns ACTIVE, here and there;</li>
 *   <li>a DELETING replica this node marked (or whose marking region is no longer a replica) is
 *       deleted there, then recorded as removed here (also, after {@code giveUpAfter} of failing
 *       to reach it or being refused there, but for deletion protection); a removed replica's
 *       checkpoints are reset once its feeds have stopped;</li>
 *   <li>a replica whose node says, for {@code giveUpAfter}, that its table is not there is forgotten here;</li>
 *   <li>feeds of replicas, or tables, that are gone stop;</li>
 *   <li>what the replicas share (each replica's entry, the removed ones, the TTL setting, the
 *       global indexes) is
 *       announced to the others once it changed (here or from another region's view), and every
 *       {@code announceInterval} in any case, so a region that missed a change learns it later
 *       ({@link ReplicaLink#announce}).</li>
 * </ul>
 * A table created here as a replica gets its feeds' checkpoints when it turns ACTIVE
 * ({@link #startCheckpoints}), so none of the writes it takes from then on is missed.
 * A feed that fails (the replica's node unreachable, say) starts again from its checkpoint after
 * {@code retryBackoff}. Feeds stop before the node shuts down.
 */
public final class GlobalTableReplication extends AbstractBehavior<GlobalTableReplication.Command> {

    private static final Logger log = LoggerFactory.getLogger(GlobalTableReplication.class);

    /** How often the catalog is compared with the feeds, how long a failed replica waits, and how feeds batch. */
    public record Settings(Duration pollInterval, Duration retryBackoff, Duration giveUpAfter, Duration announceInterval,
                           ReplicaFeed.Settings feed) {
        public static Settings of(Config config) {
            return new Settings(config.getDuration("poll-interval"), config.getDuration("retry-backoff"),
                    config.getDuration("give-up-after"), config.getDuration("announce-interval"),
                    new ReplicaFeed.Settings(config.getInt("batch-size"), config.getBytes("batch-bytes")));
        }
    }

    public sealed interface Command {}

    private record Tick() implements Command {}

    private record Started(Feed feed) implements Command {}

    private record FeedEnded(Feed feed, Throwable failure) implements Command {}

    private record Settled(Target target, Throwable failure) implements Command {}

    private record Removed(Target target) implements Command {}

    private record Announced(UUID tableId, String tableName, boolean change, Throwable failure) implements Command {}

    private record CheckpointsReset(Target target, Throwable failure) implements Command {}

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
    /** Per global table: the shared settings last announced, and when (System.nanoTime). */
    private final Map<UUID, List<Object>> announcedView = new HashMap<>();
    private final Map<UUID, Long> announcedAt = new HashMap<>();
    /** Global tables with an announcement in flight. */
    private final Set<UUID> announcing = new HashSet<>();
    /** Removed replicas whose checkpoints here have been reset (since this node started), and those being reset. */
    private final Set<Target> checkpointsReset = new HashSet<>();
    private final Set<Target> resetting = new HashSet<>();

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
                .onMessage(Announced.class, message -> {
                    announcing.remove(message.tableId());
                    if (message.failure() != null) {
                        String failure = message.failure().getCause() != null ? message.failure().getCause().getMessage()
                                : message.failure().getMessage();
                        // A change not delivered is worth a warning; the periodic repeat to a region that is down is not.
                        if (message.change()) {
                            log.warn("replicas of table {} not told of its change yet (told again later): {}", message.tableName(), failure);
                        } else {
                            log.debug("replicas of table {} not told of its shared settings: {}", message.tableName(), failure);
                        }
                    }
                    return this;
                })
                .onMessage(CheckpointsReset.class, message -> {
                    resetting.remove(message.target());
                    if (message.failure() != null) {
                        log.warn("resetting the checkpoints of the removed replica of table {} in {} failed; trying again: {}",
                                message.target().tableId(), message.target().region(), message.failure().toString());
                        checkpointsReset.remove(message.target());
                    }
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
                Target target = new Target(table.id(), replica.regionName());
                checkpointsReset.remove(target);
                if (replica.status() == ReplicaStatus.DELETING) {
                    if (deletesHere(table, replica) && !busy.contains(target) && !backoff.waiting(target)) remove(table, target);
                    continue;
                }
                tables.put(table.id(), table);
                // A table being created here as a replica is being seeded by another region: its feeds start once it
                // is ACTIVE, from the checkpoints set then, or they would pass the seeded items on to every other replica.
                if (table.status() == TableMetadata.TableStatus.CREATING) continue;
                for (int p = 0; p < table.partitionCount(); p++) wanted.put(new Feed(target, p), replica);
            }
        }
        feeds.forEach((feed, handle) -> {
            if (!wanted.containsKey(feed)) handle.stop();
        });
        resetRemovedCheckpoints();
        Set<Target> seeded = new HashSet<>();
        wanted.forEach((feed, replica) -> {
            if (replica.seeding()) seeded.add(feed.target());
            // Not while an earlier replica's checkpoints there are being reset: the new feeds would lose theirs.
            if (feeds.containsKey(feed) || backoff.waiting(feed.target()) || resetting.contains(feed.target())) return;
            startFeed(tables.get(feed.target().tableId()), feed, replica.seeding());
        });
        for (Target target : seeded) {
            TableMetadata table = tables.get(target.tableId());
            if (busy.contains(target) || backoff.waiting(target)) continue;
            boolean complete = true;
            for (int p = 0; p < table.partitionCount(); p++) complete &= started.contains(new Feed(target, p));
            if (complete) activate(table, target);
        }
        announce(tables.values());
        announcedView.keySet().retainAll(tables.keySet());
        announcedAt.keySet().retainAll(tables.keySet());
        return this;
    }

    /**
     * Whether this node deletes a DELETING replica: the region that marked it does (NONE: marked
     * here before versions existed), or any that knows that region is no longer a replica itself.
     */
    private boolean deletesHere(TableMetadata table, Replica deleting) {
        String owner = deleting.version().region();
        return owner.equals(localRegion) || deleting.version().equals(SharedSettingsVersion.NONE)
                || table.options().replica(owner).isEmpty();
    }

    /**
     * Resets, once its feeds have stopped, the checkpoints of each replica the catalog records as
     * removed (here or by another region): a replica created there again then starts from a
     * snapshot or from the end of the log, not from an old position the journal may no longer hold.
     */
    private void resetRemovedCheckpoints() {
        ActorRef<Command> self = getContext().getSelf();
        for (TableMetadata table : shards.tables().all().values()) {
            if (table.status() == TableMetadata.TableStatus.DELETING) continue;
            for (TableOptions.RemovedReplica removed : table.options().removedReplicas()) {
                Target target = new Target(table.id(), removed.regionName());
                if (checkpointsReset.contains(target) || feeds.keySet().stream().anyMatch(feed -> feed.target().equals(target))) continue;
                checkpointsReset.add(target);
                resetting.add(target);
                CompletableFuture.runAsync(() -> forgetCheckpoints(store, table, removed.regionName()), blocking)
                        .whenComplete((done, failure) -> self.tell(new CheckpointsReset(target, failure)));
            }
        }
    }

    /**
     * Announces the shared settings of each ACTIVE global table that changed since its last
     * announcement (here, or taken from another region: passed on), or that was last announced
     * {@code announceInterval} ago (or never, since this node started).
     */
    private void announce(java.util.Collection<TableMetadata> tables) {
        long now = System.nanoTime();
        ActorRef<Command> self = getContext().getSelf();
        for (TableMetadata table : tables) {
            if (table.status() != TableMetadata.TableStatus.ACTIVE) continue;
            SharedSettingsVersion version = table.options().latestSharedVersion();
            // This replica's own settings too (as reported at 0: not when), so that a change of them goes out at once.
            List<Object> view = List.of(table.options().replicas(), table.options().removedReplicas(), table.options().timeToLive(),
                    table.options().indexVersions(), TableOptions.ReplicaSettings.of(table.options(), 0));
            boolean changed = !view.equals(announcedView.get(table.id()));
            // A change goes out even while a periodic announcement waits on a region that does not answer.
            if (announcing.contains(table.id()) && !changed) continue;
            Long last = announcedAt.get(table.id());
            if (!changed && last != null && now - last < settings.announceInterval().toNanos()) continue;
            boolean change = changed && version.region().equals(localRegion);
            announcing.add(table.id());
            announcedView.put(table.id(), view);
            announcedAt.put(table.id(), now);
            link.announce(table).whenComplete((done, failure) ->
                    self.tell(new Announced(table.id(), table.name(), change, failure)));
        }
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
                forget(table.get(), target, withEntry(table.get(), target.region(), null), CompletableFuture.completedFuture(null));
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

    /**
     * The replica holds every item: it is told so (and turns ACTIVE there), then it is ACTIVE
     * here, and the others learn it from this node's next announcement.
     */
    private void activate(TableMetadata table, Target target) {
        busy.add(target);
        ActorRef<Command> self = getContext().getSelf();
        Replica seeded = table.options().replica(target.region()).orElseThrow();
        Replica active = seeded.changedTo(ReplicaStatus.ACTIVE, localRegion);
        link.activate(target.region(), withEntry(table, target.region(), active))
                .thenCompose(done -> shards.updateTable(table.name(), current -> {
                    // Unless the entry changed meanwhile (deleted from another region, say): that change stands.
                    if (!current.id().equals(table.id()) || !current.options().replica(target.region()).equals(Optional.of(seeded))) {
                        return current;
                    }
                    return withEntry(current, target.region(), active);
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
        TableMetadata removed = withEntry(table, target.region(), null);
        forget(table, target, removed, link.remove(target.region(), table).exceptionally(failure -> {
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

    /**
     * Once {@code done} completes, the replica is removed from the catalog here, recorded as
     * removed as in {@code removed} (the table as announced); its checkpoints are reset then
     * ({@link #resetRemovedCheckpoints}).
     */
    private void forget(TableMetadata table, Target target, TableMetadata removed, CompletionStage<Void> done) {
        ActorRef<Command> self = getContext().getSelf();
        TableOptions.RemovedReplica removal = removed.options().removedReplica(target.region()).orElseThrow();
        done.thenCompose(deleted -> shards.updateTable(table.name(), current -> {
                    if (!current.id().equals(table.id()) || current.options().replicaVersion(target.region()).newerThan(removal.version())) {
                        return current;
                    }
                    return withEntry(current, target.region(), null, removal);
                }))
                .whenComplete((updated, failure) -> {
                    if (failure == null) self.tell(new Removed(target));
                    self.tell(new Settled(target, failure));
                });
    }

    /**
     * The table with {@code entry} as its replica in {@code region}, or, for a null entry, with that
     * replica removed now by this region.
     */
    private TableMetadata withEntry(TableMetadata table, String region, Replica entry) {
        return withEntry(table, region, entry, entry != null ? null
                : new TableOptions.RemovedReplica(region, table.options().replicaVersion(region).next(localRegion)));
    }

    private static TableMetadata withEntry(TableMetadata table, String region, Replica entry, TableOptions.RemovedReplica removal) {
        return table.withOptions(table.options().withReplicaState(region, entry, removal));
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
            String checkpointId = new io.eddy.shards.PartitionId(table.id(), p).replicaMetaId(region);
            if (store.meta(checkpointId).equals(io.eddy.persistence.PartitionMeta.EMPTY)) continue;
            store.apply(checkpointId, io.eddy.persistence.PartitionMeta.EMPTY, List.of());
        }
    }

    private Behavior<Command> onShutdown(Shutdown shutdown) {
        FeedHandle.stopAll(feeds.values(), shutdown.replyTo());
        return Behaviors.stopped();
    }
}
