package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.KeyEncoding;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.StorageKeys;
import io.eddy.shards.ItemUpdate;
import io.eddy.shards.ParticipantReply;
import io.eddy.shards.PartitionCommand;
import io.eddy.shards.PartitionEntity;
import io.eddy.shards.PartitionId;
import io.eddy.shards.TransactionAction;
import io.eddy.shards.TransactionCoordinator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * A transaction held in its prepared state on one item, as a coordinator leaves it between the two
 * phases: the test plays the coordinator, sending the partition the same commands. Its id names a
 * coordinator that never ran it, so if the test does not resolve it, the partition's inquiry gets
 * it aborted.
 */
final class PendingTransaction {

    final String transactionId;
    final String partitionId;
    private final EntityRef<PartitionCommand> partition;

    private PendingTransaction(String transactionId, String partitionId, EntityRef<PartitionCommand> partition) {
        this.transactionId = transactionId;
        this.partitionId = partitionId;
        this.partition = partition;
    }

    /** Prepares a transaction that will replace the item with key {@code id} (a string partition key) by {@code next}. */
    static PendingTransaction prepare(TestNode server, String tableName, String id, Optional<Map<String, AttributeValue>> next)
            throws Exception {
        return prepare(server, TransactionCoordinator.entityIdForRequest() + "/" + UUID.randomUUID(), tableName, id, next);
    }

    /** The same, for a transaction of the given id (which names its coordinator). */
    static PendingTransaction prepare(TestNode server, String transactionId, String tableName, String id,
                                      Optional<Map<String, AttributeValue>> next) throws Exception {
        TableMetadata table = server.node.shards().tables().find(tableName).orElseThrow();
        AttributeValue pk = AttributeValue.s(id);
        int index = PartitionHash.partitionOf(PartitionHash.hash(KeyEncoding.encode(pk)), table.partitionCount());
        String partitionId = new PartitionId(table.id(), index).entityId();
        EntityRef<PartitionCommand> partition = ClusterSharding.get(server.node.system()).entityRefFor(PartitionEntity.TYPE_KEY, partitionId);
        PendingTransaction pending = new PendingTransaction(transactionId, partitionId, partition);
        ItemUpdate update = current -> next;
        TransactionAction action = new TransactionAction(0, StorageKeys.itemKey(table.id(), pk, Optional.empty()), update);
        ParticipantReply reply = pending.ask(replyTo -> new PartitionCommand.PrepareTransaction(pending.transactionId, List.of(action), false, replyTo));
        if (!(reply instanceof ParticipantReply.Prepared)) throw new AssertionError("not prepared: " + reply);
        return pending;
    }

    void commit() throws Exception {
        ask(replyTo -> new PartitionCommand.ResolveTransaction(transactionId, true, io.eddy.model.TableStream.micros(java.time.Instant.now()), replyTo));
    }

    void abort() throws Exception {
        ask(replyTo -> new PartitionCommand.ResolveTransaction(transactionId, false, 0, replyTo));
    }

    private ParticipantReply ask(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<ParticipantReply>, PartitionCommand> command)
            throws Exception {
        return partition.<ParticipantReply>ask(command::apply, Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
