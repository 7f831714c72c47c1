package io.eddy.shards;

/**
 * One action of a transaction on one item of a partition: the item's store key, the position of
 * the action in the client's request, and what it does to the item ({@code update} returns the
 * current image unchanged for a ConditionCheck; it throws a DynamoException to refuse).
 */
public record TransactionAction(int action, byte[] key, ItemUpdate update) {}
