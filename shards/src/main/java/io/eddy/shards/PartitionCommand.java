package io.eddy.shards;

import io.eddy.persistence.KeyRange;
import org.apache.pekko.actor.typed.ActorRef;

/** What a partition entity is asked to do. Keys are item-store keys ({@code StorageKeys.itemKey}). */
public sealed interface PartitionCommand {

    record GetItem(byte[] key, ActorRef<ItemReply> replyTo) implements PartitionCommand {}

    /** A write; {@code origin} says who makes it (the stream records of TTL deletions say so). */
    record WriteItem(byte[] key, ItemUpdate update, ChangeOrigin origin, ActorRef<ItemReply> replyTo)
            implements PartitionCommand {

        public WriteItem(byte[] key, ItemUpdate update, ActorRef<ItemReply> replyTo) {
            this(key, update, ChangeOrigin.REQUEST, replyTo);
        }
    }

    /**
     * A page of the items in {@code range} (which lies within the partition's hash range): at most
     * {@code maxItems}, stopping once {@code byteBudget} bytes are read; answered with a Page.
     */
    record ReadPage(KeyRange range, boolean reverse, int maxItems, long byteBudget, ActorRef<ItemReply> replyTo)
            implements PartitionCommand {}

    /** From the partition's writer: recovery is done, the item store holds every durable write. */
    record WriterReady() implements PartitionCommand {}

    /** From the partition's writer: the batch it was given is durable and applied (or refused). */
    record BatchDone() implements PartitionCommand {}

    /** From Cluster Sharding, to passivate: stop once no write is in flight or waiting. */
    record Stop() implements PartitionCommand {}
}
