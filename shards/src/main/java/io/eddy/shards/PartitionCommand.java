package io.eddy.shards;

import io.eddy.persistence.KeyRange;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** What a partition entity is asked to do. Keys are item-store keys ({@code StorageKeys.itemKey}). */
public sealed interface PartitionCommand {

    record GetItem(byte[] key, ActorRef<ItemReply> replyTo) implements PartitionCommand {}

    /**
     * A page of the items in {@code range} (which lies within the partition's hash range): at most
     * {@code maxItems}, stopping once {@code byteBudget} bytes are read; answered with a Page.
     */
    record ReadPage(KeyRange range, boolean reverse, int maxItems, long byteBudget, ActorRef<ItemReply> replyTo)
            implements PartitionCommand {}

    /**
     * The commands that see and change the partition's state in one total order: they travel to
     * the partition's writer in batches, in arrival order, and each is evaluated after the ones
     * before it. Their answers go out once everything the batch changed is durable.
     */
    sealed interface Sequenced extends PartitionCommand {}

    /** A write; {@code origin} says who makes it (the stream records of TTL deletions say so). */
    record WriteItem(byte[] key, ItemUpdate update, ChangeOrigin origin, ActorRef<ItemReply> replyTo) implements Sequenced {

        public WriteItem(byte[] key, ItemUpdate update, ActorRef<ItemReply> replyTo) {
            this(key, update, ChangeOrigin.REQUEST, replyTo);
        }
    }

    /**
     * A change another region's replica of a global table made to an item: its new image (empty
     * for a delete) and its version. Applied only over an older version of the item (last writer
     * wins), else ignored; answered with Written either way, or Rejected while a transaction holds the item.
     */
    record ReplicateItem(byte[] key, java.util.Optional<java.util.Map<String, io.eddy.model.AttributeValue>> newImage,
                         io.eddy.persistence.ItemVersion version, ActorRef<ItemReply> replyTo) implements Sequenced {}

    /**
     * Phase one of a transaction at this partition: check every action against the current items
     * and lock them, or refuse with a reason per action. Answered with Prepared or Refused. With
     * {@code commitAtOnce} (a transaction whose items are all here) the writes are committed in
     * the same step instead of locked: one phase, one atomic journal write.
     */
    record PrepareTransaction(String transactionId, List<TransactionAction> actions, boolean commitAtOnce,
                              ActorRef<ParticipantReply> replyTo) implements Sequenced {}

    /** Phase two: commit (write the prepared images) or abort; either way unlock. Answered with Resolved. */
    record ResolveTransaction(String transactionId, boolean commit, long committedAtMicros, ActorRef<ParticipantReply> replyTo)
            implements Sequenced {}

    /**
     * A transactional read of some of the partition's items, in one step of its order: refused for
     * items a prepared transaction holds. With {@code watch}, every later change to the items is
     * noted until {@link ConfirmRead} asks for it. Answered with ItemsRead or ReadRefused.
     */
    record ReadItems(String readId, List<byte[]> keys, boolean watch, ActorRef<ParticipantReply> replyTo)
            implements Sequenced {}

    /** Ends a watched read: answered with ReadConfirmed, saying which items changed since. */
    record ConfirmRead(String readId, ActorRef<ParticipantReply> replyTo) implements Sequenced {}

    /** Starts the partition (and so the resolution of transactions it had prepared); does nothing else. */
    record Wake() implements PartitionCommand {}

    /**
     * From the partition's writer: recovery is done, the item store holds every durable write;
     * {@code replayedEvents} journal events were replayed to get there (the un-applied tail).
     */
    record WriterReady(long replayedEvents) implements PartitionCommand {}

    /** The node's catalog has recovered: a partition started before it can read its table's local indexes. */
    record CatalogReady() implements PartitionCommand {}

    /** From the partition's writer: the batch it was given is durable and applied (or refused). */
    record BatchDone() implements PartitionCommand {}

    /** From Cluster Sharding, to passivate: stop once no write is in flight or waiting. */
    record Stop() implements PartitionCommand {}

    /** The partition's own timer: a stopping partition's grace period for commands sent straight to it is over. */
    record GraceOver() implements PartitionCommand {}
}
