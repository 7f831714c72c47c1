package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.CancellationReason;
import io.eddy.model.DynamoException;
import io.eddy.shards.ParticipantReply.ItemsRead;
import io.eddy.shards.ParticipantReply.ReadConfirmed;
import io.eddy.shards.ParticipantReply.ReadRefused;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * TransactGetItems: a serializable snapshot of items across partitions, without locking out writers.
 *
 * <p>Each partition reads its items in one step of its command order, refusing items that a
 * prepared transaction holds (the read is cancelled with TransactionConflict for them). Items in
 * one partition are then already a snapshot. Across partitions, each also watches the items it
 * read, and once every partition has answered a second round asks whether any of them changed or
 * was locked since: if none did, every item read was current at one instant (after the last read,
 * before the first confirmation), which is the snapshot; otherwise the read conflicted with a
 * write and is cancelled with TransactionConflict for the changed items, as DynamoDB does.
 */
final class TransactionReads {

    /** An item to read: where it is, and its position in the request. */
    record Located(String partition, byte[] storageKey, int position) {}

    private final PartitionAsks partitions;
    private final ActorRef<ParticipantReply> ignore;

    TransactionReads(PartitionAsks partitions, ActorRef<ParticipantReply> ignore) {
        this.partitions = partitions;
        this.ignore = ignore;
    }

    /** The items in request order; fails with TransactionCanceledException on a conflict. */
    CompletionStage<List<Optional<Map<String, AttributeValue>>>> read(List<Located> items) {
        Map<String, List<Located>> byPartition = new LinkedHashMap<>();
        for (Located item : items) byPartition.computeIfAbsent(item.partition(), p -> new ArrayList<>()).add(item);
        boolean watch = byPartition.size() > 1;
        String readId = UUID.randomUUID().toString();

        Map<String, CompletableFuture<ParticipantReply>> reads = new LinkedHashMap<>();
        byPartition.forEach((partition, located) -> {
            List<byte[]> keys = located.stream().map(Located::storageKey).toList();
            reads.put(partition, ask(partition, replyTo -> new PartitionCommand.ReadItems(readId, keys, watch, replyTo)));
        });
        return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<Optional<Map<String, AttributeValue>>> result = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) result.add(Optional.empty());
            List<Integer> conflicts = new ArrayList<>();
            byPartition.forEach((partition, located) -> {
                ParticipantReply reply = reads.get(partition).join();
                if (reply instanceof ReadRefused refused) {
                    refused.locked().forEach(i -> conflicts.add(located.get(i).position()));
                } else {
                    List<Optional<Map<String, AttributeValue>>> found = ((ItemsRead) reply).items();
                    for (int i = 0; i < located.size(); i++) result.set(located.get(i).position(), found.get(i));
                }
            });
            if (!conflicts.isEmpty()) {
                if (watch) byPartition.keySet().forEach(partition -> release(partition, readId));
                throw cancelled(items.size(), conflicts);
            }
            if (!watch) return CompletableFuture.completedFuture(result);
            return confirm(readId, byPartition).thenApply(changed -> {
                if (!changed.isEmpty()) throw cancelled(items.size(), changed);
                return result;
            });
        });
    }

    /** Ends a watch whose answer nobody needs any more. */
    private void release(String partition, String readId) {
        partitions.viaSharding(partition).tell(new PartitionCommand.ConfirmRead(readId, ignore));
    }

    /** The positions of the items that changed since they were read, in all partitions. */
    private CompletableFuture<List<Integer>> confirm(String readId, Map<String, List<Located>> byPartition) {
        Map<String, CompletableFuture<ParticipantReply>> confirms = new LinkedHashMap<>();
        byPartition.keySet().forEach(partition ->
                confirms.put(partition, ask(partition, replyTo -> new PartitionCommand.ConfirmRead(readId, replyTo))));
        return CompletableFuture.allOf(confirms.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Integer> changed = new ArrayList<>();
            byPartition.forEach((partition, located) -> {
                Optional<Set<Integer>> positions = ((ReadConfirmed) confirms.get(partition).join()).changed();
                if (positions.isEmpty()) located.forEach(item -> changed.add(item.position()));
                else positions.get().forEach(i -> changed.add(located.get(i).position()));
            });
            return changed;
        });
    }

    private static DynamoException cancelled(int count, List<Integer> conflicts) {
        List<CancellationReason> reasons = new ArrayList<>(count);
        for (int i = 0; i < count; i++) reasons.add(CancellationReason.NONE);
        for (int position : conflicts) reasons.set(position, CancellationReason.transactionConflict());
        return DynamoException.transactionCanceled(reasons);
    }

    private CompletableFuture<ParticipantReply> ask(String partition,
                                                    java.util.function.Function<ActorRef<ParticipantReply>, PartitionCommand> command) {
        return partitions.ask(partition, command);
    }
}
