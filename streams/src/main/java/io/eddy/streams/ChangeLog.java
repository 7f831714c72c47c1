package io.eddy.streams;

import io.eddy.persistence.JournalEnvelope;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.shards.PartitionEvent;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * The read side of the partitions' journal: the changes of a partition in sequence-number order,
 * read straight from Eddy's journal store. This is the one change stream every consumer reads
 * (DynamoDB Streams, TTL, triggers); each keeps its own position.
 */
public final class ChangeLog {

    /** One journaled change of a partition, at its journal sequence number. */
    public record Change(PartitionId partition, long sequenceNr, ItemChanged event) {}

    private static final int FOLLOW_BATCH = 256;

    private final JournalStore journal;
    private final Serialization serialization;

    ChangeLog(JournalStore journal, Serialization serialization) {
        this.journal = journal;
        this.serialization = serialization;
    }

    public static ChangeLog of(ActorSystem<?> system) {
        var classic = Adapter.toClassic(system);
        return new ChangeLog(JournalExtension.get(classic).store(), SerializationExtension.get(classic));
    }

    JournalStore journal() {
        return journal;
    }

    /**
     * Whether trimming has deleted the partition's event {@code sequenceNr}: it lies at or below
     * the journal's deletion mark, or the partition's events are all gone (a deleted table's,
     * dropped whole). Asked after reading from there, it also tells whether the read skipped any:
     * trimming deletes from the lowest event up, and reads skip what it marked at once.
     */
    public boolean trimmedPast(PartitionId partition, long sequenceNr) {
        String id = partition.persistenceId();
        return sequenceNr <= journal.deletedUpTo(id) || journal.lowestSequenceNr(id) == 0;
    }

    /**
     * The changes among the first {@code max} events with sequence numbers in [from, to] (a
     * partition journals transaction events too, so there may be fewer changes than events).
     */
    public List<Change> read(PartitionId partition, long from, long to, int max) {
        return readPage(partition, from, to, max).changes();
    }

    /** Changes read from the journal, and the sequence number of the last event read (from - 1 if none). */
    public record Page(List<Change> changes, long lastRead) {}

    /**
     * As {@link #read}, with the last event read: a reader moves past it even when the events
     * held no change it sees (transaction events, a global table's version-only changes).
     */
    public Page readPage(PartitionId partition, long from, long to, int max) {
        List<Change> changes = new ArrayList<>(Math.min(max, 1024));
        long last = readEvents(partition, from, to, max, changes);
        return new Page(changes, last);
    }

    /** Adds the changes among up to {@code max} events in [from, to]; answers the last sequence number read, from - 1 if none. */
    private long readEvents(PartitionId partition, long from, long to, int max, List<Change> changes) {
        return readEvents(partition, from, to, max, changes, false);
    }

    /** As above; {@code versionOnly} takes the changes that only moved an item's version too ({@link ItemChanged#visible}). */
    private long readEvents(PartitionId partition, long from, long to, int max, List<Change> changes, boolean versionOnly) {
        return replay(partition, from, to, max, changesInto(partition, changes, versionOnly));
    }

    private static BiConsumer<Long, PartitionEvent> changesInto(PartitionId partition, List<Change> changes, boolean versionOnly) {
        return (sequenceNr, event) -> {
            if (event instanceof ItemChanged changed && (versionOnly || changed.visible())) {
                changes.add(new Change(partition, sequenceNr, changed));
            }
        };
    }

    /** Gives up to {@code max} events in [from, to] to {@code action}; answers the last sequence number read, from - 1 if none. */
    private long replay(PartitionId partition, long from, long to, int max, BiConsumer<Long, PartitionEvent> action) {
        long[] last = {from - 1};
        journal.replay(partition.persistenceId(), from, to, max, event -> {
            last[0] = event.sequenceNr();
            decode(event, action);
        });
        return last[0];
    }

    private void decode(JournalStore.Event event, BiConsumer<Long, PartitionEvent> action) {
        if (JournalEnvelope.read(serialization, event.payload()).payload() instanceof PartitionEvent partitionEvent) {
            action.accept(event.sequenceNr(), partitionEvent);
        }
    }

    /**
     * The changes among the events a journal write handed to a waiting reader ({@link
     * JournalStore#nextAppend}) with the sequence number after the last one, when they go on
     * from {@code next}; otherwise (the write was one the reader had read already, or none
     * woke it) none, from {@code next}, so that the reader reads the journal.
     */
    Pair<Long, List<Change>> handedOver(PartitionId partition, long next, List<JournalStore.Event> events, boolean versionOnly) {
        int start = 0;
        while (start < events.size() && events.get(start).sequenceNr() < next) start++;
        if (start == events.size() || events.get(start).sequenceNr() != next) return Pair.create(next, List.of());
        List<Change> batch = new ArrayList<>();
        BiConsumer<Long, PartitionEvent> into = changesInto(partition, batch, versionOnly);
        long following = next;
        for (int i = start; i < events.size() && i < start + FOLLOW_BATCH && events.get(i).sequenceNr() == following; i++, following++) {
            decode(events.get(i), into);
        }
        return Pair.create(following, batch);
    }

    /**
     * Each event of the partition from {@code from} on, changes and transaction events alike, in
     * order, until {@code action} answers false or the journal ends.
     */
    public void forEachEvent(PartitionId partition, long from, BiPredicate<Long, PartitionEvent> action) {
        boolean[] going = {true};
        for (long next = from; going[0]; ) {
            long last = replay(partition, next, Long.MAX_VALUE, FOLLOW_BATCH, (sequenceNr, event) -> {
                if (going[0]) going[0] = action.test(sequenceNr, event);
            });
            if (last < next) return;
            next = last + 1;
        }
    }

