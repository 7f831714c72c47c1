package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemSize;
import io.eddy.model.TableStream;
import io.eddy.persistence.ItemMutation;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.JournalEnvelope;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.persistence.PartitionRecord;
import io.eddy.shards.PartitionCommand.Sequenced;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionEvent.TransactionPrepared;
import io.eddy.shards.PartitionEvent.TransactionResolved;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * The event-sourced half of a partition: its journal is the source of truth, its items live in
 * the LevelDB item store, and its in-memory state is the partition's {@link PartitionMeta} and the
 * transactions prepared here and not yet resolved ({@link PartitionState}).
 *
 * <p>It takes {@link Sequenced} commands a batch at a time from its {@link PartitionEntity} and
 * evaluates them in order ({@link BatchEvaluation}); the batch's events (full-image
 * {@link ItemChanged}s, prepared and resolved transactions) are persisted as one atomic journal
 * write, and only once that is durable are they applied to the store (one LevelDB batch with the
 * new meta and the prepared-transaction records) and every command answered.
 *
 * <p>Recovery starts from the store's applied state (served as a snapshot by
 * {@link ItemStoreSnapshotStore}, prepared transactions included), so only the journal's
 * un-applied tail is replayed, and those events are applied to the store as they are replayed.
 *
 * <p>A prepared transaction waits for its coordinator's decision. If none comes (the coordinator
 * was lost, or the node restarted), the writer asks the coordinator again; the coordinator, recovered
 * from its own journal if need be, answers with its decision or, having none, aborts. So a lost
 * coordinator never leaves items locked.
 */
final class PartitionWriter extends EventSourcedBehavior<PartitionWriter.Command, PartitionEvent, PartitionState> {

    static final String SNAPSHOT_PLUGIN_ID = "eddy.partition-snapshot-store";

    sealed interface Command {}

    record ApplyBatch(List<Sequenced> commands) implements Command {}

    /** Timer: ask the coordinators of transactions prepared here a while ago for their decision. */
    private record InquireCoordinators() implements Command {}

    private static final Object INQUIRY_TIMER = "inquire";
    private static final int STAMP_SEARCH_CHUNK = 16;

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final String partitionId;
    private final ItemStore store;
    private final ActorRef<PartitionCommand> entity;
    private final ClusterSharding sharding;
    private final ReadWatches watches;
    private final long inquireAfterNanos;
    /** When each pending transaction was prepared here (0 when recovered: ask at once). */
    private final Map<String, Long> preparedAt = new HashMap<>();
    /** The table's local secondary indexes, maintained in the same store batches as the items. */
    private final LocalIndexes localIndexes;
    /** This node's region while the partition's table is global (its changes are then versioned), else null. */
    private final Supplier<String> versioningRegion;
    /** False while replaying: replayed events must be applied to the store by the event handler. */
    private boolean recovered;
    /** Events the recovery replayed: only the journal's tail after the store's applied sequence number. */
    private long replayedEvents;
    /** The last change's timestamp: a partition's change timestamps never go back, even if the clock does. */
    private long lastTimestampMicros;
    private final ChangesInFlight changesInFlight;
    /** The stamp of this partition's batch on its way to the journal, for the change stream's readers. */
    private final AtomicLong inFlight;

    private PartitionWriter(ActorContext<Command> context, TimerScheduler<Command> timers, PartitionId partition,
                            ItemStore store, ActorRef<PartitionCommand> entity, LocalIndexes localIndexes,
                            Supplier<String> versioningRegion) {
        super(PersistenceId.ofUniqueId(partition.persistenceId()));
        this.versioningRegion = versioningRegion;
        this.context = context;
        this.timers = timers;
        this.partitionId = partition.entityId();
        this.store = store;
        this.entity = entity;
        this.sharding = ClusterSharding.get(context.getSystem());
        var config = context.getSystem().settings().config();
        this.inquireAfterNanos = config.getDuration("eddy.transactions.participant-inquiry-after").toNanos();
        this.watches = new ReadWatches(config.getDuration("eddy.request-timeout").toNanos());
        this.localIndexes = localIndexes;
        this.changesInFlight = StorageExtension.get(context.getSystem()).changesInFlight();
        this.inFlight = changesInFlight.slot(partitionId);
    }

