package io.eddy.shards;

import io.eddy.persistence.ItemPage;
import io.eddy.persistence.ItemStore;
import io.eddy.shards.PartitionCommand.BatchDone;
import io.eddy.shards.PartitionCommand.CatalogReady;
import io.eddy.shards.PartitionCommand.GetItem;
import io.eddy.shards.PartitionCommand.GraceOver;
import io.eddy.shards.PartitionCommand.ReadPage;
import io.eddy.shards.PartitionCommand.Sequenced;
import io.eddy.shards.PartitionCommand.Stop;
import io.eddy.shards.PartitionCommand.Wake;
import io.eddy.shards.PartitionCommand.WriterReady;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One partition of a table, as Cluster Sharding hosts it. It owns a {@link PartitionWriter} (the
 * event-sourced part) and stands in front of it so that neither reads nor writes wait for one
 * persist at a time:
 * <ul>
 *   <li>reads are answered from the item store at once, which holds every acknowledged write
 *       (the writer applies a batch before it replies);</li>
 *   <li>writes (and the other {@link Sequenced} commands: transaction phases, transactional
 *       reads) that arrive while a batch is being persisted are gathered into the next batch, so
 *       a busy partition makes one journal append per batch rather than per write.</li>
 * </ul>
 * Until the writer has recovered (replayed the journal's un-applied tail into the store) every
 * command waits, so no read can miss a durable write. From then on the partition is in
 * {@link RecoveredPartitions} and {@link Shards} reads its store directly, without a message.
 */
public final class PartitionEntity extends AbstractBehavior<PartitionCommand> {

    public static final EntityTypeKey<PartitionCommand> TYPE_KEY =
            EntityTypeKey.create(PartitionCommand.class, "Partition");

    /** Most writes in one batch: bounds the latency a batch adds to the writes behind it. */
    static final int MAX_BATCH = 512;
    private static final int STASH_CAPACITY = 100_000;
    /** How long a stopping partition still takes commands sent straight to it (see {@link #onStop}). */
    private static final Duration STOP_GRACE = Duration.ofMillis(250);

    private final ItemStore store;
    private final String entityId;
    private final RecoveredPartitions recovered;
    private final ActorRef<PartitionWriter.Command> writer;
    private final StashBuffer<PartitionCommand> startup;
    private final List<Sequenced> waiting = new ArrayList<>();
    private boolean ready;
    private boolean batchInFlight;
    private boolean stopping;
    private boolean graceOver;

    private PartitionEntity(ActorContext<PartitionCommand> context, StashBuffer<PartitionCommand> startup,
                            PartitionId partition, ItemStore store, RecoveredPartitions recovered, TableRegistry tables) {
        super(context);
        this.store = store;
        this.entityId = partition.entityId();
        this.recovered = recovered;
        this.startup = startup;
        // Local indexes are fixed when the table is created, so the partition reads them once.
        LocalIndexes localIndexes = LocalIndexes.of(tables.findById(partition.tableId()), partition, store,
                context.getSystem().settings().config().getBytes("eddy.item-collection-size-limit"));
        // A global table's changes carry versions: the table gains replicas while partitions run, so it is asked per batch.
        String region = context.getSystem().settings().config().getString("eddy.region");
        java.util.function.Supplier<String> versioningRegion = () -> tables.findById(partition.tableId())
                .filter(table -> !table.options().replicas().isEmpty()).map(table -> region).orElse(null);
        this.writer = context.spawn(PartitionWriter.create(partition, store, context.getSelf(), localIndexes, versioningRegion),
                "writer");
        context.watch(writer);
    }

    public static Behavior<PartitionCommand> create(String entityId, ItemStore store, RecoveredPartitions recovered,
                                                    TableRegistry tables) {
        PartitionId partition = PartitionId.parseEntityId(entityId);
        return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(ctx -> {
            if (tables.ready().toCompletableFuture().isDone()) return new PartitionEntity(ctx, stash, partition, store, recovered, tables);
            // Started before this node's catalog has recovered (a peer's request, a wake at start): its
            // local indexes are read from the catalog, once, so everything waits for it.
            ctx.pipeToSelf(tables.ready(), (done, failure) -> new CatalogReady());
            return Behaviors.receive(PartitionCommand.class)
                    .onMessage(CatalogReady.class, ready -> stash.unstashAll(new PartitionEntity(ctx, stash, partition, store, recovered, tables)))
                    .onMessage(PartitionCommand.class, command -> {
                        stash.stash(command);
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    @Override
    public Receive<PartitionCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(WriterReady.class, this::onWriterReady)
                .onMessage(GetItem.class, this::onGet)
                .onMessage(ReadPage.class, this::onReadPage)
                .onMessage(Sequenced.class, this::onSequenced)
                .onMessage(Wake.class, wake -> ready ? this : stash(wake))
                .onMessage(BatchDone.class, this::onBatchDone)
                .onMessage(Stop.class, this::onStop)
                .onMessage(GraceOver.class, over -> {
                    graceOver = true;
                    return stopIfIdle();
                })
                .onSignal(Terminated.class, terminated -> Behaviors.stopped())
                .onSignal(PostStop.class, stopped -> {
                    recovered.stopped(entityId, getContext().getSelf());
                    return this;
                })
                .build();
    }

    private Behavior<PartitionCommand> onWriterReady(WriterReady ready) {
        this.ready = true;
        recovered.recovered(entityId, getContext().getSelf(), ready.replayedEvents());
        return startup.unstashAll(this);
    }

    private Behavior<PartitionCommand> onGet(GetItem command) {
        if (!ready) return stash(command);
        command.replyTo().tell(new ItemReply.Found(store.get(command.key())));
        return this;
    }

    /** A Query or Scan page of this partition's items, read at once like GetItem. */
    private Behavior<PartitionCommand> onReadPage(ReadPage command) {
        if (!ready) return stash(command);
        ItemPage page = ItemPage.read(store, command.range(), command.reverse(), command.maxItems(), command.byteBudget());
        command.replyTo().tell(new ItemReply.Page(page));
        return this;
    }

    private Behavior<PartitionCommand> onSequenced(Sequenced command) {
        if (!ready) return stash(command);
        waiting.add(command);
        if (!batchInFlight) sendBatch();
        return this;
    }

    private Behavior<PartitionCommand> onBatchDone(BatchDone done) {
        batchInFlight = false;
        if (!waiting.isEmpty()) sendBatch();
        return stopIfIdle();
    }

    /**
     * Passivation: from now on commands come through Cluster Sharding, which holds them until this
     * incarnation has stopped. Commands sent straight here by a caller that looked the entity up
     * just before are still taken during a grace period; every write accepted is finished
     * (durable and answered) before the entity stops.
     */
    private Behavior<PartitionCommand> onStop(Stop stop) {
        if (!ready) return Behaviors.stopped();
        recovered.stopped(entityId, getContext().getSelf());
        stopping = true;
        getContext().scheduleOnce(STOP_GRACE, getContext().getSelf(), new GraceOver());
        return this;
    }

    private Behavior<PartitionCommand> stopIfIdle() {
        return stopping && graceOver && !batchInFlight && waiting.isEmpty() ? Behaviors.stopped() : this;
    }

    private void sendBatch() {
        int size = Math.min(waiting.size(), MAX_BATCH);
        List<Sequenced> batch = List.copyOf(waiting.subList(0, size));
        waiting.subList(0, size).clear();
        batchInFlight = true;
        writer.tell(new PartitionWriter.ApplyBatch(batch));
    }

    private Behavior<PartitionCommand> stash(PartitionCommand command) {
        startup.stash(command);
        return this;
    }
}
