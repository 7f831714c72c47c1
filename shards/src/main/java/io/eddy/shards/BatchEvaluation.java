package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.Bytes;
import io.eddy.model.CancellationReason;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.persistence.ItemCodec;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.ItemVersion;
import io.eddy.shards.ParticipantReply.ItemsRead;
import io.eddy.shards.ParticipantReply.Prepared;
import io.eddy.shards.ParticipantReply.ReadConfirmed;
import io.eddy.shards.ParticipantReply.ReadRefused;
import io.eddy.shards.ParticipantReply.Refused;
import io.eddy.shards.ParticipantReply.Resolved;
import io.eddy.shards.PartitionCommand.ConfirmRead;
import io.eddy.shards.PartitionCommand.PrepareTransaction;
import io.eddy.shards.PartitionCommand.ReadItems;
import io.eddy.shards.PartitionCommand.ReplicateItem;
import io.eddy.shards.PartitionCommand.ResolveTransaction;
import io.eddy.shards.PartitionCommand.Sequenced;
import io.eddy.shards.PartitionCommand.WriteItem;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionEvent.TransactionPrepared;
import io.eddy.shards.PartitionEvent.TransactionResolved;
import io.eddy.shards.PreparedTransaction.PreparedWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a partition's {@link Sequenced} commands, evaluated in order. Each command sees the
 * item store plus the changes of the commands before it in the batch, and the locks of the
 * transactions prepared so far; the result is the events to journal (in one atomic write) and the
 * answers to send once they are durable.
 *
 * <p>Isolation lives here: a prepared transaction locks its items until it is resolved, so a
 * single-item write to one of them is refused with TransactionConflictException, another
 * transaction's prepare gets a TransactionConflict reason, and a transactional read of it is
 * refused. Prepared writes are only applied when committed, so no reader ever sees them before.
 * Every change or lock of an item is reported to the {@link ReadWatches}, which is how a read
 * across partitions learns that what it read did not stay current.
 */
final class BatchEvaluation {

    private static final Logger log = LoggerFactory.getLogger(BatchEvaluation.class);

    /** A reply held back until the batch it belongs to is durable. */
    record Answer<T>(ActorRef<T> replyTo, T reply) {
        void send() {
            replyTo.tell(reply);
        }
    }

    private final String partition;
    private final ItemStore store;
    /** The partition's local indexes: a write (or a transaction's) is refused when it would overgrow its item collection. */
    private final LocalIndexes localIndexes;
    private final ReadWatches watches;
    private final long nowNanos;
    private final long timestampMicros;
    private final Map<String, PreparedTransaction> pending;
    private final Map<Bytes, String> locks = new HashMap<>();
    private final Map<Bytes, Optional<Map<String, AttributeValue>>> images = new HashMap<>();
    /** The region whose writes this partition's table takes, when the table is global; null otherwise. */
    private final String region;
    private final Map<Bytes, ItemVersion> versions = new HashMap<>();
    private final List<PartitionEvent> events = new ArrayList<>();
    private final List<Answer<?>> answers = new ArrayList<>();

    /**
     * @param timestampMicros the time of the batch's changes (one atomic journal write), for the change stream
     * @param region this node's region when the table is global (its changes are then versioned), else null
     */
    BatchEvaluation(String partition, ItemStore store, Map<String, PreparedTransaction> pending,
                    ReadWatches watches, long nowNanos, long timestampMicros, LocalIndexes localIndexes, String region) {
        this.partition = partition;
        this.region = region;
        this.localIndexes = localIndexes;
        this.store = store;
        this.watches = watches;
        this.nowNanos = nowNanos;
        this.timestampMicros = timestampMicros;
        this.pending = new HashMap<>(pending);
        for (PreparedTransaction transaction : pending.values()) lock(transaction);
    }

    List<PartitionEvent> events() {
        return events;
    }

    List<Answer<?>> answers() {
        return answers;
    }

    void evaluate(Sequenced command) {
        if (command instanceof WriteItem write) {
            write(write);
        } else if (command instanceof ReplicateItem replicated) {
            replicate(replicated);
        } else if (command instanceof PrepareTransaction prepare) {
            prepare(prepare);
        } else if (command instanceof ResolveTransaction resolve) {
            resolve(resolve);
        } else if (command instanceof ReadItems read) {
            read(read);
        } else if (command instanceof ConfirmRead confirm) {
            answers.add(new Answer<>(confirm.replyTo(), new ReadConfirmed(partition, watches.release(confirm.readId()))));
        } else {
            throw new IllegalArgumentException("not a sequenced command: " + command);
        }
    }

