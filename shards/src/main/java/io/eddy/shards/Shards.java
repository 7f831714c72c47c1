package io.eddy.shards;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.query.KeyCondition;
import io.eddy.persistence.ItemPage;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.persistence.KeyEncoding;
import io.eddy.persistence.PartitionHash;
import io.eddy.persistence.PartitionMeta;
import io.eddy.persistence.StorageKeys;
import io.eddy.shards.CatalogCommand.CatalogReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * The shards of one node, as the gateway sees them: the table catalog and the partition entities
 * behind Cluster Sharding. It turns a table and a key into a partition (by a 64-bit hash of the
 * encoded partition key) and asks that partition's entity.
 */
public final class Shards {

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final ActorRef<CatalogCommand> catalog;
    private final TableRegistry registry;
    private final ItemStore store;
    private final RecoveredPartitions recovered;
    private final Duration askTimeout;
    private final PartitionAsks partitions;
    private final RangeReads rangeReads;
    private final TransactionReads transactionReads;

    private Shards(ActorSystem<?> system) {
        this.system = system;
        this.store = StorageExtension.get(system).itemStore();
        this.recovered = StorageExtension.get(system).recoveredPartitions();
        this.registry = new TableRegistry();
        this.askTimeout = system.settings().config().getDuration("eddy.request-timeout");

        // The catalog first: its recovery (journal, event replay) then overlaps with forming the cluster.
        this.catalog = system.systemActorOf(TableCatalog.create(registry, store), "table-catalog", Props.empty());
        // A single node forms its own cluster; the same code runs on N nodes with seed nodes.
        Cluster cluster = Cluster.get(system);
        if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        this.sharding = ClusterSharding.get(system);
        // Partitions are never passivated for idleness: a table has a handful, and the writes of a
        // recovered partition go straight to its entity, unseen by the shard's idle tracking. They
        // stop only when their shard is handed off or the node shuts down.
        sharding.init(Entity.of(PartitionEntity.TYPE_KEY, ctx -> PartitionEntity.create(ctx.getEntityId(), store, recovered, registry))
                .withStopMessage(new PartitionCommand.Stop())
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
        sharding.init(Entity.of(TransactionCoordinator.TYPE_KEY,
                ctx -> TransactionCoordinator.create(ctx.getEntityId(), ctx.getShard()))
                .withStopMessage(new TransactionCoordinator.Stop()));
        this.partitions = new PartitionAsks(sharding, recovered, askTimeout, system.scheduler());
        this.rangeReads = new RangeReads(partitions, store, recovered);
        this.transactionReads = new TransactionReads(partitions, system.ignoreRef());
        // Partitions that hold prepared transactions (the node stopped mid-transaction) start once the
        // catalog has recovered, so that they ask the coordinators for the outcome and release their locks;
        // so do those whose journal runs past what the store applied (see wakeUnapplied).
        registry.ready().thenRun(() -> {
            Set<String> wake = new LinkedHashSet<>(store.partitionsWithRecords());
            wakeUnapplied(wake);
            for (String partition : wake) {
                partitions.viaSharding(partition).tell(new PartitionCommand.Wake());
            }
        });
    }

    /**
     * Adds the partitions whose journal runs past the store's applied sequence number: a crash left
     * their tail unapplied, and after a power loss perhaps a prepared transaction the store lost. They
     * replay it at start rather than at their first request, which would otherwise wait for it (and
     * meet the transaction's lock until its coordinator is asked).
     */
    private void wakeUnapplied(Set<String> wake) {
        JournalStore journal = JournalExtension.get(Adapter.toClassic(system)).store();
        for (TableMetadata table : registry.all().values()) {
            for (int p = 0; p < table.partitionCount(); p++) {
                PartitionId partition = new PartitionId(table.id(), p);
                if (journal.highestSequenceNr(partition.persistenceId()) > store.meta(partition.entityId()).appliedSeqNr()) {
                    wake.add(partition.entityId());
                }
            }
        }
    }

    /** The Pekko settings a node's actor system needs (cluster provider, journal, serializers), as a fallback layer. */
    public static Config nodeConfig() {
        return ConfigFactory.parseResources(Shards.class.getClassLoader(), "eddy-shards.conf");
    }

    public static Shards start(ActorSystem<?> system) {
        return new Shards(system);
    }

    public TableRegistry tables() {
        return registry;
    }

    /**
     * The partitions running on this node that have recovered and serve reads and writes (those
     * still replaying their journal, or not yet started, are not counted), and what their
     * recoveries replayed, for the metrics.
     */
    public RecoveredPartitions partitions() {
        return recovered;
    }

    /** Completes when the catalog has recovered, so table lookups see every durable table. */
    public CompletionStage<Void> ready() {
        return registry.ready();
    }

    public CompletionStage<TableMetadata> createTable(TableMetadata table) {
        return askCatalog(replyTo -> new CatalogCommand.CreateTable(table, replyTo));
    }

    public CompletionStage<TableMetadata> deleteTable(String name) {
        return deleteTable(name, table -> {});
    }

    /** Deletes the table unless {@code check}, run in the catalog on its latest metadata, refuses. */
    public CompletionStage<TableMetadata> deleteTable(String name, Consumer<TableMetadata> check) {
        return askCatalog(replyTo -> new CatalogCommand.DeleteTable(name, check, replyTo));
    }

    public CompletionStage<TableMetadata> updateTable(String name, java.util.function.UnaryOperator<TableMetadata> change) {
        return askCatalog(replyTo -> new CatalogCommand.UpdateTable(name, change, replyTo));
    }

    /**
     * Completes once the catalog has handled every command sent to it before this one (it handles
     * them in order; this is a change of the table that changes nothing, answered whether or not
     * the table is there): after a create or delete that got no answer in time, the registry then
     * shows whether it happened. Asks up to {@code attempts} times; fails only when the catalog
     * answers none of them in time.
     */
    public CompletionStage<Void> awaitCatalog(String tableName, int attempts) {
        return askCatalog(replyTo -> new CatalogCommand.UpdateTable(tableName, table -> table, replyTo)).handle((table, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            return cause == null || cause instanceof DynamoException ? CompletableFuture.<Void>completedFuture(null)
                    : attempts > 1 ? awaitCatalog(tableName, attempts - 1) : CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(next -> next);
    }

    private CompletionStage<TableMetadata> askCatalog(Function<ActorRef<CatalogReply>, CatalogCommand> command) {
        return Replies.of(AskPattern.<CatalogCommand, CatalogReply>ask(catalog, command::apply, askTimeout, system.scheduler()))
                .thenApply(reply -> {
                    if (reply instanceof CatalogCommand.Rejected r) throw r.error();
                    return ((CatalogCommand.Done) reply).table();
                });
    }

    /** The item with this (validated) primary key, if it exists. */
    public CompletionStage<Optional<Map<String, AttributeValue>>> getItem(TableMetadata table, Map<String, AttributeValue> key) {
        Located at = locate(table, key);
        if (recovered.isRecovered(at.entityId)) return CompletableFuture.completedFuture(store.get(at.storageKey));
        return partitions.ask(at.entityId, (ActorRef<ItemReply> replyTo) -> new PartitionCommand.GetItem(at.storageKey, replyTo))
                .thenApply(reply -> ((ItemReply.Found) unwrap(reply)).item());
    }

    /** Runs {@code update} on the item with this (validated) primary key inside its partition. */
    public CompletionStage<ItemReply.Written> writeItem(TableMetadata table, Map<String, AttributeValue> key, ItemUpdate update) {
        return writeItem(table, key, update, ChangeOrigin.REQUEST);
    }

    /** A write made by {@code origin}: the service's own writes (TTL deletions) are marked so in the change stream. */
    public CompletionStage<ItemReply.Written> writeItem(TableMetadata table, Map<String, AttributeValue> key, ItemUpdate update,
                                                       ChangeOrigin origin) {
        Located at = locate(table, key);
        return partitions.ask(at.entityId, (ActorRef<ItemReply> replyTo) -> new PartitionCommand.WriteItem(at.storageKey, update, origin, replyTo))
                .thenApply(reply -> (ItemReply.Written) unwrap(reply));
    }

    /**
     * Applies a change another region's replica made to the item with this key (a global table's
     * replication): {@code newImage}, empty to delete, if {@code version} is newer than the item's.
     */
    public CompletionStage<ItemReply.Written> replicateItem(TableMetadata table, Map<String, AttributeValue> key,
                                                            Optional<Map<String, AttributeValue>> newImage,
                                                            io.eddy.persistence.ItemVersion version) {
        Located at = locate(table, key);
        return partitions.ask(at.entityId, (ActorRef<ItemReply> replyTo) ->
                        new PartitionCommand.ReplicateItem(at.storageKey, newImage, version, replyTo))
                .thenApply(reply -> (ItemReply.Written) unwrap(reply));
    }

    /**
     * Runs a TransactWriteItems transaction: all of {@code writes} or none. {@code requestHash}
     * identifies the request for ClientRequestToken idempotency.
     */
    public CompletionStage<TransactionOutcome> transactWrite(Optional<String> clientRequestToken, String requestHash,
                                                             List<TransactionWrite> writes) {
        Map<String, List<TransactionAction>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            TransactionWrite write = writes.get(i);
            Located at = locate(write.table(), write.key());
            byPartition.computeIfAbsent(at.entityId, p -> new ArrayList<>()).add(new TransactionAction(i, at.storageKey, write.update()));
        }
        if (clientRequestToken.isEmpty() && byPartition.size() == 1) {
            // All in one partition and nothing to remember: one phase, no coordinator.
            Map.Entry<String, List<TransactionAction>> only = byPartition.entrySet().iterator().next();
            String transactionId = TransactionCoordinator.entityIdForRequest() + "/0";
            return partitions.ask(only.getKey(), (ActorRef<ParticipantReply> replyTo) ->
                            new PartitionCommand.PrepareTransaction(transactionId, only.getValue(), true, replyTo))
                    .thenApply(reply -> reply instanceof ParticipantReply.Prepared prepared
                            ? new TransactionOutcome.Committed(prepared.writes())
                            : new TransactionOutcome.Cancelled(((ParticipantReply.Refused) reply).reasons()));
        }
        List<TransactionCoordinator.ParticipantWork> participants = new ArrayList<>();
        byPartition.forEach((partition, actions) -> participants.add(new TransactionCoordinator.ParticipantWork(partition, actions)));
        String coordinator = clientRequestToken.map(TransactionCoordinator::entityIdForToken)
                .orElseGet(TransactionCoordinator::entityIdForRequest);
        return Replies.of(sharding.entityRefFor(TransactionCoordinator.TYPE_KEY, coordinator).<TransactionOutcome>ask(
                replyTo -> new TransactionCoordinator.Execute(requestHash, participants, writes.size(), replyTo), askTimeout));
    }

    /**
     * Reads the items of a TransactGetItems request as one serializable snapshot, in request order.
     *
     * @throws DynamoException TransactionCanceledException (in the stage) when a transaction holds
     *         an item or an item changed while it was read
     */
    public CompletionStage<List<Optional<Map<String, AttributeValue>>>> transactGet(List<TransactionGet> gets) {
        List<TransactionReads.Located> items = new ArrayList<>(gets.size());
        for (int i = 0; i < gets.size(); i++) {
            Located at = locate(gets.get(i).table(), gets.get(i).key());
            items.add(new TransactionReads.Located(at.entityId, at.storageKey, i));
        }
        return transactionReads.read(items);
    }

    /**
     * One page of a Query: the items satisfying {@code condition} in sort-key order (or reverse),
     * after {@code startKey} (a validated primary key) when given, at most {@code limit} of them and
     * stopping once 1 MB is read.
     */
    public CompletionStage<ItemPage> query(TableMetadata table, KeyCondition condition, boolean forward,
                                           Optional<Map<String, AttributeValue>> startKey, int limit) {
        return query(table, Optional.empty(), condition, forward, startKey, limit);
    }

    /**
     * A Query of the table or, given {@code index}, of the index's entries (in index key order,
     * the table key breaking ties); {@code startKey} then holds the index key and the table key.
     */
    public CompletionStage<ItemPage> query(TableMetadata table, Optional<SecondaryIndex> index, KeyCondition condition,
                                           boolean forward, Optional<Map<String, AttributeValue>> startKey, int limit) {
        return query(table, index, condition, forward, startKey, limit, ItemPage.MAX_BYTES);
    }

    /**
     * A Query that reads at most {@code byteBudget} of items (the item that reaches it included),
     * for a page that has read other partitions' items already (a PartiQL SELECT of several keys).
     */
    public CompletionStage<ItemPage> query(TableMetadata table, Optional<SecondaryIndex> index, KeyCondition condition,
                                           boolean forward, Optional<Map<String, AttributeValue>> startKey, int limit,
                                           long byteBudget) {
        return rangeReads.query(KeySpace.of(table, index), condition, forward, startKey, limit, byteBudget);
    }

    /**
     * One page of a Scan of segment {@code segment} of {@code totalSegments} (0 of 1 for the whole
     * table) in hash order, after {@code startKey} when given, under the same limits as a Query.
     *
     * @throws DynamoException ValidationException when {@code startKey} lies outside the segment
     */
    public CompletionStage<ItemPage> scan(TableMetadata table, int segment, int totalSegments,
                                          Optional<Map<String, AttributeValue>> startKey, int limit) {
        return scan(table, Optional.empty(), segment, totalSegments, startKey, limit);
    }

    /** A Scan of the table or of one of its indexes (in the hash order of the index partition key). */
    public CompletionStage<ItemPage> scan(TableMetadata table, Optional<SecondaryIndex> index, int segment, int totalSegments,
                                          Optional<Map<String, AttributeValue>> startKey, int limit) {
        return rangeReads.scan(KeySpace.of(table, index), segment, totalSegments, startKey, limit);
    }

    /** Item count and size of a table, summed over its partitions' applied state. */
    public PartitionMeta tableStats(TableMetadata table) {
        long count = 0;
        long bytes = 0;
        for (int i = 0; i < table.partitionCount(); i++) {
            PartitionMeta meta = store.meta(new PartitionId(table.id(), i).entityId());
            count += meta.itemCount();
            bytes += meta.sizeBytes();
        }
        return new PartitionMeta(0, count, bytes);
    }

    /** Entry count and size of one of the table's indexes, summed over the partitions' shares. */
    public PartitionMeta indexStats(TableMetadata table, UUID indexId) {
        long count = 0;
        long bytes = 0;
        for (int i = 0; i < table.partitionCount(); i++) {
            PartitionMeta meta = store.meta(new PartitionId(table.id(), i).indexMetaId(indexId));
            count += meta.itemCount();
            bytes += meta.sizeBytes();
        }
        return new PartitionMeta(0, count, bytes);
    }

    /**
     * The item count and size of the item collection of a partition-key value (its items and their
     * local index entries); kept only for tables with local indexes.
     */
    public PartitionMeta itemCollection(TableMetadata table, AttributeValue partitionKey) {
        return store.metaAt(StorageKeys.collectionKey(table.id(), partitionKey));
    }

    private static ItemReply unwrap(ItemReply reply) {
        if (reply instanceof ItemReply.Rejected r) throw r.error();
        return reply;
    }

    private record Located(byte[] storageKey, String entityId) {}


    private Located locate(TableMetadata table, Map<String, AttributeValue> key) {
        KeySchema schema = table.keySchema();
        AttributeValue pk = key.get(schema.partitionKey().name());
        Optional<AttributeValue> sk = schema.sortKey().map(k -> key.get(k.name()));
        if (pk == null || sk.isPresent() && sk.get() == null) {
            throw DynamoException.validation("The provided key element does not match the schema");
        }
        long hash = PartitionHash.hash(KeyEncoding.encode(pk));
        int partition = PartitionHash.partitionOf(hash, table.partitionCount());
        byte[] storageKey = StorageKeys.itemKey(table.id(), pk, sk);
        String entityId = new PartitionId(table.id(), partition).entityId();
        return new Located(storageKey, entityId);
    }
}
