package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import io.eddy.persistence.StorageKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition's writer shows the stamp of its batch in {@link ChangesInFlight} from before it
 * reads the clock until the batch's journal write is done, so that a change stream's reader can
 * tell whether a change of a time it is waiting for can still come.
 */
class ChangesInFlightTest {

    private static final TableMetadata TABLE = new TableMetadata("T", UUID.randomUUID(), KeySchema.hash("id", AttributeType.S),
            List.of(new TableMetadata.AttributeDefinition("id", AttributeType.S)),
            TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND, Instant.EPOCH, Optional.empty(),
            TableMetadata.TableStatus.ACTIVE, 1, TableOptions.DEFAULTS);

    @TempDir
    Path dataDir;

    @Test
    void aWriterShowsItsBatchStampUntilTheBatchIsJournaled() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "in-flight", ConfigFactory.load(
                ConfigFactory.parseMap(Map.of("eddy.data-dir", dataDir.toString())).withFallback(Shards.nodeConfig())));
        StorageExtension storage = StorageExtension.get(system);
        PartitionId partition = new PartitionId(TABLE.id(), 0);
        ChangesInFlight inFlight = storage.changesInFlight();
        AtomicLong slot = inFlight.slot(partition.entityId());
        try {
            TableRegistry catalog = new TableRegistry();
            catalog.publish(new TreeMap<>(Map.of(TABLE.name(), TABLE)), List.of());
            ActorRef<PartitionCommand> entity = system.systemActorOf(
                    PartitionEntity.create(partition.entityId(), storage.itemStore(), storage.recoveredPartitions(), catalog),
                    "partition", Props.empty());
            long started = TableStream.micros(Instant.now());
            ConcurrentSkipListSet<Long> seen = new ConcurrentSkipListSet<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (writing.get()) {
                    long value = slot.get();
                    if (value != ChangesInFlight.NONE && value != ChangesInFlight.STAMPING) seen.add(value);
                }
            });
            watcher.start();
            // Rounds of concurrent writes, each batch an fsync: the watcher sees batches in flight.
            for (int round = 0; round < 200 && seen.isEmpty(); round++) {
                List<CompletableFuture<ItemReply>> writes = new ArrayList<>();
                for (int i = 0; i < 16; i++) writes.add(write(system, entity, "item-" + round + "-" + i));
                for (CompletableFuture<ItemReply> w : writes) assertEquals(ItemReply.Written.class, w.get(30, TimeUnit.SECONDS).getClass());
            }
            writing.set(false);
            watcher.join();
            assertTrue(!seen.isEmpty(), "a batch's stamp was shown while it was on its way to the journal");
            long ended = TableStream.micros(Instant.now());
            for (long stamp : seen) assertTrue(stamp >= started && stamp <= ended, "a stamp of the writes' time: " + stamp);

            assertTrue(inFlight.journaledBefore(partition, Long.MAX_VALUE), "nothing in flight once every write is acknowledged");
            // A write that changes nothing is answered without a journal write, and leaves nothing in flight either.
            assertEquals(ItemReply.Written.class, write(system, entity, "item-0-0").get(30, TimeUnit.SECONDS).getClass());
            assertEquals(ChangesInFlight.NONE, slot.get());
            assertTrue(inFlight.journaledBefore(partition, Long.MAX_VALUE));
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        // The stopped writer gave its slot up: a later incarnation has one of its own.
        assertNotSame(slot, inFlight.slot(partition.entityId()));
    }

    private static CompletableFuture<ItemReply> write(ActorSystem<Void> system, ActorRef<PartitionCommand> entity, String id) {
        Map<String, AttributeValue> item = Map.of("id", AttributeValue.s(id));
        byte[] key = StorageKeys.itemKey(TABLE.id(), item.get("id"), Optional.empty());
        return AskPattern.<PartitionCommand, ItemReply>ask(entity,
                replyTo -> new PartitionCommand.WriteItem(key, current -> Optional.of(item), replyTo),
                Duration.ofSeconds(30), system.scheduler()).toCompletableFuture();
    }
}
