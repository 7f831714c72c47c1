package io.eddy.streams;

import com.typesafe.config.Config;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.shards.DeletedTables;
import io.eddy.shards.FinishedCoordinators;
import io.eddy.shards.PartitionId;
import io.eddy.shards.SteadyClock;
import io.eddy.shards.StorageExtension;
import io.eddy.shards.TableRegistry;
import io.eddy.shards.TransactionCoordinator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the partitions' journal events that nothing will read again, so that the journal stays
 * about as large as what its readers still need instead of growing with every write. Every
 * {@code interval} it takes, for each partition, the lowest of what its readers still need:
 * <ul>
 *   <li>recovery: the events after the item store's applied sequence number;</li>
 *   <li>each global index feed: the events after its checkpoint (all of them while a share is
 *       being built, whose backfill will follow the log from its snapshot on);</li>
 *   <li>each replica of a global table: the changes after its checkpoint (all of them until its
 *       replication has started);</li>
 *   <li>each trigger on the table: the records after its checkpoint;</li>
 *   <li>DynamoDB Streams: the records of the table's streams not yet past retention;</li>
 *   <li>point-in-time recovery: the changes after the earliest restorable time (all of them while
 *       it is being enabled, {@link TableRegistry#holdHistory});</li>
 * </ul>
 * and always the partition's last event. Everything below is deleted, a range of
 * {@code chunk} events per journal batch so that appends never wait long behind a deletion, and
 * the batches spread over half the interval ({@link DeletionPace}) so that they never come in a
 * burst.
 * A partition of a table that no longer exists keeps what the table's streams may still return
 * (DynamoDB keeps a deleted table's stream readable for the retention period); past that, its
 * items already dropped, it loses all its events;
 * what such a table still has in the item store (writes that landed after its drop) goes first
 * ({@link DeletedTables}).
 * Transaction coordinators' journals go once their last transaction is long finished
 * ({@link FinishedCoordinators}).
 *
 * <p>The order of the reads is what makes this safe against writers moving meanwhile: the
 * persistence ids are listed before the catalog is read (a partition with events belongs to a
 * table the catalog then knows, unless it was deleted); a partition's applied sequence number is
 * read before the catalog (a global index created later takes its backfill snapshot at or after
 * it); and the item store is synced after all the reads, before anything is deleted, so that a
 * machine crash cannot take the store back below a sequence number the journal no longer has.
 */
public final class JournalTrimmer {

    private static final Logger log = LoggerFactory.getLogger(JournalTrimmer.class);

    /** How often a pass starts and how many events one journal batch deletes. */
    public record Settings(Duration interval, int chunk) {
        public static Settings of(Config config) {
            return new Settings(config.getDuration("interval"), config.getInt("chunk"));
        }
    }

    /**
     * What one pass will delete: the partition's events up to {@code lastDeleted}; with
     * {@code forget}, then the id itself (a deleted table's partition, never addressed again).
     */
    private record Cut(String persistenceId, long lowest, long lastDeleted, boolean forget) {
        /** How many events it deletes (none if the id has no stored event left). */
        long events() {
            return lowest > 0 ? Math.max(0, lastDeleted - lowest + 1) : 0;
        }
    }

    private final JournalStore journal;
    private final Serialization serialization;
    private final ItemStore store;
    private final TableRegistry tables;
    private final DynamoStreams streams;
    private final Triggers triggers;
    private final ChangeLog changes;
    private final Settings settings;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Starts a transaction coordinator whose journal ends unfinished (by persistence id). */
    private final Consumer<String> wakeCoordinator;

    JournalTrimmer(JournalStore journal, Serialization serialization, ItemStore store, TableRegistry tables,
                   DynamoStreams streams, Triggers triggers, Settings settings, Consumer<String> wakeCoordinator) {
        this.wakeCoordinator = wakeCoordinator;
        this.journal = journal;
        this.serialization = serialization;
        this.store = store;
        this.tables = tables;
        this.streams = streams;
        this.triggers = triggers;
        this.changes = new ChangeLog(journal, serialization);
        this.settings = settings;
    }

    /** Starts the passes, on the blocking dispatcher; they stop before the actor system goes down. */
    public static void start(ActorSystem<?> system, TableRegistry tables, DynamoStreams streams, Triggers triggers,
                             Settings settings) {
        var classic = Adapter.toClassic(system);
        JournalTrimmer trimmer = new JournalTrimmer(JournalExtension.get(classic).store(), SerializationExtension.get(classic),
                StorageExtension.get(classic).itemStore(), tables, streams, triggers, settings,
                persistenceId -> TransactionCoordinator.wake(ClusterSharding.get(system), persistenceId));
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        Pair<UniqueKillSwitch, CompletionStage<Done>> running = Source.tick(settings.interval(), settings.interval(), "trim")
                .viaMat(KillSwitches.single(), Keep.right())
                .mapAsync(1, tick -> CompletableFuture.supplyAsync(trimmer::trimSafely, blocking))
                .toMat(Sink.ignore(), Keep.both())
                .run(system);
        // A pass stops between two batches; the journal closes only after the actor system.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-journal-trimmer", () -> {
            trimmer.stopped.set(true);
            running.first().shutdown();
            return running.second().exceptionally(failure -> Done.getInstance());
        });
    }

    private long trimSafely() {
        try {
            return trim();
        } catch (RuntimeException e) {
            if (!stopped.get()) log.warn("journal trimming pass failed; the next one tries again", e);
            return 0;
        }
    }

    /** One pass; answers how many events it deleted. */
    long trim() {
        long before = journal.eventsDeleted();
        // First, so that a deleted table's partitions left with metadata lose their events in this pass.
        int swept = DeletedTables.sweep(store, tables);
        if (swept > 0) log.debug("dropped what {} deleted tables left in the item store", swept);
        trimPartitions();
        FinishedCoordinators.forget(journal, serialization, SteadyClock.PROCESS.earliestMillis(), settings.chunk(), stopped::get, wakeCoordinator);
        long deleted = journal.eventsDeleted() - before;
        if (deleted > 0 && !stopped.get()) {
            journal.relocateSparseSegments();
            log.debug("journal trimmed by {} events", deleted);
        }
        return deleted;
    }

    private void trimPartitions() {
        List<Cut> cuts = new ArrayList<>();
        for (String persistenceId : journal.persistenceIds(PartitionId.PERSISTENCE_PREFIX)) {
            String entityId = PartitionId.entityIdOfPersistenceId(persistenceId);
            PartitionId partition = PartitionId.parseEntityId(entityId);
            PartitionMeta applied = store.meta(entityId);
            // Read between the applied sequence number and the catalog (see TableRegistry.holdHistory).
            if (tables.historyHeld(partition.tableId())) continue;
            Optional<TableMetadata> table = tables.findById(partition.tableId());
            Optional<TableMetadata> retired = table.isPresent() ? Optional.empty() : tables.findRetiredById(partition.tableId());
            long streamed = retired.map(t -> streams.firstRetained(t, partition.index())).orElse(Long.MAX_VALUE);
            if (table.isPresent() || streamed != Long.MAX_VALUE) {
                // A deleted table's partition keeps what its streams may still return and its triggers deliver.
                long last = table.isPresent() ? lastDeletable(table.get(), partition, applied.appliedSeqNr())
                        : Math.min(streamed - 1, triggers.delivered(retired.get(), partition.index()));
                Cut cut = last > 0 ? new Cut(persistenceId, journal.lowestSequenceNr(persistenceId), last, false) : null;
                if (cut != null && cut.events() > 0) cuts.add(cut);
            } else if (applied.equals(PartitionMeta.EMPTY)) {
                // Deleted: nothing addresses the table id again, once its items (and meta) are gone.
                cuts.add(new Cut(persistenceId, journal.lowestSequenceNr(persistenceId), journal.highestSequenceNr(persistenceId), true));
            }
        }
        if (cuts.isEmpty() || stopped.get()) return;
        store.sync();
        long total = cuts.stream().mapToLong(Cut::events).sum();
        DeletionPace pace = DeletionPace.of(total, settings.interval().dividedBy(2));
        for (Cut cut : cuts) deleteTo(cut, pace);
    }

    /** The last of the partition's events that none of its readers needs; 0 for none. */
    private long lastDeletable(TableMetadata table, PartitionId partition, long applied) {
        long last = Math.min(applied, journal.highestSequenceNr(partition.persistenceId()) - 1);
        for (UUID index : table.options().fedIndexIds()) {
            // The feed's checkpoint is the next change it reads; 0 while its share is being built.
            long next = store.meta(partition.indexMetaId(index)).appliedSeqNr();
            last = Math.min(last, next - 1);
        }
        for (TableOptions.KinesisDestination destination : table.options().kinesisDestinations()) {
            // The next change to put into the stream (none yet while ENABLING: all kept, for that short while).
            if (!destination.status().equals(TableOptions.KinesisDestination.ACTIVE)
                    && !destination.status().equals(TableOptions.KinesisDestination.ENABLING)) continue;
            last = Math.min(last, store.meta(partition.kinesisMetaId(destination.streamArn())).appliedSeqNr() - 1);
        }
        for (TableOptions.Replica replica : table.options().replicas()) {
            // The next change to send to the replica; 0 until its replication starts (or while it is seeded).
            last = Math.min(last, store.meta(partition.replicaMetaId(replica.regionName())).appliedSeqNr() - 1);
        }
        last = Math.min(last, triggers.delivered(table, partition.index()));
        long firstStreamed = streams.firstRetained(table, partition.index());
        if (firstStreamed != Long.MAX_VALUE) last = Math.min(last, firstStreamed - 1);
        TableOptions.PointInTimeRecovery recovery = table.options().pointInTimeRecovery();
        if (recovery != null) {
            long earliest = recovery.earliestRestorableMicros(System.currentTimeMillis());
            last = Math.min(last, changes.firstAtOrAfter(partition, earliest) - 1);
        }
        return Math.max(0, last);
    }

    /**
     * Deletes the cut's events a chunk at a time, from the lowest stored one on, at the pass's
     * pace, and then forgets the id if the cut says so (the events are gone by then, so that
     * batch is small).
     */
    private void deleteTo(Cut cut, DeletionPace pace) {
        for (long from = cut.lowest(); from > 0 && from <= cut.lastDeleted() && !stopped.get(); ) {
            long last = Math.min(cut.lastDeleted(), from + settings.chunk() - 1);
            journal.deleteTo(cut.persistenceId(), last).join();
            try {
                pace.deleted(last - from + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            from = last + 1;
        }
        if (cut.forget() && !stopped.get()) journal.forget(Map.of(cut.persistenceId(), cut.lastDeleted())).join();
    }
}
