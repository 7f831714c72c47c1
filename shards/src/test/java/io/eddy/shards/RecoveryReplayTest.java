package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.ItemSize;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import io.eddy.persistence.ItemMutation;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.JournalEnvelope;
import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import io.eddy.persistence.PartitionMeta;
import io.eddy.persistence.StorageKeys;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery replays only what the item store has not applied: nothing after a clean stop, and
 * after a crash exactly the journal's tail beyond the store's applied sequence number, however
 * long the journal is. The crash is the state kill -9 (or a power loss, the store being written
 * without fsync) leaves behind: events durable in the journal whose application to the store was
 * lost. It is made here by rolling the store back by its last applies.
 */
class RecoveryReplayTest {

    private static final int WRITES = 60;
    private static final int LOST_APPLIES = 7;

    private static final TableMetadata TABLE = new TableMetadata("T", UUID.randomUUID(),
            KeySchema.hash("id", AttributeType.S), List.of(new TableMetadata.AttributeDefinition("id", AttributeType.S)),
            TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND, Instant.EPOCH, Optional.empty(),
            TableMetadata.TableStatus.ACTIVE, 1, TableOptions.DEFAULTS);
    private static final String PARTITION = new PartitionId(TABLE.id(), 0).entityId();
    private static final String PERSISTENCE_ID = new PartitionId(TABLE.id(), 0).persistenceId();

    @TempDir
    Path dataDir;

    @Test
    void aCleanRestartReplaysNothingAndACrashOnlyTheUnappliedTail() throws Exception {
        try (Node node = Node.start(dataDir)) {
            node.shards.createTable(TABLE).toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < WRITES; i++) {
                Map<String, AttributeValue> item = item(i);
                // One write at a time: each is its own journal write, sequence numbers 1..WRITES.
                node.shards.writeItem(TABLE, key(i), current -> Optional.of(item)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, node.shards.partitions().replayedEvents(), "a new partition has nothing to replay");
        }

        try (Node node = Node.start(dataDir)) {
            assertEquals(Optional.of(item(WRITES - 1)), node.read(WRITES - 1));
            assertEquals(1, node.shards.partitions().recoveries());
            assertEquals(0, node.shards.partitions().replayedEvents(), "after a clean stop every event was applied");
        }

        loseLastApplies(LOST_APPLIES);

        try (Node node = Node.start(dataDir)) {
            // Its journal runs past what the store applied: it recovers at start, before any request.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (node.shards.partitions().recoveries() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(LOST_APPLIES, node.shards.partitions().replayedEvents(), "recovered at start");
            assertEquals(Optional.of(item(WRITES - 1)), node.read(WRITES - 1), "the lost apply was replayed");
            assertEquals(1, node.shards.partitions().recoveries());
            assertEquals(LOST_APPLIES, node.shards.partitions().replayedEvents(), "only the un-applied tail is replayed");
            for (int i = 0; i < WRITES; i++) assertEquals(Optional.of(item(i)), node.read(i));
            PartitionMeta meta = node.shards.tableStats(TABLE);
            assertEquals(WRITES, meta.itemCount());
            assertEquals(WRITES * ItemSize.of(item(0)), meta.sizeBytes());
        }

        try (Node node = Node.start(dataDir)) {
            node.read(0);
            assertEquals(0, node.shards.partitions().replayedEvents(), "the replayed tail was applied for good");
        }
    }