    private void write(WriteItem write) {
        Bytes key = Bytes.wrap(write.key());
        if (locks.containsKey(key)) {
            answers.add(new Answer<>(write.replyTo(), new ItemReply.Rejected(DynamoException.transactionConflict())));
            return;
        }
        Optional<Map<String, AttributeValue>> current = image(key);
        Optional<Map<String, AttributeValue>> next;
        try {
            next = write.update().apply(current);
            localIndexes.admit(current, next);
        } catch (DynamoException e) {
            answers.add(new Answer<>(write.replyTo(), new ItemReply.Rejected(e)));
            return;
        } catch (RuntimeException | StackOverflowError e) {
            answers.add(new Answer<>(write.replyTo(), new ItemReply.Rejected(unexpected(e))));
            return;
        }
        // Encoded once here, for the event and the store, and first to compare it with the stored item's encoding.
        Optional<Map<String, AttributeValue>> encoded = next.map(ItemCodec::encoded);
        answers.add(new Answer<>(write.replyTo(), new ItemReply.Written(current, encoded)));
        // A write that changes nothing is not journaled, and emits no change event.
        if (!encoded.equals(current)) change(key, current, encoded, write.origin());
    }

    /**
     * A fault in evaluating one write (not a refusal): that write, or its transaction, fails with a
     * 500 rather than the partition's writer, and with it every write queued behind it.
     */
    private DynamoException unexpected(Throwable e) {
        log.error("partition {}: evaluating a write failed", partition, e);
        return new DynamoException(ErrorCode.InternalServerError, "Internal server error");
    }

    /** Last writer wins: the replicated change is applied only if its version is newer than the item's. */
    private void replicate(ReplicateItem replicated) {
        Bytes key = Bytes.wrap(replicated.key());
        if (locks.containsKey(key)) {
            answers.add(new Answer<>(replicated.replyTo(), new ItemReply.Rejected(DynamoException.transactionConflict())));
            return;
        }
        Optional<Map<String, AttributeValue>> current = image(key);
        ItemVersion known = version(key);
        if (!replicated.version().newerThan(known)) {
            answers.add(new Answer<>(replicated.replyTo(), new ItemReply.Written(current, current)));
            return;
        }
        Optional<Map<String, AttributeValue>> next = replicated.newImage().map(ItemCodec::encoded);
        answers.add(new Answer<>(replicated.replyTo(), new ItemReply.Written(current, next)));
        change(key, current, next, ChangeOrigin.REPLICATION, replicated.version());
    }

    private void prepare(PrepareTransaction prepare) {
        PreparedTransaction already = pending.get(prepare.transactionId());
        if (already != null) {
            answers.add(new Answer<>(prepare.replyTo(), new Prepared(partition, already.transactionId(), already.writes())));
            return;
        }
        List<CancellationReason> reasons = new ArrayList<>();
        List<PreparedWrite> writes = new ArrayList<>();
        Map<Bytes, Long> admitted = localIndexes.savepoint();
        boolean refused = false;
        for (TransactionAction action : prepare.actions()) {
            Bytes key = Bytes.wrap(action.key());
            if (locks.containsKey(key)) {
                reasons.add(CancellationReason.transactionConflict());
                refused = true;
                continue;
            }
            Optional<Map<String, AttributeValue>> current = image(key);
            try {
                Optional<Map<String, AttributeValue>> next = action.update().apply(current);
                localIndexes.admit(current, next);
                writes.add(new PreparedWrite(action.action(), action.key(), current, next));
                reasons.add(CancellationReason.NONE);
            } catch (DynamoException e) {
                reasons.add(CancellationReason.of(e));
                refused = true;
            } catch (RuntimeException | StackOverflowError e) {
                reasons.add(CancellationReason.of(unexpected(e)));
                refused = true;
            }
        }
        if (refused) {
            // Its writes will not be made: they no longer count against the collections' limit.
            localIndexes.restore(admitted);
            answers.add(new Answer<>(prepare.replyTo(), new Refused(partition, prepare.transactionId(), reasons)));
            return;
        }
        PreparedTransaction transaction = new PreparedTransaction(prepare.transactionId(), writes);
        if (prepare.commitAtOnce()) {
            for (PreparedWrite write : writes) {
                if (write.changes()) change(Bytes.wrap(write.key()), write.oldImage(), write.newImage(), ChangeOrigin.REQUEST);
            }
            answers.add(new Answer<>(prepare.replyTo(), new Prepared(partition, transaction.transactionId(), writes)));
            return;
        }
        pending.put(transaction.transactionId(), transaction);
        lock(transaction);
        for (PreparedWrite write : writes) watches.changed(Bytes.wrap(write.key()));
        events.add(new TransactionPrepared(transaction));
        answers.add(new Answer<>(prepare.replyTo(), new Prepared(partition, transaction.transactionId(), writes)));
    }