    static Behavior<Command> create(PartitionId partition, ItemStore store, ActorRef<PartitionCommand> entity,
                                    LocalIndexes localIndexes, Supplier<String> versioningRegion) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new PartitionWriter(ctx, timers, partition, store, entity, localIndexes, versioningRegion)));
    }

    @Override
    public String snapshotPluginId() {
        return SNAPSHOT_PLUGIN_ID;
    }

    @Override
    public PartitionState emptyState() {
        return PartitionState.EMPTY;
    }

    @Override
    public CommandHandler<Command, PartitionEvent, PartitionState> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(ApplyBatch.class, this::onBatch)
                .onCommand(InquireCoordinators.class, this::onInquire)
                .build();
    }

    private Effect<PartitionEvent, PartitionState> onBatch(PartitionState state, ApplyBatch batch) {
        long now = System.nanoTime();
        watches.expire(now);
        // Marked before the clock is read: a stream reader that finds no mark knows a later stamp.
        inFlight.set(ChangesInFlight.STAMPING);
        // One timestamp for the batch: it is one atomic journal write. Streams select by it.
        long timestamp = Math.max(TableStream.micros(Instant.now()), lastTimestampMicros);
        localIndexes.beginBatch();
        BatchEvaluation evaluation = new BatchEvaluation(partitionId, store, state.pending(), watches, now, timestamp, localIndexes,
                versioningRegion.get());
        for (Sequenced command : batch.commands()) evaluation.evaluate(command);
        List<PartitionEvent> events = evaluation.events();
        if (events.isEmpty()) {
            inFlight.set(ChangesInFlight.NONE);
            answer(evaluation.answers());
            return Effect().none();
        }
        lastTimestampMicros = timestamp;
        inFlight.set(timestamp);
        return Effect().persist(events).thenRun(applied -> {
            // Readable from the journal now.
            inFlight.set(ChangesInFlight.NONE);
            List<ItemChanged> changes = new ArrayList<>(events.size());
            List<PartitionRecord> records = new ArrayList<>();
            for (PartitionEvent event : events) {
                if (event instanceof ItemChanged changed) {
                    changes.add(changed);
                } else if (event instanceof TransactionPrepared prepared) {
                    records.add(record(prepared));
                    preparedAt.put(prepared.transaction().transactionId(), now);
                } else if (event instanceof TransactionResolved resolved) {
                    records.add(PartitionRecord.delete(resolved.transactionId()));
                    preparedAt.remove(resolved.transactionId());
                }
            }
            // Local index entries go in the same store batch as their items.
            store.apply(partitionId, applied.meta(), localIndexes.mutations(changes, applied.meta().appliedSeqNr()), records);
            answer(evaluation.answers());
            scheduleInquiry();
        });
    }

    private void answer(List<BatchEvaluation.Answer<?>> answers) {
        // The next batch can start while the callers' continuations run on the answers.
        entity.tell(new PartitionCommand.BatchDone());
        for (BatchEvaluation.Answer<?> a : answers) a.send();
    }

    private Effect<PartitionEvent, PartitionState> onInquire(PartitionState state, InquireCoordinators tick) {
        long now = System.nanoTime();
        for (String transactionId : state.pending().keySet()) {
            long since = preparedAt.getOrDefault(transactionId, 0L);
            if (since == 0L || now - since >= inquireAfterNanos) {
                TransactionCoordinator.inquire(sharding, transactionId, partitionId);
            }
        }
        scheduleInquiry();
        return Effect().none();
    }

    private void scheduleInquiry() {
        if (preparedAt.isEmpty()) {
            timers.cancel(INQUIRY_TIMER);
        } else if (!timers.isTimerActive(INQUIRY_TIMER)) {
            timers.startSingleTimer(INQUIRY_TIMER, new InquireCoordinators(), Duration.ofNanos(inquireAfterNanos));
        }
    }

    @Override
    public EventHandler<PartitionState, PartitionEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ItemChanged.class, this::applyChange)
                .onEvent(TransactionPrepared.class, (state, event) -> {
                    PartitionMeta meta = nextMeta(state.meta(), 0, 0);
                    if (!recovered) replay(meta, List.of(), List.of(record(event)));
                    return state.withPrepared(meta, event.transaction());
                })
                .onEvent(TransactionResolved.class, (state, event) -> {
                    PartitionMeta meta = nextMeta(state.meta(), 0, 0);
                    if (!recovered) replay(meta, List.of(), List.of(PartitionRecord.delete(event.transactionId())));
                    return state.withResolved(meta, event.transactionId());
                })
                .build();
    }

    private PartitionState applyChange(PartitionState state, ItemChanged event) {
        lastTimestampMicros = Math.max(lastTimestampMicros, event.timestampMicros());
        PartitionMeta meta = nextMeta(state.meta(),
                (event.newImage().isPresent() ? 1 : 0) - (event.oldImage().isPresent() ? 1 : 0),
                sizeOf(event.newImage()) - sizeOf(event.oldImage()));
        if (!recovered) replay(meta, localIndexes.mutations(List.of(event), meta.appliedSeqNr()), List.of());
        return state.withMeta(meta);
    }

    /** Applies a replayed event to the store: the events being replayed are exactly those it has not applied. */
    private void replay(PartitionMeta meta, List<ItemMutation> mutations, List<PartitionRecord> records) {
        store.apply(partitionId, meta, mutations, records);
        replayedEvents++;
    }

    /**
     * The stamp of the partition's last change still in the journal, 0 if it keeps none: a clock
     * set back across a restart must not stamp a change before it, or the searches on stamps (a
     * stream shard's or a stream's range) would misplace it. Read backwards past transaction events.
     */
    private long lastJournaledStamp() {
        var classic = Adapter.toClassic(context.getSystem());
        JournalStore journal = JournalExtension.get(classic).store();
        Serialization serialization = SerializationExtension.get(classic);
        String id = persistenceId().id();
        long lowest = journal.lowestSequenceNr(id);
        long[] stamp = {0};
        // The last event first (usually a change), then a few more at a time past transaction events.
        int chunk = 1;
        for (long to = lastSequenceNumber(context); lowest > 0 && to >= lowest && stamp[0] == 0; to -= chunk, chunk = STAMP_SEARCH_CHUNK) {
            journal.replay(id, Math.max(lowest, to - chunk + 1), to, chunk, event -> {
                if (JournalEnvelope.read(serialization, event.payload()).payload() instanceof ItemChanged changed) {
                    stamp[0] = changed.timestampMicros();
                }
            });
        }
        return stamp[0];
    }

    /**
     * The counters after a change. Held at zero, as LocalIndexes holds its own: a partition replayed
     * from no snapshot while its journal starts past a trimmed head (a deleted table's, woken by a
     * stale command) would otherwise go below zero, which PartitionMeta refuses, on every attempt.
     */
    private PartitionMeta nextMeta(PartitionMeta meta, long itemDelta, long sizeDelta) {
        return new PartitionMeta(lastSequenceNumber(context), Math.max(0, meta.itemCount() + itemDelta),
                Math.max(0, meta.sizeBytes() + sizeDelta));
    }

    @Override
    public SignalHandler<PartitionState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    recovered = true;
                    // The replay covers only what the store had not applied: the last stamp may be older.
                    if (lastTimestampMicros == 0) lastTimestampMicros = lastJournaledStamp();
                    // Transactions prepared before a restart: their coordinators are asked at once.
                    for (String transactionId : state.pending().keySet()) preparedAt.put(transactionId, 0L);
                    if (!state.pending().isEmpty()) context.getSelf().tell(new InquireCoordinators());
                    entity.tell(new PartitionCommand.WriterReady(replayedEvents));
                })
                // A failed journal write stops the writer: what the journal kept of its batch, if anything, is read only at the next start.
                .onSignal(PostStop.instance(), state -> changesInFlight.stopped(partitionId, inFlight))
                .build();
    }

    private static PartitionRecord record(TransactionPrepared prepared) {
        return PartitionRecord.put(prepared.transaction().transactionId(), PartitionEventSerializer.encode(prepared.transaction()));
    }

    private static long sizeOf(Optional<Map<String, AttributeValue>> image) {
        return image.map(ItemSize::of).orElse(0L);
    }
}
