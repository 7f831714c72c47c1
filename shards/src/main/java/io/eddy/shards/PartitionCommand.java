package io.eddy.shards;

import org.apache.pekko.actor.typed.ActorRef;

/** What a partition entity is asked to do. Keys are item-store keys ({@code StorageKeys.itemKey}). */
public sealed interface PartitionCommand {

    record GetItem(byte[] key, ActorRef<ItemReply> replyTo) implements PartitionCommand {}

    record WriteItem(byte[] key, ItemUpdate update, ActorRef<ItemReply> replyTo) implements PartitionCommand {}
}
