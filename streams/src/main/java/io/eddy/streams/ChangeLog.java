package io.eddy.streams;

import io.eddy.persistence.JournalEnvelope;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

    /** Up to {@code max} changes with sequence numbers in [from, to]. */
    public List<Change> read(PartitionId partition, long from, long to, int max) {
        List<Change> changes = new ArrayList<>(Math.min(max, 1024));
        journal.replay(partition.persistenceId(), from, to, max, event -> {
            Object payload = JournalEnvelope.read(serialization, event.payload()).payload();
            if (payload instanceof ItemChanged changed) changes.add(new Change(partition, event.sequenceNr(), changed));
        });
        return changes;
    }

    /**
     * The partition's changes from {@code from} on, live: once it has caught up it waits for the
     * journal's next durable write and reads again. Never completes.
     */
    public Source<Change, NotUsed> follow(PartitionId partition, long from, Executor executor) {
        return followBatches(partition, from, executor).mapConcat(batch -> batch);
    }

    /**
     * As {@link #follow}, a batch per read, and an empty one each time a durable write anywhere in
     * the journal finds nothing new in the partition: so a reader can end while nothing comes.
     */
    public Source<List<Change>, NotUsed> followBatches(PartitionId partition, long from, Executor executor) {
        return Source.<Long, List<Change>>unfoldAsync(from, next -> {
                    // Taken before reading, so a write landing during the read still wakes us. No
                    // timeout: a waiting reader holds one callback on the journal, however long it waits.
                    CompletableFuture<Void> appended = journal.nextAppend();
                    List<Change> batch = read(partition, next, Long.MAX_VALUE, FOLLOW_BATCH);
                    if (!batch.isEmpty()) {
                        long after = batch.get(batch.size() - 1).sequenceNr() + 1;
                        return CompletableFuture.completedFuture(Optional.of(Pair.create(after, batch)));
                    }
                    return appended.thenApplyAsync(ignored -> Optional.of(Pair.create(next, List.<Change>of())), executor);
                });
    }

    /** The first change at or after {@code from}. */
    public Optional<Change> first(PartitionId partition, long from) {
        List<Change> one = read(partition, from, Long.MAX_VALUE, 1);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /** The sequence number of the partition's last change, 0 if none. */
    public long highestSequenceNr(PartitionId partition) {
        return journal.highestSequenceNr(partition.persistenceId());
    }

    /**
     * The sequence number of the first change journaled at or after {@code timestampMicros}, or
     * the next sequence number to be written when there is none. A partition's change timestamps
     * never decrease, so this is a binary search of a few journal reads.
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
