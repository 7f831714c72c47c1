package io.eddy.streams;

import com.typesafe.config.Config;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.KinesisDestination;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.PartitionMeta;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinesis streaming destinations: the changes of tables to Kinesis data streams. Every
 * {@code pollInterval} it compares the catalog with its feeds:
 * <ul>
 *   <li>an ENABLING destination's stream is checked ({@link KinesisLink#check}); if Kinesis takes
 *       it, each partition's checkpoint is set to the change after its last one and the
 *       destination becomes ACTIVE, as DynamoDB streams the changes made once a destination is
 *       active; if not, it becomes ENABLE_FAILED with Kinesis's reason;</li>
 *   <li>an ACTIVE destination has one feed per table partition: the partition's changes from its
 *       checkpoint, put in batches (records Kinesis did not take are put again, in order, until it
 *       does), each batch's checkpoint saved once put;</li>
 *   <li>the feeds of a destination that is no longer ACTIVE (DISABLED, its table deleted) stop.</li>
 * </ul>
 * The checkpoints are the item store's (the partition's {@link PartitionId#kinesisMetaId}), and the
 * journal keeps the changes an ACTIVE destination has still to put ({@link JournalTrimmer}), so a
 * restarted node puts on from where it stopped: a batch put but not yet checkpointed is put again
 * (Kinesis consumers see a change at least once, as DynamoDB documents).
 */
public final class KinesisDeliveries {

    private static final Logger log = LoggerFactory.getLogger(KinesisDeliveries.class);
    /** Kinesis's PutRecords limits: 500 records and 5 MiB a call (kept under, with room for the request's own JSON). */
    private static final int MAX_RECORDS = 500;
    private static final long MAX_CALL_BYTES = 4L << 20;
    /** Kinesis's limit on one record: its data and partition key together. */
    private static final int MAX_RECORD_BYTES = 1 << 20;
    /**
     * Checks of a stream that failed without Kinesis's refusal (unreachable, timed out, throttled)
     * before the destination is ENABLE_FAILED; they wait longer each time (about a minute in all).
     */
    private static final int CHECK_ATTEMPTS = 10;
    /** The longest wait between two tries of a check or of records Kinesis did not take. */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** How often the catalog is compared with the feeds; how a feed batches; how long a retry first waits. */
    public record Settings(Duration pollInterval, int batchSize, Duration batchWindow, Duration retryBackoff) {
        public static Settings of(Config config) {
            return new Settings(config.getDuration("poll-interval"), config.getInt("batch-size"), config.getDuration("batch-window"),
                    config.getDuration("retry-backoff"));
        }
    }

    /** One feed: a destination's share of one table partition. */
    private record Feed(UUID tableId, String streamArn, int partition) {}

    /** A running feed; {@code generation} tells it from a later feed of the same destination and partition. */
    private record Running(long generation, UniqueKillSwitch killSwitch) {}

    private final ActorSystem<?> system;
    private final Shards shards;
    private final ItemStore store;
    private final ChangeLog changes;
    /** Empty when the node has no Kinesis endpoint: ENABLING destinations then fail, ACTIVE ones wait to be disabled. */
    private final Optional<KinesisLink> link;
    private final String region;
    private final Settings settings;
    private final Executor executor;
    private final Map<Feed, Running> feeds = new HashMap<>();
    private long generations;
    /** Destinations (table id and stream) whose stream is being checked, or waits to be checked again. */
    private final Set<String> checking = new HashSet<>();
    /** Checks that failed without Kinesis's refusal, by destination, while it is ENABLING. */
    private final Map<String, Integer> failedChecks = new HashMap<>();
    private boolean stopped;

    private KinesisDeliveries(ActorSystem<?> system, Shards shards, ChangeLog changes, Optional<KinesisLink> link, String region,
                              Settings settings) {
        this.system = system;
        this.shards = shards;
        this.store = StorageExtension.get(system).itemStore();
        this.changes = changes;
        this.link = link;
        this.region = region;
        this.settings = settings;
        this.executor = system.executionContext();
    }

    /**
     * Starts delivering through {@code link} (empty: the node has no Kinesis, and a destination left
     * ENABLING by an earlier run is made ENABLE_FAILED); the feeds stop before the actor system shuts down.
     */
    public static KinesisDeliveries start(ActorSystem<?> system, Shards shards, ChangeLog changes, Optional<KinesisLink> link,
                                          String region, Settings settings) {
        KinesisDeliveries deliveries = new KinesisDeliveries(system, shards, changes, link, region, settings);
        Cancellable ticks = system.scheduler().scheduleWithFixedDelay(settings.pollInterval(), settings.pollInterval(),
                deliveries::tickSafely, system.executionContext());
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-kinesis-deliveries", () -> {
            ticks.cancel();
            deliveries.stop();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        return deliveries;
    }

    private synchronized void stop() {
        stopped = true;
        feeds.values().forEach(running -> running.killSwitch().shutdown());
        feeds.clear();
    }

    /** A tick that throws would end the scheduled ticks for good. */
    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Kinesis deliveries: {}", e.toString(), e);
        }
    }

    /** Whether this generation of the feed still runs (not stopped, disabled, or replaced by a later one). */
    private synchronized boolean running(Feed feed, long generation) {
        Running running = feeds.get(feed);
        return !stopped && running != null && running.generation() == generation;
    }

    private synchronized void tick() {
        if (stopped) return;
        Set<Feed> wanted = new HashSet<>();
        Set<String> enabling = new HashSet<>();
        for (TableMetadata table : shards.tables().all().values()) {
            for (KinesisDestination destination : table.options().kinesisDestinations()) {
                if (destination.status().equals(KinesisDestination.ENABLING)) {
                    enabling.add(key(table.id(), destination.streamArn()));
                    check(table, destination.streamArn());
                }
                if (!destination.status().equals(KinesisDestination.ACTIVE) || link.isEmpty()) continue;
                for (int p = 0; p < table.partitionCount(); p++) wanted.add(new Feed(table.id(), destination.streamArn(), p));
            }
        }
        failedChecks.keySet().retainAll(enabling);
        feeds.entrySet().removeIf(running -> {
            if (wanted.contains(running.getKey())) return false;
            running.getValue().killSwitch().shutdown();
            return true;
        });
        for (Feed feed : wanted) {
            if (feeds.containsKey(feed)) continue;
            long generation = ++generations;
            feeds.put(feed, new Running(generation, startFeed(feed, generation)));
        }
    }

    private static String key(UUID tableId, String streamArn) {
        return tableId + " " + streamArn;
    }

    /** What a check of an ENABLING destination's stream came to. */
    private sealed interface CheckOutcome {
        /** Kinesis takes the stream: the checkpoints are set, the destination becomes ACTIVE. */
        record Usable() implements CheckOutcome {}

        /** Kinesis refuses it, or could not be asked often enough: ENABLE_FAILED, with the reason. */
        record Failed(String reason) implements CheckOutcome {}

        /** Asked again later (not Kinesis's refusal), or the destination is no longer ENABLING: nothing changes now. */
        record Later() implements CheckOutcome {}
    }

    /**
     * Asks Kinesis about an ENABLING destination's stream, then makes it ACTIVE, or ENABLE_FAILED
     * when Kinesis refuses it (or could not be asked {@link #CHECK_ATTEMPTS} times running).
     */
    private void check(TableMetadata table, String streamArn) {
        String key = key(table.id(), streamArn);
        if (!checking.add(key)) return;
        CompletionStage<Void> checked;
        try {
            checked = link.isEmpty() ? CompletableFuture.failedFuture(new KinesisLink.Refused(KinesisLink.NO_ENDPOINT))
                    : link.get().check(streamArn);
        } catch (RuntimeException e) {
            checked = CompletableFuture.failedFuture(e);
        }
        checked.<CheckOutcome>handle((ok, failure) -> {
                    if (failure == null) return startFrom(table, streamArn);
                    Throwable cause = unwrapped(failure);
                    String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                    synchronized (this) {
                        int failures = failedChecks.merge(key, 1, Integer::sum);
                        if (!(cause instanceof KinesisLink.Refused) && failures < CHECK_ATTEMPTS) return new CheckOutcome.Later();
                        failedChecks.remove(key);
                    }
                    return new CheckOutcome.Failed(reason);
                })
                .thenCompose(outcome -> {
                    if (outcome instanceof CheckOutcome.Later) return CompletableFuture.completedFuture(outcome);
                    return shards.updateTable(table.name(), current -> {
                        Optional<KinesisDestination> enabling = current.id().equals(table.id())
                                ? current.options().kinesisDestination(streamArn).filter(d -> d.status().equals(KinesisDestination.ENABLING)) : Optional.empty();
                        if (enabling.isEmpty()) return current;
                        KinesisDestination changed = outcome instanceof CheckOutcome.Failed failed
                                ? new KinesisDestination(streamArn, KinesisDestination.ENABLE_FAILED, failed.reason(), enabling.get().precision())
                                : new KinesisDestination(streamArn, KinesisDestination.ACTIVE, null, enabling.get().precision());
                        return current.withOptions(current.options().withKinesisDestination(changed));
                    }).thenApply(updated -> outcome);
                })
                .whenComplete((outcome, failure) -> {
                    if (failure != null) log.warn("Kinesis destination {} of table {}: {}", streamArn, table.name(), failure.toString());
                    int failures;
                    synchronized (this) {
                        failures = failedChecks.getOrDefault(key, 0);
                    }
                    // The next check of a destination still ENABLING waits, longer after each failure.
                    CompletableFuture.runAsync(() -> {
                        synchronized (this) {
                            checking.remove(key);
                        }
                    }, CompletableFuture.delayedExecutor(backoff(failures).toMillis(), TimeUnit.MILLISECONDS, executor));
                });
    }

    /**
     * Sets each partition's checkpoint to the change after its last, if the destination is still
     * ENABLING (a destination disabled or made ACTIVE meanwhile keeps the checkpoints it has).
     */
    private CheckOutcome startFrom(TableMetadata table, String streamArn) {
        boolean enabling = shards.tables().findById(table.id())
                .flatMap(current -> current.options().kinesisDestination(streamArn))
                .filter(destination -> destination.status().equals(KinesisDestination.ENABLING)).isPresent();
        if (!enabling) return new CheckOutcome.Later();
        // From the change after each partition's last: the changes made once the destination is active.
        for (int p = 0; p < table.partitionCount(); p++) {
            PartitionId partition = new PartitionId(table.id(), p);
            store.apply(partition.kinesisMetaId(streamArn), new PartitionMeta(changes.highestSequenceNr(partition) + 1, 0, 0), List.of());
        }
        // Synced before the destination goes ACTIVE (durably, in the catalog): a machine crash that lost
        // them would leave an ACTIVE destination without checkpoints, and its feeds would put the
        // partitions' whole history from the start.
        store.sync();
        synchronized (this) {
            failedChecks.remove(key(table.id(), streamArn));
        }
        return new CheckOutcome.Usable();
    }

    /** {@code retryBackoff}, doubled for each failure before, at most {@link #MAX_BACKOFF}. */
    private Duration backoff(int failures) {
        long millis = settings.retryBackoff().toMillis() << Math.min(failures, 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private UniqueKillSwitch startFeed(Feed feed, long generation) {
        RestartSettings restart = RestartSettings.create(settings.retryBackoff(), MAX_BACKOFF, 0.2);
        return RestartSource.onFailuresWithBackoff(restart, () -> feedSource(feed, generation))
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.ignore(), Keep.left())
                .run(system);
    }

    /** The partition's changes from the feed's checkpoint, put in batches, each checkpointed once put. */
    private Source<Long, NotUsed> feedSource(Feed feed, long generation) {
        PartitionId partition = new PartitionId(feed.tableId(), feed.partition());
        String checkpointId = partition.kinesisMetaId(feed.streamArn());
        long from = store.meta(checkpointId).appliedSeqNr();
        return changes.follow(partition, from, executor)
                .groupedWithin(settings.batchSize(), settings.batchWindow())
                .mapAsync(1, batch -> put(feed, generation, batch).thenApply(done -> batch.get(batch.size() - 1).sequenceNr()))
                .map(last -> {
                    // A feed stopped meanwhile leaves the checkpoint to the feed after it.
                    if (running(feed, generation)) store.apply(checkpointId, new PartitionMeta(last + 1, 0, 0), List.of());
                    return last;
                });
    }

    /** Puts a batch of changes as records, in calls within Kinesis's limits, one after the other. */
    private CompletionStage<Void> put(Feed feed, long generation, List<ChangeLog.Change> batch) {
        Optional<TableMetadata> table = shards.tables().findById(feed.tableId());
        // A table dropped meanwhile: its feeds stop at the next tick.
        if (table.isEmpty()) return CompletableFuture.completedFuture(null);
        String precision = table.get().options().kinesisDestination(feed.streamArn()).map(KinesisDestination::precision).orElse(null);
        List<List<KinesisLink.Record>> calls = new ArrayList<>();
        List<KinesisLink.Record> call = new ArrayList<>();
        long bytes = 0;
        for (ChangeLog.Change change : batch) {
            KinesisLink.Record record = KinesisRecords.of(table.get(), region, precision, change);
            long size = record.data().length + record.partitionKey().length();
            if (size > MAX_RECORD_BYTES) {
                // Kinesis would refuse the whole call, again and again: the partition's changes would stop here.
                log.warn("Kinesis destination {} of table {}: a change of {} bytes is over Kinesis's 1 MiB record limit; not put",
                        feed.streamArn(), table.get().name(), size);
                continue;
            }
            if (!call.isEmpty() && (call.size() == MAX_RECORDS || bytes + size > MAX_CALL_BYTES)) {
                calls.add(call);
                call = new ArrayList<>();
                bytes = 0;
            }
            call.add(record);
            bytes += size;
        }
        if (!call.isEmpty()) calls.add(call);
        CompletionStage<Void> done = CompletableFuture.completedFuture(null);
        for (List<KinesisLink.Record> records : calls) done = done.thenCompose(ignored -> putAll(feed, generation, records, 0));
        return done;
    }

    /**
     * Puts the records until Kinesis has taken every one, those it refused again after a backoff
     * (longer each time) and before any later call. A record refused while a later one of the same
     * item was taken reaches the stream after it, as with any PutRecords client (the records carry
     * their ApproximateCreationDateTime, and Kinesis consumers see a change at least once). A feed
     * stopped meanwhile (disabled, replaced, shut down) puts nothing more.
     */
    private CompletionStage<Void> putAll(Feed feed, long generation, List<KinesisLink.Record> records, int attempt) {
        if (!running(feed, generation)) return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException("feed stopped"));
        return link.orElseThrow().putRecords(feed.streamArn(), records).thenCompose(refused -> {
            if (refused.isEmpty()) return CompletableFuture.completedFuture(null);
            List<KinesisLink.Record> again = refused.stream().map(records::get).toList();
            Executor later = CompletableFuture.delayedExecutor(backoff(attempt).toMillis(), TimeUnit.MILLISECONDS, executor);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> putAll(feed, generation, again, attempt + 1));
        });
    }
}