    /** Each change with a sequence number in [from, to], in order, read a batch at a time. */
    public void forEach(PartitionId partition, long from, long to, Consumer<Change> action) {
        List<Change> batch = new ArrayList<>();
        for (long next = from; next <= to; ) {
            batch.clear();
            long last = readEvents(partition, next, to, FOLLOW_BATCH, batch);
            batch.forEach(action);
            if (last < next) return;
            next = last + 1;
        }
    }

    /**
     * The partition's changes from {@code from} on, live: once it has caught up it waits for the
     * journal's next durable write of the partition, takes the events that write hands over and
     * reads again. Never completes.
     */
    public Source<Change, NotUsed> follow(PartitionId partition, long from, Executor executor) {
        return followBatches(partition, from, executor).mapConcat(batch -> batch);
    }

    /**
     * As {@link #follow}, a batch per read; a batch may be empty (the events read were transaction
     * events, or the partition's events were dropped with its table).
     */
    public Source<List<Change>, NotUsed> followBatches(PartitionId partition, long from, Executor executor) {
        return followBatches(partition, from, executor, false);
    }

    /**
     * As {@link #followBatches(PartitionId, long, Executor)}; with {@code versionOnly}, also the
     * changes that only moved a global table's item version, which its replicas must hear of.
     */
    public Source<List<Change>, NotUsed> followBatches(PartitionId partition, long from, Executor executor, boolean versionOnly) {
        return followBatches(partition, from, executor, versionOnly, null);
    }

    /**
     * As {@link #followBatches(PartitionId, long, Executor)}, woken also when the future
     * {@code orWhen} gives completes, with an empty batch when that finds nothing new in the
     * partition: so a reader can end while nothing comes (a stream's shard, once its stream has
     * ended). {@code orWhen} is asked each time the reader waits; a future it gives is best
     * shared among readers.
     */
    public Source<List<Change>, NotUsed> followBatches(PartitionId partition, long from, Executor executor,
                                                       Supplier<CompletableFuture<?>> orWhen) {
        return followBatches(partition, from, executor, false, orWhen);
    }

    private Source<List<Change>, NotUsed> followBatches(PartitionId partition, long from, Executor executor, boolean versionOnly,
                                                        Supplier<CompletableFuture<?>> orWhen) {
        String id = partition.persistenceId();
        return Source.fromMaterializer((materializer, attributes) -> {
                    // Completed when this run of the source ends, so that a wait it leaves behind is
                    // taken off the partition's: a stopped feed of an idle partition would otherwise
                    // keep its stage there until the partition's next write.
                    CompletableFuture<Void> stopped = new CompletableFuture<>();
                    return Source.<Long, List<Change>>unfoldAsync(from, next -> {
                                // Taken before reading, so a write landing during the read still
                                // wakes us; waited on (a callback added) only when the read found nothing.
                                CompletableFuture<List<JournalStore.Event>> appended = journal.nextAppend(id);
                                List<Change> batch = new ArrayList<>();
                                long last = readEvents(partition, next, Long.MAX_VALUE, FOLLOW_BATCH, batch, versionOnly);
                                // Past transaction events too: a run of aborted transactions holds no change.
                                if (last >= next) return CompletableFuture.completedFuture(Optional.of(Pair.create(last + 1, batch)));
                                // anyOf takes its callback off the others when one of them fires.
                                CompletableFuture<?> wake = orWhen == null
                                        ? CompletableFuture.anyOf(appended, stopped)
                                        : CompletableFuture.anyOf(appended, stopped, orWhen.get());
                                // The write that woke us hands its events over: not read back.
                                return wake.thenApplyAsync(ignored -> Optional.of(
                                        handedOver(partition, next, appended.getNow(List.of()), versionOnly)), executor);
                            })
                            .watchTermination((notUsed, done) -> {
                                done.whenComplete((ignored, failure) -> stopped.complete(null));
                                return notUsed;
                            });
                })
                .mapMaterializedValue(ignored -> NotUsed.getInstance());
    }

    /** The first change at or after {@code from}, past any transaction events there. */
    public Optional<Change> first(PartitionId partition, long from) {
        List<Change> found = new ArrayList<>(1);
        for (long next = from; ; ) {
            long last = readEvents(partition, next, Long.MAX_VALUE, 4, found);
            if (!found.isEmpty()) return Optional.of(found.get(0));
            if (last < next) return Optional.empty();
            next = last + 1;
        }
    }

    /** The sequence number of the partition's last change, 0 if none. */
    public long highestSequenceNr(PartitionId partition) {
        return journal.highestSequenceNr(partition.persistenceId());
    }

    /**
     * The sequence number of the first change journaled at or after {@code timestampMicros}; when
     * there is none, the number after the last change before it (events that are not changes, a
     * transaction's, may follow that change, so this is not always past the journal's end: ask
     * {@link #first} whether a change is there). A partition's change timestamps never decrease,
     * so this is a binary search of a few journal reads.
     */
    public long firstAtOrAfter(PartitionId partition, long timestampMicros) {
        long lo = journal.lowestSequenceNr(partition.persistenceId());
        long hi = highestSequenceNr(partition) + 1;
        if (lo == 0) return hi;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            Optional<Change> at = first(partition, mid);
            if (at.isEmpty()) {
                hi = mid;
            } else if (at.get().event().timestampMicros() >= timestampMicros) {
                hi = mid;
            } else {
                lo = at.get().sequenceNr() + 1;
            }
        }
        return lo;
    }
}
