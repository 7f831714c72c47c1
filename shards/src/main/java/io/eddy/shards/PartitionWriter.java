package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.Bytes;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemSize;
import io.eddy.model.TableStream;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.shards.PartitionCommand.WriteItem;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The event-sourced half of a partition: its journal is the source of truth, its state lives in
 * the LevelDB item store, and its in-memory state is only the partition's {@link PartitionMeta}.
 *
 * <p>It takes writes a batch at a time from its {@link PartitionEntity}. Each write of a batch
 * sees the store plus the writes before it in the batch, and decides its new image; the batch's
 * changes are persisted as one atomic journal write of full-image {@link ItemChanged} events, and
 * only once that is durable are they applied to the store (one LevelDB batch with the new meta)
 * and every write answered.
 *
 * <p>Recovery starts from the store's applied sequence number (served as a snapshot by
 * {@link ItemStoreSnapshotStore}), so only the journal's un-applied tail is replayed, and those
 * events are applied to the store as they are replayed.
 */
final class PartitionWriter extends EventSourcedBehavior<PartitionWriter.Command, PartitionEvent, PartitionMeta> {

    static final String SNAPSHOT_PLUGIN_ID = "eddy.partition-snapshot-store";

    sealed interface Command {}

    record ApplyBatch(List<WriteItem> writes) implements Command {}

    private final ActorContext<Command> context;
    private final String partitionId;
    private final ItemStore store;
    private final ActorRef<PartitionCommand> entity;
    /** The table's local secondary indexes, maintained in the same store batches as the items. */
    private final LocalIndexes localIndexes;
    /** False while replaying: replayed events must be applied to the store by the event handler. */
    private boolean recovered;
    /** The last change's timestamp: a partition's change timestamps never go back, even if the clock does. */
    private long lastTimestampMicros;

    private PartitionWriter(ActorContext<Command> context, PartitionId partition, ItemStore store,
                            ActorRef<PartitionCommand> entity, LocalIndexes localIndexes) {
        super(PersistenceId.ofUniqueId(partition.persistenceId()));
        this.context = context;
        this.partitionId = partition.entityId();
        this.store = store;
        this.entity = entity;
        this.localIndexes = localIndexes;
    }

    static Behavior<Command> create(PartitionId partition, ItemStore store, ActorRef<PartitionCommand> entity,
                                    LocalIndexes localIndexes) {
        return Behaviors.setup(ctx -> new PartitionWriter(ctx, partition, store, entity, localIndexes));
    }

    @Override
    public String snapshotPluginId() {
        return SNAPSHOT_PLUGIN_ID;
    }

    @Override
    public PartitionMeta emptyState() {
        return PartitionMeta.EMPTY;
    }

    @Override
    public CommandHandler<Command, PartitionEvent, PartitionMeta> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(ApplyBatch.class, this::onBatch)
                .build();
    }

    /** A reply held back until the batch it belongs to is durable. */
    private record Answer(ActorRef<ItemReply> replyTo, ItemReply reply) {}

    private Effect<PartitionEvent, PartitionMeta> onBatch(ApplyBatch batch) {
        Map<Bytes, Optional<Map<String, AttributeValue>>> pending = new HashMap<>();
        List<PartitionEvent> events = new ArrayList<>();
        List<Answer> answers = new ArrayList<>(batch.writes().size());
        // One timestamp for the batch: it is one atomic journal write. Streams select by it.
        long timestamp = Math.max(TableStream.micros(Instant.now()), lastTimestampMicros);
        localIndexes.beginBatch();
        for (WriteItem write : batch.writes()) {
            Bytes key = Bytes.wrap(write.key());
            Optional<Map<String, AttributeValue>> current = pending.containsKey(key) ? pending.get(key) : store.get(write.key());
            Optional<Map<String, AttributeValue>> next;
            try {
                next = write.update().apply(current);
                localIndexes.admit(current, next);
            } catch (DynamoException e) {
                answers.add(new Answer(write.replyTo(), new ItemReply.Rejected(e)));
                continue;
            }
            answers.add(new Answer(write.replyTo(), new ItemReply.Written(current, next)));
            if (!next.equals(current)) {
                // A write that changes nothing is not journaled, and emits no change event.
                events.add(new ItemChanged(write.key(), current, next, timestamp, write.origin()));
                pending.put(key, next);
            }
        }
        if (events.isEmpty()) {
            answer(answers);
            return Effect().none();
        }
        lastTimestampMicros = timestamp;
        return Effect().persist(events).thenRun(meta -> {
            List<ItemChanged> changes = new ArrayList<>(events.size());
            for (PartitionEvent event : events) changes.add((ItemChanged) event);
            store.apply(partitionId, meta, localIndexes.mutations(changes, meta.appliedSeqNr()));
            answer(answers);
        });
    }

    private void answer(List<Answer> answers) {
        for (Answer a : answers) a.replyTo().tell(a.reply());
        entity.tell(new PartitionCommand.BatchDone());
    }

    @Override
    public EventHandler<PartitionMeta, PartitionEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ItemChanged.class, (PartitionMeta meta, ItemChanged event) -> apply(meta, event))
                .build();
    }

    private PartitionMeta apply(PartitionMeta meta, ItemChanged event) {
        lastTimestampMicros = Math.max(lastTimestampMicros, event.timestampMicros());
        PartitionMeta next = new PartitionMeta(
                lastSequenceNumber(context),
                meta.itemCount() + (event.newImage().isPresent() ? 1 : 0) - (event.oldImage().isPresent() ? 1 : 0),
                meta.sizeBytes() + sizeOf(event.newImage()) - sizeOf(event.oldImage()));
        if (!recovered) {
            store.apply(partitionId, next, localIndexes.mutations(List.of(event), next.appliedSeqNr()));
        }
        return next;
    }

    @Override
    public SignalHandler<PartitionMeta> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), meta -> {
                    recovered = true;
                    entity.tell(new PartitionCommand.WriterReady());
                })
                .build();
    }

    private static long sizeOf(Optional<Map<String, AttributeValue>> image) {
        return image.map(ItemSize::of).orElse(0L);
    }
}
