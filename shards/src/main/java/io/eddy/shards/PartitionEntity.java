package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemSize;
import io.eddy.persistence.ItemPage;
import io.eddy.persistence.ItemMutation;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.shards.PartitionCommand.GetItem;
import io.eddy.shards.PartitionCommand.ReadPage;
import io.eddy.shards.PartitionCommand.WriteItem;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One partition of a table: an event-sourced entity whose journal is the source of truth and
 * whose state lives in the LevelDB item store, not on the heap. The in-memory state is only the
 * partition's {@link PartitionMeta} (applied sequence number, item count, size).
 *
 * <p>A write reads the current image from the store, lets the {@link ItemUpdate} decide the new
 * one, persists an {@link ItemChanged} with both images, and only after the journal has made it
 * durable applies it to the store and replies. Pekko stashes commands while a persist is in
 * flight, so every command sees the store with all earlier writes applied.
 *
 * <p>Recovery starts from the store's applied sequence number (served as a snapshot by
 * {@link ItemStoreSnapshotStore}), so only the journal's un-applied tail is replayed, and those
 * events are applied to the store as they are replayed.
 */
public final class PartitionEntity extends EventSourcedBehavior<PartitionCommand, PartitionEvent, PartitionMeta> {

    public static final EntityTypeKey<PartitionCommand> TYPE_KEY =
            EntityTypeKey.create(PartitionCommand.class, "Partition");

    public static final String SNAPSHOT_PLUGIN_ID = "eddy.partition-snapshot-store";

    private final ActorContext<PartitionCommand> context;
    private final String partitionId;
    private final ItemStore store;
    /** False while replaying: replayed events must be applied to the store by the event handler. */
    private boolean recovered;

    private PartitionEntity(ActorContext<PartitionCommand> context, PartitionId partition, ItemStore store) {
        super(PersistenceId.ofUniqueId(partition.persistenceId()));
        this.context = context;
        this.partitionId = partition.entityId();
        this.store = store;
    }

    public static Behavior<PartitionCommand> create(String entityId, ItemStore store) {
        return Behaviors.setup(ctx -> new PartitionEntity(ctx, PartitionId.parseEntityId(entityId), store));
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
    public CommandHandler<PartitionCommand, PartitionEvent, PartitionMeta> commandHandler() {
        return newCommandHandlerBuilder()
                .forAnyState()
                .onCommand(GetItem.class, this::onGet)
                .onCommand(WriteItem.class, this::onWrite)
                .onCommand(ReadPage.class, this::onReadPage)
                .build();
    }

    private Effect<PartitionEvent, PartitionMeta> onGet(GetItem command) {
        command.replyTo().tell(new ItemReply.Found(store.get(command.key())));
        return Effect().none();
    }

    /** Reads see every acknowledged write: a write is applied to the store before its reply. */
    private Effect<PartitionEvent, PartitionMeta> onReadPage(ReadPage command) {
        ItemPage page = ItemPage.read(store, command.range(), command.reverse(), command.maxItems(), command.byteBudget());
        command.replyTo().tell(new ItemReply.Page(page));
        return Effect().none();
    }

    private Effect<PartitionEvent, PartitionMeta> onWrite(WriteItem command) {
        Optional<Map<String, AttributeValue>> current = store.get(command.key());
        Optional<Map<String, AttributeValue>> next;
        try {
            next = command.update().apply(current);
        } catch (DynamoException e) {
            command.replyTo().tell(new ItemReply.Rejected(e));
            return Effect().none();
        }
        if (next.equals(current)) {
            // Nothing changes: nothing to make durable, and no change event (as DynamoDB Streams).
            command.replyTo().tell(new ItemReply.Written(current, next));
            return Effect().none();
        }
        ItemChanged event = new ItemChanged(command.key(), current, next);
        return Effect().persist(event).thenRun(meta -> {
            store.apply(partitionId, meta, mutations(event));
            command.replyTo().tell(new ItemReply.Written(current, next));
        });
    }

    @Override
    public EventHandler<PartitionMeta, PartitionEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(ItemChanged.class, (PartitionMeta meta, ItemChanged event) -> apply(meta, event))
                .build();
    }

    private PartitionMeta apply(PartitionMeta meta, ItemChanged event) {
        long seqNr = lastSequenceNumber(context);
        PartitionMeta next = new PartitionMeta(
                seqNr,
                meta.itemCount() + (event.newImage().isPresent() ? 1 : 0) - (event.oldImage().isPresent() ? 1 : 0),
                meta.sizeBytes() + sizeOf(event.newImage()) - sizeOf(event.oldImage()));
        if (!recovered) {
            store.apply(partitionId, next, mutations(event));
        }
        return next;
    }

    @Override
    public SignalHandler<PartitionMeta> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), meta -> recovered = true)
                .build();
    }

    private static long sizeOf(Optional<Map<String, AttributeValue>> image) {
        return image.map(ItemSize::of).orElse(0L);
    }

    private static List<ItemMutation> mutations(ItemChanged event) {
        return List.of(event.newImage()
                .<ItemMutation>map(item -> new ItemMutation.Put(event.key(), item))
                .orElseGet(() -> new ItemMutation.Delete(event.key())));
    }
}