    private void resolve(ResolveTransaction resolve) {
        PreparedTransaction transaction = pending.remove(resolve.transactionId());
        if (transaction != null) {
            unlock(transaction);
            int changes = 0;
            if (resolve.commit()) {
                for (PreparedWrite write : transaction.writes()) {
                    if (write.changes()) {
                        Bytes key = Bytes.wrap(write.key());
                        change(key, image(key), write.newImage(), ChangeOrigin.REQUEST);
                        changes++;
                    }
                }
            }
            events.add(new TransactionResolved(transaction.transactionId(), resolve.commit(), resolve.committedAtMicros(), changes));
        }
        answers.add(new Answer<>(resolve.replyTo(), new Resolved(partition, resolve.transactionId())));
    }

    private void read(ReadItems read) {
        Set<Integer> locked = new TreeSet<>();
        List<Optional<Map<String, AttributeValue>>> items = new ArrayList<>(read.keys().size());
        List<Bytes> keys = new ArrayList<>(read.keys().size());
        for (int i = 0; i < read.keys().size(); i++) {
            Bytes key = Bytes.wrap(read.keys().get(i));
            keys.add(key);
            if (locks.containsKey(key)) locked.add(i);
            else items.add(image(key));
        }
        if (!locked.isEmpty()) {
            answers.add(new Answer<>(read.replyTo(), new ReadRefused(partition, locked)));
            return;
        }
        if (read.watch()) watches.watch(read.readId(), keys, nowNanos);
        answers.add(new Answer<>(read.replyTo(), new ItemsRead(partition, items)));
    }

    private void change(Bytes key, Optional<Map<String, AttributeValue>> current, Optional<Map<String, AttributeValue>> changed,
                        ChangeOrigin origin) {
        change(key, current, changed, origin, region == null ? null : localVersion(key));
    }

    /**
     * The version of a write made here: the batch's time, or just after the item's version when
     * that is later (another region's clock ahead of ours), so a write always supersedes what it saw.
     */
    private ItemVersion localVersion(Bytes key) {
        ItemVersion known = version(key);
        return new ItemVersion(Math.max(timestampMicros, known.timestampMicros() + 1), region);
    }

    private void change(Bytes key, Optional<Map<String, AttributeValue>> current, Optional<Map<String, AttributeValue>> changed,
                        ChangeOrigin origin, ItemVersion version) {
        // Encoded once, for both the event and the store: a write's new image already is (write() compares
        // encodings), a transaction's is encoded here; the current image came from the store encoded.
        Optional<Map<String, AttributeValue>> next = changed.map(ItemCodec::encoded);
        if (version != null) versions.put(key, version);
        events.add(new ItemChanged(key.unsafeArray(), current, next, timestampMicros, origin, version));
        images.put(key, next);
        watches.changed(key);
    }

    private Optional<Map<String, AttributeValue>> image(Bytes key) {
        Optional<Map<String, AttributeValue>> image = images.get(key);
        return image != null ? image : store.get(key.unsafeArray());
    }

    /** The item's version as the commands before this one in the batch left it. */
    private ItemVersion version(Bytes key) {
        ItemVersion version = versions.get(key);
        return version != null ? version : store.version(key.unsafeArray());
    }

    private void lock(PreparedTransaction transaction) {
        for (PreparedWrite write : transaction.writes()) locks.put(Bytes.wrap(write.key()), transaction.transactionId());
    }

    private void unlock(PreparedTransaction transaction) {
        for (PreparedWrite write : transaction.writes()) locks.remove(Bytes.wrap(write.key()));
    }
}