    /**
     * A machine crash can lose a page in the middle of the item store's (unsynced) log while later
     * pages reach the disk. The store opens as it was before the lost page, its meta with it, and
     * the journal's events from there are replayed: every write is back, and counted once.
     */
    @Test
    void aPageOfTheStoresLogLostInTheMiddleIsReplayedFromTheJournal() throws Exception {
        int writes = 400;
        try (Node node = Node.start(dataDir)) {
            node.shards.createTable(TABLE).toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < writes; i++) node.write(i);
        }
        Path log;
        try (var logs = java.nio.file.Files.list(dataDir.resolve("items"))) {
            log = logs.filter(file -> file.getFileName().toString().endsWith(".log"))
                    .max(java.util.Comparator.comparing(file -> file.getFileName().toString())).orElseThrow();
        }
        long page = java.nio.file.Files.size(log) / 2 / 4096 * 4096;
        try (var channel = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(4096), page);
        }

        try (Node node = Node.start(dataDir)) {
            for (int i = 0; i < writes; i++) assertEquals(Optional.of(item(i)), node.read(i), "item " + i);
            long replayed = node.shards.partitions().replayedEvents();
            assertTrue(replayed > writes / 4 && replayed < writes * 3 / 4, "replayed " + replayed);
            PartitionMeta meta = node.shards.tableStats(TABLE);
            assertEquals(writes, meta.itemCount());
            assertEquals(writes * ItemSize.of(item(0)), meta.sizeBytes());
        }
    }

    /**
     * A restart replays nothing after a clean stop, so the partition's last change stamp must come
     * from the journal: with the clock set back (here: a change journaled an hour ahead of it), a
     * new change is still stamped no earlier than the last one, as the stream's searches on stamps
     * assume.
     */
    @Test
    void aRestartNeverStampsAChangeBeforeTheJournalsLastOne() throws Exception {
        try (Node node = Node.start(dataDir)) {
            node.shards.createTable(TABLE).toCompletableFuture().get(30, TimeUnit.SECONDS);
            node.write(0);
        }
        long ahead = TableStream.micros(Instant.now().plus(Duration.ofHours(1)));
        ActorSystem<Void> bare = ActorSystem.create(Behaviors.empty(), "journal", Node.config(dataDir));
        try {
            var classic = Adapter.toClassic(bare);
            JournalStore journal = JournalExtension.get(classic).store();
            long seqNr = journal.highestSequenceNr(PERSISTENCE_ID) + 1;
            var change = new ItemChanged(StorageKeys.itemKey(TABLE.id(), key(1).get("id"), Optional.empty()),
                    Optional.empty(), Optional.of(item(1)), ahead, ChangeOrigin.REQUEST);
            var repr = PersistentRepr.apply(change, seqNr, PERSISTENCE_ID, "", false, null, "test");
            journal.append(List.of(new JournalStore.Event(PERSISTENCE_ID, seqNr,
                    JournalEnvelope.write(SerializationExtension.get(classic), repr)))).get(30, TimeUnit.SECONDS);
        } finally {
            bare.terminate();
            bare.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        try (Node node = Node.start(dataDir)) {
            assertEquals(Optional.of(item(1)), node.read(1));
            assertEquals(1, node.shards.partitions().replayedEvents(), "the change journaled ahead was replayed");
        }
        try (Node node = Node.start(dataDir)) {
            node.write(2);
            assertEquals(0, node.shards.partitions().replayedEvents(), "nothing to replay after a clean stop");
            long[] last = {0};
            var classic = Adapter.toClassic(node.system);
            JournalExtension.get(classic).store().replay(PERSISTENCE_ID, 0, Long.MAX_VALUE, Long.MAX_VALUE, event -> {
                if (JournalEnvelope.read(SerializationExtension.get(classic), event.payload()).payload() instanceof ItemChanged c) {
                    last[0] = c.timestampMicros();
                }
            });
            assertTrue(last[0] >= ahead, "the change after the restart is stamped " + last[0] + ", before " + ahead);
        }
    }

    /** Rolls the store back to before its last {@code count} applies, as a crash between journal and store leaves it. */
    private void loseLastApplies(int count) {
        try (ItemStore store = ItemStore.open(dataDir.resolve("items"))) {
            PartitionMeta meta = store.meta(PARTITION);
            assertEquals(WRITES, meta.appliedSeqNr(), "one journal event per write");
            List<ItemMutation> deletes = new ArrayList<>();
            long bytes = 0;
            for (int i = WRITES - count; i < WRITES; i++) {
                deletes.add(new ItemMutation.Delete(StorageKeys.itemKey(TABLE.id(), key(i).get("id"), Optional.empty())));
                bytes += ItemSize.of(item(i));
            }
            store.apply(PARTITION, new PartitionMeta(meta.appliedSeqNr() - count, meta.itemCount() - count, meta.sizeBytes() - bytes),
                    deletes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Not recovery, but a partition's own survival: a write whose evaluation throws fails alone. */
    @Test
    void aWriteWhoseEvaluationFailsIsAnsweredAsAServerErrorAndThePartitionGoesOn() throws Exception {
        try (Node node = Node.start(dataDir)) {
            node.shards.createTable(TABLE).toCompletableFuture().get(30, TimeUnit.SECONDS);
            node.write(0);
            var failed = node.shards.writeItem(TABLE, key(1), current -> {
                throw new IllegalStateException("a fault in the update");
            }).toCompletableFuture();
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
            assertEquals(io.eddy.model.ErrorCode.InternalServerError, ((io.eddy.model.DynamoException) e.getCause()).code());
            node.write(2);
            // The same fault in a transaction's write cancels the transaction alone.
            Map<String, AttributeValue> three = item(3);
            TransactionOutcome outcome = node.shards.transactWrite(Optional.empty(), "hash", List.of(
                    new TransactionWrite(TABLE, key(3), current -> Optional.of(three)),
                    new TransactionWrite(TABLE, key(4), current -> {
                        throw new IllegalStateException("a fault in the update");
                    }))).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(TransactionOutcome.Cancelled.class, outcome.getClass(), outcome.toString());
            node.write(5);
            assertEquals(Optional.of(item(0)), node.read(0));
            assertEquals(Optional.empty(), node.read(1));
            assertEquals(Optional.of(item(2)), node.read(2));
            assertEquals(Optional.empty(), node.read(3));
            assertEquals(Optional.of(item(5)), node.read(5));
        }
    }

    private static Map<String, AttributeValue> key(int i) {
        return Map.of("id", new AttributeValue.StringValue(String.format("item-%04d", i)));
    }

    private static Map<String, AttributeValue> item(int i) {
        return Map.of("id", new AttributeValue.StringValue(String.format("item-%04d", i)),
                "payload", new AttributeValue.StringValue("x".repeat(100)));
    }

    /** A one-node actor system with the shards over {@code dataDir}. */
    private record Node(ActorSystem<Void> system, Shards shards) implements AutoCloseable {

        static Config config(Path dataDir) {
            return ConfigFactory.load(ConfigFactory.parseMap(Map.of("eddy.data-dir", dataDir.toString()))
                    .withFallback(Shards.nodeConfig()));
        }

        static Node start(Path dataDir) throws Exception {
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "recovery", config(dataDir));
            Shards shards = Shards.start(system);
            shards.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return new Node(system, shards);
        }

        void write(int i) throws Exception {
            Map<String, AttributeValue> item = item(i);
            shards.writeItem(TABLE, key(i), current -> Optional.of(item)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        Optional<Map<String, AttributeValue>> read(int i) throws Exception {
            return shards.getItem(TABLE, key(i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
